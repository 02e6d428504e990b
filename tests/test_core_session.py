"""The one Session of both faces, against the simulator over real HTTP: signing in, resuming a
stored token, the one rule for dropping a token, one re-login on an expired token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from memory_keyring import MemoryKeyring

from vtsms_gui.api.errors import LoginRefused, SmsNotEnabled, TokenExpired
from vtsms_gui.core.session import Session, SignIn, token_refused
from vtsms_gui.simulator.server import SimulatorServer
from vtsms_gui.storage.credentials import CredentialStore

# Real tokens hold XML-special characters: this password is as awkward.
PASSWORD = "p&ss<w>rd\"'"


@pytest.fixture
def simulator() -> Iterator[SimulatorServer]:
    with SimulatorServer(port=0, users={"office": PASSWORD}) as server:
        yield server


@pytest.fixture
def store() -> CredentialStore:
    return CredentialStore(MemoryKeyring())


def make_session(store: CredentialStore, asked: list[tuple[str, str]] | None = None) -> Session:
    def ask(server: str, username: str) -> str | None:
        if asked is None:
            return None
        asked.append((server, username))
        return PASSWORD

    return Session(credentials=lambda: store, ask_password=ask)


def logins(simulator: SimulatorServer) -> int:
    return sum(1 for r in simulator.requests if r.operation == "ValidateClient")


def test_sign_in_keeps_the_token_and_reads_the_balance(
    simulator: SimulatorServer, store: CredentialStore
) -> None:
    session = make_session(store)
    info = session.sign_in(SignIn(simulator.url, "office", PASSWORD, remember=True))

    assert (info.server, info.username, info.demo) == (simulator.url, "office", False)
    assert info.status.balance == simulator.balance
    token = store.get_token(simulator.url, "office")
    assert token and token in session.known_secrets()
    assert PASSWORD in session.known_secrets()
    assert store.get_password(simulator.url, "office") == PASSWORD
    session.close()


def test_a_wrong_password_is_refused_and_nothing_is_kept(
    simulator: SimulatorServer, store: CredentialStore
) -> None:
    session = make_session(store)
    with pytest.raises(LoginRefused):
        session.sign_in(SignIn(simulator.url, "office", "wrong"))
    assert store.get_token(simulator.url, "office") is None
    assert session.info is None


def test_resume_uses_the_stored_token_without_logging_in(
    simulator: SimulatorServer, store: CredentialStore
) -> None:
    make_session(store).sign_in(SignIn(simulator.url, "office", PASSWORD))
    before = logins(simulator)

    info = make_session(store).resume(simulator.url, "office")

    assert info.status.balance == simulator.balance
    assert logins(simulator) == before


def test_an_expired_stored_token_is_renewed_once_with_the_kept_password(
    simulator: SimulatorServer, store: CredentialStore
) -> None:
    make_session(store).sign_in(SignIn(simulator.url, "office", PASSWORD, remember=True))
    simulator.expire_all_tokens()
    before = logins(simulator)

    info = make_session(store).resume(simulator.url, "office")

    assert info.status.balance == simulator.balance
    assert logins(simulator) == before + 1


def test_a_refused_token_is_dropped_when_no_password_is_kept(
    simulator: SimulatorServer, store: CredentialStore
) -> None:
    make_session(store).sign_in(SignIn(simulator.url, "office", PASSWORD))
    fresh = CredentialStore(MemoryKeyring())
    fresh.set_token(simulator.url, "office", store.get_token(simulator.url, "office") or "")
    simulator.expire_all_tokens()
    asked: list[tuple[str, str]] = []

    with pytest.raises(TokenExpired):
        make_session(fresh, asked).resume(simulator.url, "office", may_ask=False)

    assert asked == []  # the window's resume never asks: its login dialog does
    assert fresh.get_token(simulator.url, "office") is None


def test_a_vettrak_without_sms_keeps_its_token(
    simulator: SimulatorServer, store: CredentialStore
) -> None:
    make_session(store).sign_in(SignIn(simulator.url, "office", PASSWORD))
    simulator.set_sms_enabled(False)

    with pytest.raises(SmsNotEnabled):
        make_session(store).resume(simulator.url, "office")

    assert store.get_token(simulator.url, "office")  # the token was fine; the VETtrak is not


def test_connect_falls_back_to_a_password_asked_for(
    simulator: SimulatorServer, store: CredentialStore
) -> None:
    asked: list[tuple[str, str]] = []
    info = make_session(store, asked).connect(simulator.url, "office")

    assert asked == [(simulator.url, "office")]
    assert info.status.balance == simulator.balance
    assert store.get_token(simulator.url, "office")
    # Kept in memory for a re-login, not remembered in the keyring.
    assert store.get_password(simulator.url, "office") == PASSWORD


def test_connect_leaves_a_remembered_password_remembered(
    simulator: SimulatorServer,
) -> None:
    keyring = MemoryKeyring()
    make_session(CredentialStore(keyring)).sign_in(
        SignIn(simulator.url, "office", PASSWORD, remember=True)
    )
    later = CredentialStore(keyring)  # a new process: only the keyring is left
    later.delete_token(simulator.url, "office")

    make_session(later).connect(simulator.url, "office")

    assert CredentialStore(keyring).get_password(simulator.url, "office") == PASSWORD


def test_sign_out_forgets_the_token_and_password(
    simulator: SimulatorServer, store: CredentialStore
) -> None:
    session = make_session(store)
    session.sign_in(SignIn(simulator.url, "office", PASSWORD, remember=True))
    session.sign_out()
    assert store.get_token(simulator.url, "office") is None
    assert store.get_password(simulator.url, "office") is None
    assert session.info is None and session.client is None


def test_the_demo_runs_its_own_simulator(store: CredentialStore) -> None:
    session = make_session(store)
    info = session.start_demo()
    try:
        assert info.demo and info.username == "demo"
        assert session.simulator is not None and info.server == session.simulator.url
        assert session.refresh_status().balance == info.status.balance
    finally:
        session.close()
    assert session.simulator is None


def test_the_rule_for_dropping_a_token() -> None:
    assert token_refused(TokenExpired("expired", status=-2))
    assert not token_refused(SmsNotEnabled("no SMS", status=-5))
    assert not token_refused(OSError("disk"))


def test_network_settings_reach_the_client_but_never_the_demo(store: CredentialStore) -> None:
    session = make_session(store)
    session.set_network(ca_file=None, proxy="http://proxy.example.org:8080")
    info = session.start_demo()  # would fail if 127.0.0.1 went through that (absent) proxy
    try:
        assert info.demo and session.client is not None
        assert session.client.config.proxy == "direct"
    finally:
        session.close()


def test_a_proxy_setting_is_used_for_a_real_server(
    simulator: SimulatorServer, store: CredentialStore
) -> None:
    session = make_session(store)
    session.set_network(ca_file=None, proxy="direct")
    session.sign_in(SignIn(simulator.url, "office", PASSWORD))
    assert session.client is not None and session.client.config.proxy == "direct"
