"""The text of "Help > Copy diagnostics": versions, the TLS and proxy situation, and the last
errors from the support log, for a support request. Never a password, token or proxy password.

No Qt here: the window passes its Qt version in.
"""

from __future__ import annotations

import os
import platform
import ssl
import sys
from importlib import metadata
from pathlib import Path

from vtsms_gui import __version__
from vtsms_gui.api.config import ClientConfig
from vtsms_gui.api.proxy import resolve_proxy
from vtsms_gui.api.soap_log import SESSION_SECRETS, mask_secret_elements, redact


def diagnostics_text(
    *,
    config: ClientConfig | None = None,
    qt_version: str | None = None,
    log_path: Path | None = None,
    max_errors: int = 10,
) -> str:
    """Plain text for the clipboard. `config` is the server's current settings (None before
    one is set), `qt_version` e.g. PySide6's `qVersion()`, `log_path` the support log (default:
    the installed one)."""
    from vtsms_gui.storage.support_log import last_errors, support_log_path

    path = log_path or support_log_path()
    lines = [
        f"vtsms-gui {__version__}",
        f"Operating system: {_os_name()}",
        f"Python: {platform.python_version()} ({platform.python_implementation()}, "
        f"{'frozen app' if getattr(sys, 'frozen', False) else 'from source'})",
        f"Qt: {qt_version or 'not loaded'}",
        f"OpenSSL: {ssl.OPENSSL_VERSION}",
        "",
        "TLS:",
        *(f"  {line}" for line in _tls_lines(config)),
        "",
        "Proxy:",
        *(f"  {line}" for line in _proxy_lines(config)),
        "",
        f"Support log: {path}",
        f"Last errors ({max_errors} at most):",
    ]
    errors = last_errors(max_errors, path)
    lines.extend(f"  {line}" for line in errors) if errors else lines.append("  none")
    text = "\n".join(lines) + "\n"
    secrets = (*SESSION_SECRETS.snapshot(), *(config.secrets if config else ()))
    return redact(mask_secret_elements(text), secrets)


def _os_name() -> str:
    if sys.platform == "win32":
        return f"Windows {platform.release()} ({platform.version()}, {platform.machine()})"
    if sys.platform == "darwin":
        return f"macOS {platform.mac_ver()[0]} ({platform.machine()})"
    try:
        pretty = platform.freedesktop_os_release().get("PRETTY_NAME", "")
    except OSError:
        pretty = ""
    return f"{pretty or 'Linux'} (kernel {platform.release()}, {platform.machine()})"


def _tls_lines(config: ClientConfig | None) -> list[str]:
    try:
        version = metadata.version("truststore")
    except metadata.PackageNotFoundError:
        version = "version unknown"
    lines = [
        f"Certificates checked against the operating system's trust store (truststore {version}).",
    ]
    ca_file = config.ca_file if config else None
    if ca_file:
        exists = "found" if Path(ca_file).is_file() else "NOT FOUND"
        lines.append(f"Organisation CA file (added to the store): {ca_file} ({exists})")
    else:
        lines.append("Organisation CA file: none set")
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        value = os.environ.get(name)
        note = " (used on Linux; ignored on Windows and macOS)" if value else ""
        lines.append(f"{name}: {value or 'not set'}{note}")
    ignored = [name for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE") if os.environ.get(name)]
    if ignored:
        lines.append(f"{', '.join(ignored)} set, but not used by this app")
    if sys.platform.startswith("linux"):
        paths = ssl.get_default_verify_paths()
        lines.append(f"OpenSSL default CA file: {paths.cafile or paths.openssl_cafile} ")
    return lines


def _proxy_lines(config: ClientConfig | None) -> list[str]:
    if config is None:
        return ["No server set yet."]
    route = resolve_proxy(
        config.service_url,
        config.proxy,
        username=config.proxy_username,
        password=config.proxy_password,
    )
    lines = [f"For {config.service_url}: {route.display}"]
    if config.proxy is None:
        lines.append("App proxy setting: none (the environment and the system's settings apply)")
    else:
        lines.append(f"App proxy setting: {config.proxy}")
    present = [
        name
        for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")
        if os.environ.get(name) or os.environ.get(name.lower())
    ]
    lines.append(f"Proxy environment variables set: {', '.join(present) or 'none'}")
    if route.note:
        lines.append(route.note)
    lines.append("Not read: proxy scripts (PAC) and automatic proxy discovery (WPAD).")
    return lines


__all__ = ["diagnostics_text"]
