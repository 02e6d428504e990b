"""How to reach one VETtrak server: the settings every request of the client uses.

Its own module so that the client and the zeep service both read it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vtsms_gui.api.proxy import ProxySettingError, normalise_proxy_url
from vtsms_gui.api.service_url import ServiceUrlError, normalise_service_url

SOAP_VERSIONS = ("1.1", "1.2")


@dataclass(frozen=True)
class ClientConfig:
    """How to reach one VETtrak server. `service_url` must already be normalised.

    Certificates are always checked against the operating system's trust store (see
    vtsms_gui.api.tls). `ca_file` is the path of an organisation's CA certificate(s) (PEM),
    trusted in addition to that store. `verify` is the older spelling, still accepted: True
    (the default: the store alone) or a CA file path, which becomes `ca_file`; checking
    cannot be turned off.

    `proxy`: None to follow the environment (HTTPS_PROXY, NO_PROXY) and the system's proxy
    settings, "direct" for no proxy, or a proxy address (normalised here, e.g.
    "proxy.example.org:8080" becomes "http://proxy.example.org:8080"), which wins over both.
    `proxy_username` / `proxy_password` sign in to that proxy; they come from the keyring or
    from memory, never from the settings file, and the password is left out of repr().
    """

    service_url: str
    soap_version: str = "1.1"
    connect_timeout: float = 10
    read_timeout: float = 60
    max_response_bytes: int = 10_000_000
    verify: bool | str = True
    use_live_wsdl: bool = False
    cache_dir: Path | None = None
    ca_file: str | None = None
    proxy: str | None = None
    proxy_username: str | None = None
    proxy_password: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        try:
            normalised = normalise_service_url(self.service_url, allow_http=True)
        except ServiceUrlError as exc:
            raise ValueError(f"Bad service URL: {exc}") from None
        if normalised != self.service_url:
            raise ValueError(f"The service URL must be normalised first (to {normalised}).")
        if self.soap_version not in SOAP_VERSIONS:
            raise ValueError(f"The SOAP version must be one of {', '.join(SOAP_VERSIONS)}.")
        if self.connect_timeout <= 0 or self.read_timeout <= 0:
            raise ValueError("Timeouts must be more than 0 seconds.")
        if self.max_response_bytes < 1:
            raise ValueError("The response size limit must be at least 1 byte.")
        if self.verify is False:
            raise ValueError(
                "Certificate checks cannot be turned off. Give the path of your "
                "organisation's CA certificate instead."
            )
        if isinstance(self.verify, str):
            if self.ca_file not in (None, self.verify):
                raise ValueError("Give the organisation's CA file once, as ca_file.")
            object.__setattr__(self, "ca_file", self.verify)
        elif self.verify is not True:
            raise ValueError("verify must be True or the path of a CA certificate file.")
        if self.ca_file == "":
            object.__setattr__(self, "ca_file", None)
        if self.proxy is not None:
            try:
                object.__setattr__(self, "proxy", normalise_proxy_url(self.proxy))
            except ProxySettingError as exc:
                raise ValueError(f"Bad proxy setting: {exc}") from None
        if self.proxy_password and not self.proxy_username:
            raise ValueError("A proxy password needs a proxy username.")

    @property
    def secrets(self) -> tuple[str, ...]:
        """Configured secrets that must never appear in a message or log (the proxy password)."""
        return (self.proxy_password,) if self.proxy_password else ()


__all__ = ["SOAP_VERSIONS", "ClientConfig"]
