"""The bundled VT_API WSDL as this server publishes it: soap:address pointing at itself."""

from __future__ import annotations

import functools
from importlib import resources

from lxml import etree

from vtsms_gui.simulator.envelopes import XML_DECLARATION

_WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
_ADDRESS_TAGS = (
    "{http://schemas.xmlsoap.org/wsdl/soap/}address",
    "{http://schemas.xmlsoap.org/wsdl/soap12/}address",
)


@functools.lru_cache(maxsize=1)
def _bundled() -> bytes:
    # The api package owns the file; the simulator only reads it, as any ASMX host would.
    return (resources.files("vtsms_gui.api") / "wsdl" / "VT_API.wsdl").read_bytes()


@functools.lru_cache(maxsize=8)
def wsdl_for(location: str, documentation: str | None = None) -> bytes:
    """The WSDL (without our file's leading comment) with every soap/soap12 address at `location`.

    `documentation` replaces the first operation's documentation text (the hostile-reply
    faults put their marker there).
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(_bundled(), parser)
    for tag in _ADDRESS_TAGS:
        for address in root.iter(tag):
            address.set("location", location)
    if documentation is not None:
        first = next(root.iter(f"{{{_WSDL_NS}}}documentation"))
        first.text = documentation
    serialised: bytes = etree.tostring(root, encoding="utf-8")
    return XML_DECLARATION + b"\n" + serialised
