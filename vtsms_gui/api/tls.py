"""Certificates: every request is checked against the operating system's own trust store.

`truststore` asks Windows (CryptoAPI, the store IT manages with group policy), macOS (the
Security framework, the Keychain) or, on Linux, OpenSSL's default paths (the distribution's CA
bundle, or SSL_CERT_FILE / SSL_CERT_DIR when set). An organisation's CA file from the settings
is added to that store; it never replaces it. requests' bundled certifi list, REQUESTS_CA_BUNDLE
and CURL_CA_BUNDLE are not used: the app trusts what the computer trusts, as a browser does.

The context is used through an adapter mounted on the app's own requests session, never through
`truststore.inject_into_ssl()`, which would change every other library in the process too.
"""

from __future__ import annotations

import ssl
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from vtsms_gui.api.errors import TlsProblem

SYSTEM_STORE = "the operating system's trust store (truststore)"


def trust_context(ca_file: str | None = None) -> ssl.SSLContext:
    """A verifying TLS client context: the OS trust store, plus `ca_file` if given.

    A new context each time: on Linux the store is read when a connection is made, and a
    context that once loaded a file keeps it, so sharing one would blur what is trusted.
    Raises TlsProblem when `ca_file` cannot be read as PEM certificates.
    """
    import truststore

    context: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError, ValueError) as exc:
            raise TlsProblem(
                f"The organisation's certificate file '{ca_file}' could not be read as PEM "
                "certificates. Choose the CA certificate file your IT support gave you, or "
                "clear the setting.",
                technical=f"{type(exc).__name__}: {exc}",
            ) from None
    return context


class TrustStoreAdapter(HTTPAdapter):
    """requests' adapter with one verifying context for the server, direct or through a proxy.

    Whatever `verify` a request carries is ignored: it could only weaken the check (False) or
    load another file into the shared context (a path, certifi's bundle).
    """

    def __init__(self, context: ssl.SSLContext, **kwargs: Any) -> None:
        self.ssl_context = context
        super().__init__(**kwargs)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        pool_kwargs["ssl_context"] = self.ssl_context
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        # Through a CONNECT proxy the server's TLS runs inside the tunnel with this context;
        # an https:// proxy's own certificate is checked against the same store.
        proxy_kwargs["ssl_context"] = self.ssl_context
        proxy_kwargs["proxy_ssl_context"] = self.ssl_context
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, True, cert)
        pool_kwargs.pop("ca_certs", None)
        pool_kwargs.pop("ca_cert_dir", None)
        pool_kwargs["cert_reqs"] = "CERT_REQUIRED"
        pool_kwargs["ssl_context"] = self.ssl_context
        return host_params, pool_kwargs

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        # requests would point the connection at certifi's bundle, which urllib3 then loads
        # into our context: keep only "required", the store is the context's own.
        # (The app uses no client certificates, so `cert` is not needed either.)
        conn.cert_reqs = "CERT_REQUIRED"
        conn.ca_certs = None
        conn.ca_cert_dir = None


def secure_session(ca_file: str | None = None) -> requests.Session:
    """A requests session that verifies with `trust_context(ca_file)` and ignores the
    environment (`trust_env` off: proxies are chosen by vtsms_gui.api.proxy, per request, and
    neither ~/.netrc passwords nor REQUESTS_CA_BUNDLE apply)."""
    session = requests.Session()
    session.trust_env = False
    adapter = TrustStoreAdapter(trust_context(ca_file))
    session.mount("https://", adapter)
    session.mount("http://", adapter)  # the proxy manager for an https:// proxy lives here too
    return session


__all__ = ["SYSTEM_STORE", "TrustStoreAdapter", "secure_session", "trust_context"]
