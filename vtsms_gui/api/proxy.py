"""Which proxy a request to the VETtrak server goes through, and where that choice came from.

In order, the first that applies wins:

1. The app's own proxy setting (`ClientConfig.proxy`): a proxy URL, or "direct" for none.
2. The environment: HTTPS_PROXY / HTTP_PROXY / ALL_PROXY (either case), with NO_PROXY
   exceptions (names, ".suffix" domains, "*", and CIDR ranges such as 10.0.0.0/8).
3. The operating system's static proxy settings, read by Python's urllib:
   - Windows: Internet Options (the ProxyEnable / ProxyServer / ProxyOverride values in the
     user's registry, which group policy also writes), including "<local>" exceptions;
   - macOS: the proxies in System Settings > Network (SystemConfiguration), with exceptions.

Not covered: proxy auto-configuration scripts (PAC files, "Use setup script" / AutoConfigURL)
and automatic discovery (WPAD, "Automatically detect settings"): nothing here runs a script.
When Windows names a PAC script the route says so (`ProxyRoute.note`), so the connection check
and the diagnostics can tell the user to enter the proxy in the app's settings. Also not
covered: the desktop proxy settings of GNOME or KDE on Linux (only the environment counts
there), SOCKS proxies, and proxies that sign in with the Windows login (NTLM, Kerberos or
Negotiate): only a username and password sent as Basic authentication are supported.

Proxy credentials are secrets: they live in the keyring or in memory (ClientConfig), never in
the settings file or the proxy URL shown to anyone; `ProxyRoute.display` never contains them.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

DIRECT = "direct"
"""The app setting that means: no proxy at all, whatever the environment or the system says."""

APP_SETTING = "the app's proxy setting"
_ENVIRONMENT_NAMES = {
    "https": ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"),
    "http": ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"),
}
_DEFAULT_PROXY_PORT = {"http": 80, "https": 443}


class ProxySettingError(ValueError):
    """The proxy setting is not a usable proxy address; `str(exc)` says why."""


def normalise_proxy_url(text: str) -> str:
    """`http://host:port` (or `https://`) for an accepted proxy setting, or `DIRECT`.

    "proxy.example.org:8080" is read as http://; credentials in the URL are refused (they
    belong in the keyring), as are paths, SOCKS and other schemes.
    """
    value = text.strip()
    if value.lower() in (DIRECT, "none"):
        return DIRECT
    if not value:
        raise ProxySettingError("Enter the proxy's address, e.g. http://proxy.example.org:8080.")
    if "://" not in value:
        value = "http://" + value
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise ProxySettingError("The proxy address has a bad port number.") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PROXY_PORT:
        raise ProxySettingError(
            f"A {scheme}:// proxy is not supported: give an http:// proxy address (most office "
            "proxies are http://, also for https:// sites)."
        )
    if "@" in parts.netloc:
        raise ProxySettingError(
            "Leave the username and password out of the proxy address: enter them in their "
            "own boxes, so they are kept in the keyring."
        )
    host = parts.hostname
    if not host:
        raise ProxySettingError("The proxy address has no server name.")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ProxySettingError("A proxy address is only a server name and a port.")
    shown_host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown_host}:{port or _DEFAULT_PROXY_PORT[scheme]}"


@dataclass(frozen=True)
class ProxyRoute:
    """How one URL is reached. `proxy_url` is None for a direct connection."""

    proxy_url: str | None
    """The proxy as scheme://host:port, without credentials."""
    source: str
    """Where the choice came from, for people: "the HTTPS_PROXY environment variable"..."""
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    note: str = ""
    """Something the user should know, e.g. that a PAC script set in Windows is not read."""

    @property
    def host(self) -> str | None:
        return urlsplit(self.proxy_url).hostname if self.proxy_url else None

    @property
    def port(self) -> int | None:
        if not self.proxy_url:
            return None
        parts = urlsplit(self.proxy_url)
        return parts.port or _DEFAULT_PROXY_PORT.get(parts.scheme, 80)

    @property
    def display(self) -> str:
        """E.g. "proxy.example.org:8080 (from the HTTPS_PROXY environment variable)"."""
        if not self.proxy_url:
            return f"no proxy ({self.source})"
        signed = ", with a proxy username" if self.username else ""
        return f"{self.host}:{self.port} (from {self.source}{signed})"

    @property
    def secrets(self) -> tuple[str, ...]:
        """What must never appear in a message or a log: the password, raw and as in a URL."""
        if not self.password:
            return ()
        return (self.password, quote(self.password, safe=""))

    def for_requests(self) -> dict[str, str]:
        """The `proxies=` argument of requests (Basic credentials in the URL, %-encoded)."""
        if not self.proxy_url:
            return {}
        url = self.proxy_url
        if self.username:
            parts = urlsplit(url)
            userinfo = quote(self.username, safe="")
            if self.password:
                userinfo += ":" + quote(self.password, safe="")
            url = parts._replace(netloc=f"{userinfo}@{parts.netloc}").geturl()
        return {"http": url, "https": url}


def resolve_proxy(
    target_url: str,
    setting: str | None = None,
    *,
    username: str | None = None,
    password: str | None = None,
) -> ProxyRoute:
    """The route to `target_url`: the app `setting` (normalised, or None to follow the
    environment and the system), with the proxy `username`/`password` for an app setting."""
    if setting == DIRECT:
        return ProxyRoute(None, APP_SETTING + ' ("direct")')
    if setting:
        return ProxyRoute(setting, APP_SETTING, username, password)
    import urllib.request

    from requests.utils import should_bypass_proxies

    parts = urlsplit(target_url)
    scheme = parts.scheme.lower()
    environment = urllib.request.getproxies_environment()
    source = _environment_source(scheme) if environment else _system_source()
    proxies = environment or urllib.request.getproxies()
    chosen = proxies.get(scheme) or proxies.get("all")
    note = _pac_note()
    if not chosen:
        return ProxyRoute(None, f"none set in {source}" if source else "none set", note=note)
    # requests' own test: NO_PROXY (with CIDR ranges), then the system's exceptions.
    if should_bypass_proxies(target_url, no_proxy=None):
        return ProxyRoute(None, f"an exception in {_bypass_source(environment)}", note=note)
    return _route_from_url(chosen, source or "the system's proxy settings", note)


def _route_from_url(url: str, source: str, note: str) -> ProxyRoute:
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    host = parts.hostname or ""
    shown_host = f"[{host}]" if ":" in host else host
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PROXY_PORT.get(scheme, 80)
    except ValueError:
        port = _DEFAULT_PROXY_PORT.get(scheme, 80)
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return ProxyRoute(f"{scheme}://{shown_host}:{port}", source, username, password, note)


def _environment_source(scheme: str) -> str:
    for name in _ENVIRONMENT_NAMES.get(scheme, ()):
        if os.environ.get(name):
            return f"the {name.upper()} environment variable"
    return "the environment (*_PROXY variables)"


def _bypass_source(environment: dict[str, str]) -> str:
    if environment:
        return "the NO_PROXY environment variable"
    return _system_source() or "the system's proxy settings"


def _system_source() -> str:
    if sys.platform == "win32":
        return "Windows Internet Options"
    if sys.platform == "darwin":
        return "macOS network settings"
    return ""  # Linux desktops' proxy settings are not read: only the environment counts


def _pac_note() -> str:
    """A sentence when Windows is set to use a proxy script, which nothing here runs."""
    script = _windows_proxy_script().strip()
    if not script:
        return ""
    return (
        f"Windows is set to use a proxy script ({script}), which this app does not run: if "
        "the connection fails, ask IT which proxy to use and enter it in the app's settings."
    )


if sys.platform == "win32":

    def _windows_proxy_script() -> str:
        """Internet Options' "Use setup script" address (AutoConfigURL), or ""."""
        import winreg

        try:
            with winreg.OpenKey(
                winreg.HKEY_CURRENT_USER,
                r"Software\Microsoft\Windows\CurrentVersion\Internet Settings",
            ) as key:
                return str(winreg.QueryValueEx(key, "AutoConfigURL")[0])
        except (OSError, ValueError, TypeError):
            return ""

else:

    def _windows_proxy_script() -> str:
        return ""


__all__ = [
    "APP_SETTING",
    "DIRECT",
    "ProxyRoute",
    "ProxySettingError",
    "normalise_proxy_url",
    "resolve_proxy",
]
