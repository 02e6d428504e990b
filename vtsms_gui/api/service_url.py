"""Turns the VETtrak address a user types into the one service URL the client calls.

Accepts `.../VT_API.asmx`, the same with `?WSDL`, or the folder holding it; refuses anything
else with a message saying what to change. No zeep or requests here (the window imports it).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import SplitResult, urlsplit, urlunsplit

SERVICE_FILE = "VT_API.asmx"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_LOOPBACK_NAMES = {"localhost"}
# A last path part with one of these endings is a page or file, not the folder of VT_API.asmx
# (folders may have dots: "/VETtrak.Api/" is a folder).
_PAGE_ENDING = re.compile(
    r"\.(asmx|aspx|ashx|asp|svc|html?|php|jsp|cgi|wsdl|xml|json|txt)$", re.IGNORECASE
)
_HOST_LABELS = re.compile(r"[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})*\.?", re.ASCII)


class ServiceUrlError(ValueError):
    """The address cannot be a VETtrak service; `str(exc)` says why in plain English."""


def normalise_service_url(text: str, *, allow_http: bool = False) -> str:
    """`https://host[:port]/path/VT_API.asmx` for any accepted form of the address.

    `http://` is refused unless `allow_http` or the host is this computer (demo and tests).
    """
    address = text.strip()
    _check_characters(address)
    parts = _split(address)
    scheme = parts.scheme.lower()
    host = _check_host(parts)
    if scheme == "http" and not (allow_http or _is_loopback(host)):
        raise ServiceUrlError(
            "This address starts with http://, which would send your password unencrypted. "
            "Use the https:// address of your VETtrak server. If your organisation's server "
            "really has no https, allow it explicitly: --allow-http on the command line, or "
            "confirm it when the window asks."
        )
    _check_query(parts, address)
    path = _service_path(parts.path)
    netloc = _netloc(scheme, host, parts)
    return urlunsplit((scheme, netloc, path, "", ""))


def wsdl_url(service_url: str) -> str:
    """Where a normalised service publishes its WSDL."""
    return f"{service_url}?WSDL"


def is_loopback_url(service_url: str) -> bool:
    host = urlsplit(service_url).hostname
    return host is not None and _is_loopback(host)


def _check_characters(address: str) -> None:
    if not address:
        raise ServiceUrlError("Enter the address of your VETtrak server's VT_API.asmx.")
    if any(ch.isspace() for ch in address):
        raise ServiceUrlError(
            "The address contains a space. Copy it again from the browser's address bar."
        )
    if any(unicodedata.category(ch).startswith("C") for ch in address):
        raise ServiceUrlError("The address contains an invisible control character.")
    if "\\" in address:
        raise ServiceUrlError(
            "The address contains a backslash (\\). Web addresses use forward slashes (/)."
        )


def _split(address: str) -> SplitResult:
    if "://" not in address:
        raise ServiceUrlError(
            "The address must start with https:// (for example "
            "https://vettrak.example.edu.au/VT_API.asmx)."
        )
    try:
        parts = urlsplit(address)
        parts.port  # noqa: B018 - urlsplit checks the port only when it is read
    except ValueError as exc:
        raise ServiceUrlError(
            "The address is not a valid web address (check the port number after the colon)."
        ) from exc
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        raise ServiceUrlError(
            f"The address starts with {parts.scheme}://; a VETtrak server is reached with https://."
        )
    if parts.fragment or address.endswith("#"):
        raise ServiceUrlError("Remove the part after '#' from the address.")
    return parts


def _check_host(parts: SplitResult) -> str:
    if "@" in parts.netloc:
        raise ServiceUrlError(
            "The address contains a user name or password (before '@'). Remove it: you log in "
            "with the username and password boxes instead."
        )
    host = parts.hostname
    if not host:
        raise ServiceUrlError("The address has no server name after https://.")
    if not _is_ip_address(host):
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_host = ""
        if not _HOST_LABELS.fullmatch(ascii_host):
            raise ServiceUrlError(f"'{host}' is not a valid server name.")
    return host


def _check_query(parts: SplitResult, address: str) -> None:
    if parts.query and parts.query.lower() != "wsdl":
        if parts.query.lower().startswith("op="):
            hint = "That is the page of one operation; leave out '?" + parts.query + "'."
        else:
            hint = "Leave out '?" + parts.query + "'."
        raise ServiceUrlError(f"The address should end with {SERVICE_FILE}. {hint}")
    if not parts.query and address.endswith("?"):
        raise ServiceUrlError("Remove the '?' from the end of the address.")


def _service_path(path: str) -> str:
    folder, _, last = path.rstrip("/").rpartition("/")
    if last.lower() == SERVICE_FILE.lower():
        return f"{folder}/{SERVICE_FILE}"
    if any(_PAGE_ENDING.search(part) for part in folder.split("/")):
        raise ServiceUrlError(f"The address goes on past a page: end it at {SERVICE_FILE}.")
    if _PAGE_ENDING.search(last):
        raise ServiceUrlError(
            f"The address points to '{last}', not to {SERVICE_FILE}. Give the address of "
            f"{SERVICE_FILE} or of the folder that contains it."
        )
    return f"{folder}/{last}/{SERVICE_FILE}" if last else f"/{SERVICE_FILE}"


def _netloc(scheme: str, host: str, parts: SplitResult) -> str:
    shown_host = f"[{host}]" if ":" in host else host
    port = parts.port
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return shown_host
    return f"{shown_host}:{port}"


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    return _is_ip_address(host) and ipaddress.ip_address(host).is_loopback
