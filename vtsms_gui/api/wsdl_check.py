"""Checks that the bundled WSDL agrees with a server's own (`?WSDL`) for the operations this
app calls: SOAP actions and every element's name, order, type, occurrence and nillability.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from vtsms_gui.api.soap_service import BINDINGS, SoapService

if TYPE_CHECKING:
    import requests

    from vtsms_gui.api.config import ClientConfig

OPERATIONS = ("ValidateClient", "GetSMSStatus", "SendSMSMessages")
_MAX_DEPTH = 8  # deep enough for every VT_API type; stops a recursive type

Shape = Mapping[str, tuple[str, ...]]


def wsdl_shape(zeep_client: Any, soap_version: str) -> dict[str, tuple[str, ...]]:
    """One line per SOAP action and (nested) element of each operation, in document order."""
    binding = zeep_client.wsdl.bindings.get(BINDINGS[soap_version])
    shape: dict[str, tuple[str, ...]] = {}
    for name in OPERATIONS:
        try:
            operation = binding.get(name) if binding is not None else None
        except ValueError:  # zeep's "operation not found"
            operation = None
        if operation is None:
            continue
        lines = [f"soapAction {operation.soapaction}"]
        for direction, message in (("in", operation.input), ("out", operation.output)):
            body = message.body
            lines.append(f"{direction} {body.qname}")
            lines.extend(_element_lines(body.type, f"{direction} {body.name}", 0))
        shape[name] = tuple(lines)
    return shape


def wsdl_differences(expected: Shape, actual: Shape) -> list[str]:
    """Plain-English differences, empty when `actual` agrees with `expected`."""
    differences: list[str] = []
    for name in OPERATIONS:
        if name not in actual:
            differences.append(f"{name}: not in the server's WSDL.")
            continue
        want, got = expected.get(name, ()), actual[name]
        for index in range(max(len(want), len(got))):
            left = want[index] if index < len(want) else "(nothing)"
            right = got[index] if index < len(got) else "(nothing)"
            if left != right:
                differences.append(f"{name}: expected {left!r}, the server has {right!r}.")
                break  # after the first difference the rest is shifted: one line is enough
    return differences


def check_live_wsdl(config: ClientConfig, *, session: requests.Session | None = None) -> list[str]:
    """Loads the server's WSDL and compares it with the bundled one (raises VettrakError)."""
    bundled = SoapService(dataclasses.replace(config, use_live_wsdl=False))
    live = SoapService(dataclasses.replace(config, use_live_wsdl=True), session=session)
    try:
        return wsdl_differences(
            wsdl_shape(bundled.zeep_client, config.soap_version),
            wsdl_shape(live.zeep_client, config.soap_version),
        )
    finally:
        bundled.close()
        live.close()


def _element_lines(xsd_type: Any, path: str, depth: int) -> list[str]:
    lines: list[str] = []
    if depth > _MAX_DEPTH:
        return lines
    for _, element in getattr(xsd_type, "elements", []):
        child_type = element.type
        lines.append(
            f"{path}/{element.name}: {child_type.qname} minOccurs={element.min_occurs} "
            f"maxOccurs={element.max_occurs} nillable={str(element.nillable).lower()} "
            f"ns={element.qname.namespace}"
        )
        lines.extend(_element_lines(child_type, f"{path}/{element.name}", depth + 1))
    return lines
