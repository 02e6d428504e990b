"""What a server's certificate says (subject, issuer, validity, names), read from its DER bytes.

A small reader of the X.509 fields the connection check shows, so that the app needs no
certificate library: Python's ssl module hands over a certificate it did not verify only as
bytes. Anything unexpected raises ValueError; the caller then shows less detail.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass

_NAME_LABELS = {
    "2.5.4.3": "CN",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.6": "C",
    "2.5.4.8": "ST",
    "2.5.4.7": "L",
}
_SUBJECT_ALT_NAME = "2.5.29.17"
_STRING_TAGS = {0x0C, 0x13, 0x14, 0x16, 0x1A, 0x1C, 0x1E}
_SEQUENCE, _SET, _OID, _OCTETS = 0x30, 0x31, 0x06, 0x04
_UTC_TIME, _GENERALIZED_TIME = 0x17, 0x18
_VERSION, _EXTENSIONS = 0xA0, 0xA3
_DNS_NAME, _IP_ADDRESS = 0x82, 0x87


@dataclass(frozen=True)
class CertificateInfo:
    subject: tuple[tuple[str, str], ...]
    issuer: tuple[tuple[str, str], ...]
    not_before: dt.datetime
    not_after: dt.datetime
    dns_names: tuple[str, ...] = ()
    ip_addresses: tuple[str, ...] = ()

    @property
    def subject_name(self) -> str:
        return _short_name(self.subject)

    @property
    def issuer_name(self) -> str:
        return _short_name(self.issuer)

    @property
    def subject_text(self) -> str:
        return _long_name(self.subject)

    @property
    def issuer_text(self) -> str:
        return _long_name(self.issuer)

    @property
    def self_signed(self) -> bool:
        return self.subject == self.issuer

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return (now or dt.datetime.now(dt.UTC)) > self.not_after

    def is_not_yet_valid(self, now: dt.datetime | None = None) -> bool:
        return (now or dt.datetime.now(dt.UTC)) < self.not_before

    def names(self) -> tuple[str, ...]:
        """The names the certificate is for: its DNS names and IP addresses."""
        return (*self.dns_names, *self.ip_addresses)

    def matches_host(self, host: str) -> bool:
        """Roughly what TLS checks: an IP among the IP names, a name among the DNS names
        (one leading "*." wildcard label); the subject's CN only when there are no names."""
        try:
            return ipaddress.ip_address(host).compressed in self.ip_addresses
        except ValueError:
            pass
        wanted = host.lower().rstrip(".")
        candidates = self.dns_names or tuple(v for k, v in self.subject if k == "CN")
        for name in candidates:
            pattern = name.lower().rstrip(".")
            if pattern == wanted:
                return True
            wildcard = pattern.startswith("*.") and "." in wanted
            if wildcard and wanted.split(".", 1)[1] == pattern[2:]:
                return True
        return False


def parse_certificate(der: bytes) -> CertificateInfo:
    """The fields of one DER-encoded X.509 certificate (raises ValueError)."""
    try:
        return _parse(der)
    except (IndexError, UnicodeDecodeError) as exc:
        raise ValueError(f"Not a certificate this reader understands: {exc}") from None


def _parse(der: bytes) -> CertificateInfo:
    tag, start, _ = _tlv(der, 0)
    _expect(tag, _SEQUENCE)
    tbs_tag, tbs_start, tbs_end = _tlv(der, start)
    _expect(tbs_tag, _SEQUENCE)
    fields = _children(der, tbs_start, tbs_end)
    if fields and fields[0][0] == _VERSION:
        fields = fields[1:]
    # serial, signature algorithm, issuer, validity, subject, key, then optional parts
    issuer = _name(der, fields[2])
    not_before, not_after = (_time(der, part) for part in _children(der, *fields[3][1:]))
    subject = _name(der, fields[4])
    dns_names: list[str] = []
    ips: list[str] = []
    for field_tag, field_start, field_end in fields[6:]:
        if field_tag == _EXTENSIONS:
            _read_alt_names(der, field_start, field_end, dns_names, ips)
    return CertificateInfo(
        subject=subject,
        issuer=issuer,
        not_before=not_before,
        not_after=not_after,
        dns_names=tuple(dns_names),
        ip_addresses=tuple(ips),
    )


def _read_alt_names(der: bytes, start: int, end: int, dns: list[str], ips: list[str]) -> None:
    _, seq_start, seq_end = _tlv(der, start)
    for _, ext_start, ext_end in _children(der, seq_start, seq_end):
        parts = _children(der, ext_start, ext_end)
        if _oid(der[parts[0][1] : parts[0][2]]) != _SUBJECT_ALT_NAME:
            continue
        octets = parts[-1]
        _expect(octets[0], _OCTETS)
        _, names_start, names_end = _tlv(der, octets[1])
        for name_tag, value_start, value_end in _children(der, names_start, names_end):
            value = der[value_start:value_end]
            if name_tag == _DNS_NAME:
                dns.append(value.decode("ascii"))
            elif name_tag == _IP_ADDRESS and len(value) in (4, 16):
                ips.append(ipaddress.ip_address(value).compressed)


def _name(der: bytes, part: tuple[int, int, int]) -> tuple[tuple[str, str], ...]:
    _expect(part[0], _SEQUENCE)
    result: list[tuple[str, str]] = []
    for set_tag, set_start, set_end in _children(der, part[1], part[2]):
        _expect(set_tag, _SET)
        for _, attr_start, attr_end in _children(der, set_start, set_end):
            (oid_tag, oid_start, oid_end), (value_tag, value_start, value_end) = _children(
                der, attr_start, attr_end
            )[:2]
            _expect(oid_tag, _OID)
            oid = _oid(der[oid_start:oid_end])
            if value_tag not in _STRING_TAGS:
                continue
            raw = der[value_start:value_end]
            text = raw.decode("utf-16-be") if value_tag == 0x1E else raw.decode("utf-8", "replace")
            result.append((_NAME_LABELS.get(oid, oid), text))
    return tuple(result)


def _time(der: bytes, part: tuple[int, int, int]) -> dt.datetime:
    tag, start, end = part
    text = der[start:end].decode("ascii").rstrip("Z")
    if tag == _UTC_TIME:
        year = int(text[:2])
        text = f"{1900 + year if year >= 50 else 2000 + year}{text[2:]}"
    elif tag != _GENERALIZED_TIME:
        raise ValueError("bad validity time")
    return dt.datetime.strptime(text[:14], "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)


def _tlv(der: bytes, offset: int) -> tuple[int, int, int]:
    """(tag, start of value, end of value) of the element at `offset`."""
    tag = der[offset]
    length = der[offset + 1]
    start = offset + 2
    if length & 0x80:
        count = length & 0x7F
        if not 0 < count <= 4:
            raise ValueError("bad DER length")
        length = int.from_bytes(der[start : start + count], "big")
        start += count
    end = start + length
    if end > len(der):
        raise ValueError("DER element runs past the end")
    return tag, start, end


def _children(der: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    found = []
    offset = start
    while offset < end:
        tag, value_start, value_end = _tlv(der, offset)
        found.append((tag, value_start, value_end))
        offset = value_end
    return found


def _oid(raw: bytes) -> str:
    first = raw[0]
    numbers = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    value = 0
    for byte in raw[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            numbers.append(value)
            value = 0
    return ".".join(map(str, numbers))


def _expect(tag: int, wanted: int) -> None:
    if tag != wanted:
        raise ValueError(f"unexpected DER tag {tag:#x} (wanted {wanted:#x})")


def _short_name(name: tuple[tuple[str, str], ...]) -> str:
    for wanted in ("CN", "O", "OU"):
        for key, value in name:
            if key == wanted:
                return value
    return _long_name(name) or "(no name)"


def _long_name(name: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{key}={value}" for key, value in name)


def describe_certificate(info: CertificateInfo | None, version: str) -> str:
    if info is None:
        return f"A certificate this app cannot read ({version})"
    valid = f"valid {info.not_before:%Y-%m-%d} to {info.not_after:%Y-%m-%d}"
    names = f", for {', '.join(info.names())}" if info.names() else ""
    return (
        f"Subject '{info.subject_text}', issuer '{info.issuer_text}', {valid}{names} "
        f"({version or 'TLS'})"
    )


def tls_advice(host: str, info: CertificateInfo | None, problem: str) -> str:
    """What to tell IT about a certificate this computer refuses, in plain words."""
    if info is None:
        return (
            f"The certificate of {host} is not trusted by this computer ({problem}). "
            "Ask IT to check the server's certificate."
        )
    now = dt.datetime.now(dt.UTC)
    if info.is_expired(now):
        return (
            f"The certificate of {host} expired on {info.not_after:%d %B %Y}. Ask the "
            "administrator of the VETtrak server to renew it."
        )
    if info.is_not_yet_valid(now):
        return (
            f"The certificate of {host} is only valid from {info.not_before:%d %B %Y}: "
            "check this computer's date and time, or ask the server's administrator."
        )
    if not info.matches_host(host):
        names = ", ".join(info.names()) or info.subject_name
        return (
            f"The certificate is for '{names}', not for '{host}'. Use the address the "
            "certificate is for, or ask the server's administrator for a certificate that "
            f"includes '{host}'."
        )
    if info.self_signed:
        return (
            f"The certificate is self-signed ('{info.subject_name}'), and this computer "
            "does not trust it. Ask IT for the server's certificate to install in this "
            "computer's trust store (or to give as the organisation CA file in the settings)."
        )
    return (
        f"The certificate was issued by '{info.issuer_name}', which this computer does not "
        "trust. Ask IT to install that certificate authority in this computer's trust store "
        "(or to give its certificate as the organisation CA file in the settings)."
    )
