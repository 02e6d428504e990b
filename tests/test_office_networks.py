"""Office networks (issue 14): a server certificate from a private CA trusted through the OS
store (SSL_CERT_FILE on Linux, not REQUESTS_CA_BUNDLE), a CONNECT proxy, a proxy that wants a
sign-in (407), the connection check and `vtsms doctor`, and the support log's secrets scan.
All on 127.0.0.1.
"""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

pytest.importorskip("cryptography")

from network_servers import ConnectProxy, Pki, TlsFront, make_pki

from vtsms_gui.api.certificates import parse_certificate
from vtsms_gui.api.client import VettrakClient
from vtsms_gui.api.config import ClientConfig
from vtsms_gui.api.connection_check import (
    HTTP,
    NAME_LOOKUP,
    SIGN_IN,
    STEP_NAMES,
    TCP_CONNECT,
    TLS,
    WSDL,
    CheckStep,
    StepStatus,
    check_connection,
)
from vtsms_gui.api.errors import ProxyAuthRequired, TlsProblem, VettrakError
from vtsms_gui.api.proxy import DIRECT, normalise_proxy_url, resolve_proxy
from vtsms_gui.api.soap_log import SESSION_SECRETS
from vtsms_gui.core.diagnostics import diagnostics_text
from vtsms_gui.domain.send_plan import PlannedRecipient, SendOptions
from vtsms_gui.simulator import Fault, SimulatorServer
from vtsms_gui.storage.support_log import last_errors, setup_support_log

RECIPIENTS = [PlannedRecipient(0, None, "0491570006")]
PASSWORD = "p&ss<w>rd \"q\" 'x' %+/"
TOKEN = "'&7%+>-\"6(+!56$0>345<"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(autouse=True)
def clean_network_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No proxy, CA bundle or trust-store variable from the machine running the tests."""
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.delenv(name, raising=False)
    # An empty hashed-certificate folder, so only what a test adds is trusted on Linux.
    empty = tmp_path / "no-certs"
    empty.mkdir()
    monkeypatch.setenv("SSL_CERT_DIR", str(empty))


@pytest.fixture
def os_trusts(pki: Pki, monkeypatch: pytest.MonkeyPatch) -> Pki:
    """The private CA is in "this computer's" trust store (OpenSSL's default paths)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca_file))
    return pki


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer(users={"demo": PASSWORD}, token_factory=lambda: TOKEN) as server:
        yield server


@pytest.fixture
def front(pki: Pki, sim: SimulatorServer) -> Iterator[TlsFront]:
    port = int(sim.url.split(":")[2].split("/")[0])
    with TlsFront(pki, port) as server:
        yield server


def config(url: str, **kwargs: object) -> ClientConfig:
    return ClientConfig(url, connect_timeout=3, read_timeout=5, **kwargs)  # type: ignore[arg-type]


def sign_in_and_send(cfg: ClientConfig) -> None:
    with VettrakClient(cfg) as client:
        client.login("demo", PASSWORD)
        client.send_batch("Hello", RECIPIENTS, SendOptions())


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- trust: the OS store, plus the organisation's CA file ---


def test_a_private_ca_in_the_os_store_is_trusted(
    os_trusts: Pki, front: TlsFront, sim: SimulatorServer
) -> None:
    sign_in_and_send(config(front.url))
    assert len(sim.sent) == 1


def test_requests_ca_bundle_is_not_what_trusts_it(
    pki: Pki, front: TlsFront, sim: SimulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki.ca_file))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(pki.ca_file))
    with pytest.raises(TlsProblem):
        sign_in_and_send(config(front.url))
    assert sim.sent == []
    assert [r.operation for r in sim.requests] == []  # refused before anything was posted


def test_an_untrusted_certificate_is_refused_with_nothing_sent(
    front: TlsFront, sim: SimulatorServer
) -> None:
    with VettrakClient(config(front.url)) as client:
        with pytest.raises(TlsProblem) as caught:
            client.login("demo", PASSWORD)
        client.token = "t"
        with pytest.raises(TlsProblem):
            client.send_batch("Hello", RECIPIENTS, SendOptions())
    assert not caught.value.may_have_sent
    assert sim.sent == []
    assert sim.requests == []


def test_the_live_wsdl_is_checked_against_the_os_store_too(
    pki: Pki, front: TlsFront, sim: SimulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The WSDL fetch (live WSDL) goes through the same trust store as the SOAP calls."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki.ca_file))
    with pytest.raises(TlsProblem):
        VettrakClient(config(front.url, use_live_wsdl=True))
    assert sim.requests == []
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca_file))
    sign_in_and_send(config(front.url, use_live_wsdl=True))
    assert len(sim.sent) == 1


def test_the_ca_file_does_not_replace_the_os_store(
    os_trusts: Pki, front: TlsFront, sim: SimulatorServer, tmp_path: Path
) -> None:
    """A CA file of another authority leaves the computer's own trust in place."""
    other = make_pki(tmp_path / "other", ca_name="Some Other CA")
    sign_in_and_send(config(front.url, ca_file=str(other.ca_file)))
    assert len(sim.sent) == 1


def test_the_organisation_ca_file_adds_to_the_store(
    pki: Pki, front: TlsFront, sim: SimulatorServer
) -> None:
    sign_in_and_send(config(front.url, ca_file=str(pki.ca_file)))
    # the older spelling is still accepted and means the same
    old = config(front.url, verify=str(pki.ca_file))
    assert old.ca_file == str(pki.ca_file)
    sign_in_and_send(old)
    assert len(sim.sent) == 2


def test_checks_cannot_be_turned_off_and_a_bad_ca_file_is_explained(
    front: TlsFront, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="cannot be turned off"):
        config(front.url, verify=False)
    bad = tmp_path / "not-a-ca.pem"
    bad.write_text("hello")
    with pytest.raises(TlsProblem, match="could not be read"):
        VettrakClient(config(front.url, ca_file=str(bad)))


def test_vtsms_status_trusts_the_os_store_in_a_subprocess(
    pki: Pki, front: TlsFront, isolated_home: Path
) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "VTSMS_HOME": str(isolated_home),
        "VTSMS_PASSWORD": PASSWORD,
        "SSL_CERT_FILE": str(pki.ca_file),
        "SSL_CERT_DIR": str(pki.ca_file.parent / "none"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    cmd = [sys.executable, "-m", "vtsms_gui.cli.main", "status", "--server", front.url]
    done = subprocess.run(
        [*cmd, "-u", "demo", "--json"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["balance"] == 5000
    env.pop("SSL_CERT_FILE")
    refused = subprocess.run(
        [*cmd, "-u", "demo"], check=False, env=env, capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 5
    assert "certificate could not be trusted" in refused.stderr


# --- proxies ---


def test_sign_in_and_send_through_a_connect_proxy(
    os_trusts: Pki, front: TlsFront, sim: SimulatorServer
) -> None:
    with ConnectProxy(credentials=("office", "pr0xy&pass")) as proxy:
        sign_in_and_send(
            config(
                front.url,
                proxy=proxy.url,
                proxy_username="office",
                proxy_password="pr0xy&pass",
            )
        )
    assert proxy.tunnels >= 2  # login and send, each on a fresh connection
    assert all(r.startswith("CONNECT 127.0.0.1:") for r in proxy.requests)
    assert len(sim.sent) == 1


def test_https_proxy_from_the_environment_and_no_proxy(
    os_trusts: Pki, front: TlsFront, sim: SimulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ConnectProxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        route = resolve_proxy(front.url)
        assert route.proxy_url == proxy.url
        assert route.source == "the HTTPS_PROXY environment variable"
        sign_in_and_send(config(front.url))
        assert proxy.tunnels >= 2
        monkeypatch.setenv("NO_PROXY", "127.0.0.0/8")
        assert resolve_proxy(front.url).proxy_url is None
        tunnels = proxy.tunnels
        sign_in_and_send(config(front.url))
        assert proxy.tunnels == tunnels
        # the app's setting wins over the environment
        monkeypatch.delenv("NO_PROXY")
        assert resolve_proxy(front.url, DIRECT).proxy_url is None
        sign_in_and_send(config(front.url, proxy=DIRECT))
        assert proxy.tunnels == tunnels
    assert len(sim.sent) == 3


def test_a_proxy_asking_for_a_sign_in_gets_its_own_message(
    os_trusts: Pki, front: TlsFront, sim: SimulatorServer
) -> None:
    with ConnectProxy(always_407=True) as proxy:
        cfg = config(front.url, proxy=proxy.url, proxy_username="u", proxy_password="s3cr3t%")
        with pytest.raises(ProxyAuthRequired) as caught:
            sign_in_and_send(cfg)
    message = str(caught.value)
    assert message.startswith("Your network's proxy asks for a sign-in")
    assert "check the address" not in message.casefold()
    assert not caught.value.may_have_sent
    assert "s3cr3t" not in message + caught.value.technical
    assert sim.requests == []


def test_the_systems_proxy_settings_and_a_pac_script_are_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the environment, the system's static proxy (urllib: Windows Internet Options,
    macOS network settings) is used; a PAC script is not run but said (stand-ins for Windows)."""
    import urllib.request

    from vtsms_gui.api import proxy as proxy_module

    monkeypatch.setattr(urllib.request, "getproxies", lambda: {"https": "corp-proxy:8080"})
    monkeypatch.setattr(proxy_module, "_system_source", lambda: "Windows Internet Options")
    monkeypatch.setattr(proxy_module, "_windows_proxy_script", lambda: "http://wpad/proxy.pac")
    route = resolve_proxy("https://vettrak.example.org/VT_API.asmx")
    assert route.proxy_url == "http://corp-proxy:8080"
    assert route.source == "Windows Internet Options"
    assert "proxy script (http://wpad/proxy.pac), which this app does not run" in route.note
    assert resolve_proxy("https://vettrak.example.org/VT_API.asmx", DIRECT).proxy_url is None


def test_proxy_settings_are_normalised_and_credentials_kept_out_of_them() -> None:
    assert normalise_proxy_url("proxy.example.org:8080") == "http://proxy.example.org:8080"
    assert normalise_proxy_url(" Direct ") == DIRECT
    with pytest.raises(ValueError, match="username and password"):
        normalise_proxy_url("http://me:pw@proxy:3128")
    with pytest.raises(ValueError, match="not supported"):
        normalise_proxy_url("socks5://proxy:1080")
    cfg = ClientConfig(
        "https://h/VT_API.asmx", proxy="p:3128", proxy_username="u", proxy_password="hunter2"
    )
    assert cfg.proxy == "http://p:3128"
    assert "hunter2" not in repr(cfg)
    route = resolve_proxy(cfg.service_url, cfg.proxy, username="u", password="hunter2")
    assert "hunter2" not in route.display + repr(route)


# --- the connection check and `vtsms doctor` ---


def statuses(steps: tuple[CheckStep, ...]) -> dict[str, StepStatus]:
    return {step.name: step.status for step in steps}


def test_check_all_ok_with_progress_callbacks(os_trusts: Pki, front: TlsFront) -> None:
    seen: list[str] = []
    report = check_connection(
        config(front.url), username="demo", password=PASSWORD, on_step=lambda s: seen.append(s.name)
    )
    assert report.ok, report.as_dict()
    assert seen == list(STEP_NAMES)
    tls = next(s for s in report.steps if s.name == TLS)
    assert "Example Internal CA" in tls.details
    assert "this computer trusts it" in tls.details
    assert PASSWORD not in json.dumps(report.as_dict())


def test_a_skipped_sign_in_says_what_was_missing(os_trusts: Pki, front: TlsFront) -> None:
    report = check_connection(config(front.url), username="demo")
    assert report.ok, report.as_dict()
    sign_in = next(s for s in report.steps if s.name == SIGN_IN)
    assert sign_in.status is StepStatus.SKIPPED
    assert "no password was given" in sign_in.details


def test_check_names_the_issuer_this_computer_does_not_trust(front: TlsFront) -> None:
    report = check_connection(config(front.url))
    assert not report.ok
    failed = report.failed_step
    assert failed is not None and failed.name == TLS
    assert failed.tell_it.startswith(
        "The certificate was issued by 'Example Internal CA', which this computer does not trust."
    )
    assert statuses(report.steps)[SIGN_IN] is StepStatus.SKIPPED


def test_check_through_the_proxy_says_so_and_a_407(os_trusts: Pki, front: TlsFront) -> None:
    with ConnectProxy() as proxy:
        report = check_connection(config(front.url, proxy=proxy.url))
    assert report.ok, report.as_dict()
    lookup = report.steps[0]
    assert lookup.name == NAME_LOOKUP and "the proxy" in lookup.details
    assert "tunnel" in report.steps[1].details
    with ConnectProxy(always_407=True) as proxy:
        report = check_connection(config(front.url, proxy=proxy.url))
    failed = report.failed_step
    assert failed is not None and failed.name == TCP_CONNECT
    assert "proxy asks for a sign-in" in failed.tell_it


def test_check_nothing_listening_and_a_web_page_that_is_not_vettrak(tmp_path: Path) -> None:
    report = check_connection(config(f"http://127.0.0.1:{closed_port()}/VT_API.asmx"))
    failed = report.failed_step
    assert failed is not None and failed.name == TCP_CONNECT
    assert "connection refused" in failed.tell_it

    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    (tmp_path / "VT_API.asmx").write_text("<html><title>Intranet</title>Welcome</html>")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        report = check_connection(config(f"http://127.0.0.1:{server.server_port}/VT_API.asmx"))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    failed = report.failed_step
    assert failed is not None and failed.name == WSDL, report.as_dict()
    assert "not with VETtrak's service description" in failed.tell_it


def test_vtsms_doctor_json_and_exit_codes(
    os_trusts: Pki,
    front: TlsFront,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vtsms_gui.cli.main import main

    monkeypatch.setenv("VTSMS_PASSWORD", PASSWORD)
    assert main(["doctor", "--server", front.url, "-u", "demo", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [s["status"] for s in out["steps"]] == ["ok"] * 6
    monkeypatch.delenv("SSL_CERT_FILE")
    assert main(["doctor", "--server", front.url]) == 1
    printed = capsys.readouterr().out
    assert "[FAIL] TLS certificate" in printed
    assert "Tell IT: The certificate was issued by 'Example Internal CA'" in printed


def test_vtsms_doctor_signs_in_to_the_proxy_it_is_given(
    os_trusts: Pki,
    front: TlsFront,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--proxy-username with the password from VTSMS_PROXY_PASSWORD, as `vtsms status` does:
    without them a proxy that wants a sign-in can only be reported, never checked past it."""
    from vtsms_gui.cli.main import main

    monkeypatch.setenv("VTSMS_PROXY_PASSWORD", "pr0xy&pass")
    with ConnectProxy(credentials=("office", "pr0xy&pass")) as proxy:
        code = main(
            ["doctor", "--server", front.url, "--proxy", proxy.url, "--proxy-username", "office"]
        )
        printed = capsys.readouterr().out
        assert code == 0, printed
        assert "with a proxy username" in printed and "All steps passed." in printed
        assert "pr0xy" not in printed
        assert proxy.tunnels >= 1
        assert main(["doctor", "--server", front.url, "--proxy-username", "office"]) == 2
        assert "needs --proxy" in capsys.readouterr().err


def test_the_check_writes_its_steps_to_the_support_log(front: TlsFront, tmp_path: Path) -> None:
    """What "Test connection" and `vtsms doctor` found is in the log for a support person,
    and among the last errors that Help > Copy diagnostics shows."""
    log = setup_support_log(folder=tmp_path)
    try:
        check_connection(config(front.url), username="demo", password=PASSWORD)
    finally:
        log.close()
    text = log.path.read_text(encoding="utf-8")
    assert "Connection check: TCP connect ok" in text
    assert "Connection check: TLS certificate failed" in text
    assert "which this computer does not trust" in text
    assert f"Connection check of 127.0.0.1:{front.port} (no proxy (none set)): TLS" in text
    assert any("TLS certificate failed" in line for line in last_errors(5, log.path))
    for form in all_spellings(PASSWORD):
        assert form not in text


def test_an_unreadable_ca_file_is_a_failed_step_even_for_http(tmp_path: Path) -> None:
    """The HTTP step meets the CA file first when the address is http://: a failed step with
    the plain message, never an exception out of the check (a traceback from `vtsms doctor`)."""
    bad = tmp_path / "not-a-ca.pem"
    bad.write_text("hello")
    with SimulatorServer() as plain:
        report = check_connection(config(plain.url, ca_file=str(bad)))
    failed = report.failed_step
    assert failed is not None and failed.name == HTTP, report.as_dict()
    assert "could not be read as PEM certificates" in failed.tell_it


def test_the_certificate_reader_agrees_with_cryptography(pki: Pki) -> None:
    import ssl

    der = ssl.PEM_cert_to_DER_cert(pki.cert_file.read_text())
    info = parse_certificate(der)
    assert info.issuer_name == "Example Internal CA"
    assert info.subject_name == "vettrak.test"
    assert info.matches_host("127.0.0.1") and info.matches_host("localhost")
    assert not info.matches_host("example.org")
    assert not info.self_signed and not info.is_expired()


# --- the support log and the diagnostics ---


def all_spellings(secret: str) -> set[str]:
    xml = secret.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return {
        secret,
        xml,
        xml.replace('"', "&quot;").replace("'", "&apos;"),
        xml.replace('"', "&#34;").replace("'", "&#39;"),
        quote(secret, safe=""),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        repr(secret)[1:-1],
    }


def test_support_log_has_no_secrets_after_a_session(
    os_trusts: Pki, front: TlsFront, sim: SimulatorServer, tmp_path: Path
) -> None:
    SESSION_SECRETS.clear()  # earlier tests' toy secrets ("t") would mask every letter t
    log = setup_support_log(debug=True, folder=tmp_path)
    try:
        with ConnectProxy(credentials=("office", "pr0xy&pass")) as proxy:
            cfg = config(
                front.url, proxy=proxy.url, proxy_username="office", proxy_password="pr0xy&pass"
            )
            with VettrakClient(cfg) as client:
                client.login("demo", PASSWORD)
                client.send_batch("Hello", RECIPIENTS, SendOptions())
                sim.inject(Fault.HTTP_500_HTML, operation="GetSMSStatus")
                with pytest.raises(VettrakError):
                    client.get_sms_status()
        # records that quote the secrets outright, as a careless library might
        logging.getLogger("vtsms_gui.test").warning("login with %s and %r", PASSWORD, TOKEN)
        logging.getLogger("other.lib").error("body <Token>%s</Token>", "anything-at-all")
        logging.getLogger("vtsms_gui.test").info(
            "url %s", f"http://office:{quote('pr0xy&pass', safe='')}@proxy"
        )
    finally:
        log.close()
    text = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("vtsms.log*"))
    assert "GetSMSStatus failed: ServerErrorPage" in text
    assert "SendSMSMessages to 127.0.0.1" in text
    for secret in (PASSWORD, TOKEN, "pr0xy&pass"):
        for form in all_spellings(secret):
            assert form not in text, f"{form!r} of a secret is in the support log"
    assert "anything-at-all" not in text
    errors = last_errors(5, log.path)
    assert any("GetSMSStatus failed" in line for line in errors)

    diagnostics = diagnostics_text(config=cfg, qt_version="6.8.0", log_path=log.path)
    assert "Qt: 6.8.0" in diagnostics
    assert "operating system's trust store" in diagnostics
    assert f"127.0.0.1:{proxy.port} (from the app's proxy setting, with a proxy username)" in (
        diagnostics
    )
    assert "GetSMSStatus failed" in diagnostics
    for secret in (PASSWORD, TOKEN, "pr0xy&pass"):
        assert secret not in diagnostics
    assert TOKEN in SESSION_SECRETS.snapshot()


def test_the_session_signs_in_to_the_proxy_with_the_password_from_the_keyring(
    os_trusts: Pki, front: TlsFront, sim: SimulatorServer
) -> None:
    from memory_keyring import MemoryKeyring

    from vtsms_gui.core.session import Session, SignIn
    from vtsms_gui.storage.credentials import CredentialStore

    store = CredentialStore(MemoryKeyring())
    with ConnectProxy(credentials=("office", "pr0xy&pass")) as proxy:
        session = Session(credentials=lambda: store)
        session.set_network(ca_file=None, proxy=proxy.url, proxy_username="office")
        with pytest.raises(ProxyAuthRequired):  # no password kept yet
            session.sign_in(SignIn(front.url, "demo", PASSWORD))
        session.keep_proxy_password(proxy.url, "office", "pr0xy&pass")
        info = session.sign_in(SignIn(front.url, "demo", PASSWORD))
        assert info.status.balance == sim.balance
        assert "pr0xy&pass" in session.known_secrets()  # so every log masks it
        assert store.get_proxy_password(proxy.url, "office") == "pr0xy&pass"
        session.close()
    assert proxy.tunnels >= 2
