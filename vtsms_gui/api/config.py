"""How to reach one VETtrak server: the settings every request of the client uses.

Its own module so that the client and the zeep service both read it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vtsms_gui.api.service_url import ServiceUrlError, normalise_service_url

SOAP_VERSIONS = ("1.1", "1.2")


@dataclass(frozen=True)
class ClientConfig:
    """How to reach one VETtrak server. `service_url` must already be normalised.

    `verify` is True (the system's trusted certificates) or the path of a CA bundle for a
    server whose certificate an organisation issued itself; checking cannot be turned off.
    """

    service_url: str
    soap_version: str = "1.1"
    connect_timeout: float = 10
    read_timeout: float = 60
    max_response_bytes: int = 10_000_000
    verify: bool | str = True
    use_live_wsdl: bool = False
    cache_dir: Path | None = None

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


__all__ = ["SOAP_VERSIONS", "ClientConfig"]
