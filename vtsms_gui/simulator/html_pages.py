"""The HTML pages IIS and ASP.NET answer with when a request is not SOAP or goes badly wrong."""

from __future__ import annotations

import html

from vtsms_gui.simulator.faults import SOAP_OPERATIONS

_PAGE = """<!DOCTYPE html>
<html>
    <head>
        <title>{title}</title>
        <meta name="viewport" content="width=device-width" />
    </head>
    <body bgcolor="white">
            <span><H1>Server Error in '/' Application.<hr width=100% size=1 color=silver></H1>
            <h2> <i>{heading}</i> </h2></span>
            <b> Description: </b>{description}
            <br><br>
            <hr width=100% size=1 color=silver>
            <b>Version Information:</b>&nbsp;Microsoft .NET Framework Version:4.0.30319;
            ASP.NET Version:4.8.4762.0
    </body>
</html>
"""


def _error_page(title: str, heading: str, description: str) -> bytes:
    page = _PAGE.format(
        title=html.escape(title), heading=html.escape(heading), description=html.escape(description)
    )
    return page.encode("utf-8")


def server_error_page() -> bytes:
    """ASP.NET's "yellow screen" for an unhandled exception, as remote users see it."""
    return _error_page(
        "Runtime Error",
        "Runtime Error",
        "An application error occurred on the server. The current custom error settings for "
        "this application prevent the details of the application error from being viewed "
        "remotely (for security reasons).",
    )


def not_found_page(path: str) -> bytes:
    return _error_page(
        "The resource cannot be found.",
        "The resource cannot be found.",
        "HTTP 404. The resource you are looking for (or one of its dependencies) could have "
        "been removed, had its name changed, or is temporarily unavailable. Please review the "
        f"following URL and make sure that it is spelled correctly. Requested URL: {path}",
    )


def request_too_large_page() -> bytes:
    return _error_page(
        "Maximum request length exceeded.",
        "Maximum request length exceeded.",
        "The request body is larger than this server accepts.",
    )


def length_required_page() -> bytes:
    return _error_page(
        "Length Required",
        "Length Required",
        "The request must state its Content-Length.",
    )


def bad_request_format_page(content_type: str) -> bytes:
    return _error_page(
        f"Request format is invalid: {content_type}.",
        f"Request format is invalid: {content_type}.",
        "Send SOAP 1.1 (text/xml with a SOAPAction header) or SOAP 1.2 "
        "(application/soap+xml with an action parameter).",
    )


def service_page(wsdl_url: str) -> bytes:
    """What `GET VT_API.asmx` shows: the service's operations and where its WSDL is."""
    items = "\n".join(f"<li>{html.escape(name)}</li>" for name in SOAP_OPERATIONS)
    page = f"""<!DOCTYPE html>
<html>
<head><title>VT_API Web Service</title></head>
<body>
<h1>VT_API</h1>
<p>The following operations are supported. For a formal definition, please review the
<a href="{html.escape(wsdl_url)}">Service Description</a>.</p>
<ul>
{items}
</ul>
<p>This is the vtsms-gui VETtrak simulator: no SMS leaves this computer.</p>
</body>
</html>
"""
    return page.encode("utf-8")
