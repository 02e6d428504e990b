"""The VETtrak address a user types: accepted forms normalised, everything else refused clearly."""

from __future__ import annotations

import pytest

from vtsms_gui.api.service_url import (
    ServiceUrlError,
    is_loopback_url,
    normalise_service_url,
    wsdl_url,
)

SERVICE = "https://vettrak.example.edu.au/api/VT_API.asmx"


@pytest.mark.parametrize(
    "typed",
    [
        SERVICE,
        "https://vettrak.example.edu.au/api/VT_API.asmx?WSDL",
        "https://vettrak.example.edu.au/api/VT_API.asmx?wsdl",
        "https://vettrak.example.edu.au/api/VT_API.asmx?Wsdl",
        "https://vettrak.example.edu.au/api/vt_api.ASMX",
        "https://vettrak.example.edu.au/api/VT_API.asmx/",
        "https://vettrak.example.edu.au/api/",
        "https://vettrak.example.edu.au/api",
        "  https://vettrak.example.edu.au/api/VT_API.asmx \n",
        "HTTPS://VETTRAK.Example.edu.au/api/VT_API.asmx",
        "https://vettrak.example.edu.au:443/api/VT_API.asmx",
    ],
)
def test_accepted_forms_normalise_to_the_service_file(typed: str) -> None:
    assert normalise_service_url(typed) == SERVICE


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("https://vettrak.example.edu.au", "https://vettrak.example.edu.au/VT_API.asmx"),
        ("https://vettrak.example.edu.au/", "https://vettrak.example.edu.au/VT_API.asmx"),
        ("https://host:8443/VT_API.asmx", "https://host:8443/VT_API.asmx"),
        ("https://host/VETtrak.Api/", "https://host/VETtrak.Api/VT_API.asmx"),
        ("https://10.0.0.5/vt/VT_API.asmx?WSDL", "https://10.0.0.5/vt/VT_API.asmx"),
        ("https://[2001:db8::1]:444/VT_API.asmx", "https://[2001:db8::1]:444/VT_API.asmx"),
        ("http://127.0.0.1:8080/VT_API.asmx", "http://127.0.0.1:8080/VT_API.asmx"),
        ("http://localhost:8080/", "http://localhost:8080/VT_API.asmx"),
        ("http://[::1]:8080/VT_API.asmx", "http://[::1]:8080/VT_API.asmx"),
        ("http://127.5.6.7/VT_API.asmx", "http://127.5.6.7/VT_API.asmx"),
    ],
)
def test_hosts_ports_and_folders(typed: str, expected: str) -> None:
    assert normalise_service_url(typed) == expected


def test_normalising_twice_changes_nothing() -> None:
    once = normalise_service_url("https://Host.example/a/b/?wsdl")
    assert normalise_service_url(once) == once == "https://host.example/a/b/VT_API.asmx"


def test_http_to_a_remote_server_needs_an_explicit_opt_in() -> None:
    with pytest.raises(ServiceUrlError, match="unencrypted"):
        normalise_service_url("http://vettrak.example.edu.au/VT_API.asmx")
    assert (
        normalise_service_url("http://vettrak.example.edu.au/VT_API.asmx", allow_http=True)
        == "http://vettrak.example.edu.au/VT_API.asmx"
    )


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter the address"),
        ("   ", "Enter the address"),
        ("vettrak.example.edu.au/VT_API.asmx", "must start with https://"),
        ("ftp://vettrak.example.edu.au/VT_API.asmx", "ftp://"),
        ("file:///C:/VT_API.asmx", "file://"),
        ("https:///VT_API.asmx", "no server name"),
        ("https://user:secret@host/VT_API.asmx", "user name or password"),
        ("https://user@host/VT_API.asmx", "user name or password"),
        ("https://host/api/Other.asmx", "'Other.asmx', not to VT_API.asmx"),
        ("https://host/api/Default.aspx", "'Default.aspx'"),
        ("https://host/api/index.html", "'index.html'"),
        ("https://host/VT_API.asmx?op=SendSMSMessages", "page of one operation"),
        ("https://host/VT_API.asmx?WSDL&x=1", "Leave out"),
        ("https://host/VT_API.asmx?", "Remove the '?'"),
        ("https://host/VT_API.asmx#top", "after '#'"),
        ("https://host/VT_API.asmx/SendSMSMessages", "goes on past a page"),
        ("https://my host/VT_API.asmx", "space"),
        ("https://host/my folder/VT_API.asmx", "space"),
        ("https://host/VT_API.asmx\u200b", "control character"),
        ("https:\\\\host\\VT_API.asmx", "backslash"),
        ("https://host:99999/VT_API.asmx", "port"),
        ("https://host:abc/VT_API.asmx", "port"),
        ("https://bad_host!/VT_API.asmx", "not a valid server name"),
        ("https://a..b/VT_API.asmx", "not a valid server name"),
    ],
)
def test_refusals_say_what_to_change(typed: str, says: str) -> None:
    with pytest.raises(ServiceUrlError) as caught:
        normalise_service_url(typed)
    assert says in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_wsdl_and_loopback_helpers() -> None:
    assert wsdl_url(SERVICE) == SERVICE + "?WSDL"
    assert is_loopback_url("http://127.0.0.1:1/VT_API.asmx")
    assert is_loopback_url("http://localhost:1/VT_API.asmx")
    assert not is_loopback_url(SERVICE)
