"""The VETtrak client against the local simulator: every operation over SOAP 1.1 and 1.2, the
server's refusals, one re-login after a token expiry, and no secret in any error or log.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vtsms_gui.api.client import ClientConfig, LoginResult, VettrakClient
from vtsms_gui.api.errors import (
    LoginRefused,
    NotEnoughCredit,
    ServerRefused,
    SmsNotEnabled,
    TokenExpired,
)
from vtsms_gui.api.soap_log import SoapExchange
from vtsms_gui.domain.outcomes import Outcome
from vtsms_gui.domain.send_plan import PlannedRecipient, SendOptions
from vtsms_gui.simulator import Fault, SimulatorServer

TOKEN = "'&7%+>-\"6(+!56$<0>345"
PASSWORD = "p<a&s>s\"w'rd"


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer(users={"demo": "demo", "office": PASSWORD}) as server:
        yield server


@pytest.fixture(params=["1.1", "1.2"])
def soap_version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(sim: SimulatorServer, soap_version: str) -> Iterator[VettrakClient]:
    with VettrakClient(ClientConfig(sim.url, soap_version=soap_version)) as vettrak:
        yield vettrak


def operations(sim: SimulatorServer) -> list[str]:
    return [r.operation for r in sim.requests]


def test_login_keeps_the_token_and_masks_it_in_repr(
    sim: SimulatorServer, client: VettrakClient, soap_version: str
) -> None:
    result = client.login("demo", "demo")
    assert isinstance(result, LoginResult)
    assert result.token and client.token == result.token
    assert result.user_id > 0
    assert result.token_type in {"02", "03"}
    assert result.token not in repr(result)
    assert result.token not in repr(client)
    assert sim.requests[-1].soap_version == soap_version


def test_a_wrong_password_is_refused(
    client: VettrakClient, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(LoginRefused) as caught:
        client.login("demo", "wrong-pa55word")
    # The reply was an HTTP 200: the support log must say the sign-in was refused.
    [refused] = [r for r in caplog.records if "refused the sign-in" in r.getMessage()]
    assert refused.levelname == "WARNING" and "'demo'" in refused.getMessage()
    assert "wrong-pa55word" not in caplog.text
    assert "did not accept this username and password" in str(caught.value)
    assert "Invalid Username/Password Combination." in str(caught.value)
    assert not caught.value.may_have_sent
    assert client.token is None


def test_sms_status_reports_the_balance(sim: SimulatorServer, client: VettrakClient) -> None:
    client.login("demo", "demo")
    status = client.get_sms_status()
    assert status.balance == sim.balance == 5000
    assert status.sms_status == 1
    assert status.message


def test_send_batch_returns_each_result_and_the_new_balance(
    sim: SimulatorServer, client: VettrakClient
) -> None:
    client.login("demo", "demo")
    code = next(c.code for c in sim.clients if c.mobile and not c.marketing_opt_out)
    reply = client.send_batch(
        "Class is cancelled today.",
        [PlannedRecipient(0, code, None), PlannedRecipient(1, None, "0491570006")],
        SendOptions(sender="RTO"),
    )
    assert reply.sms_sent == 2 == len(sim.sent)
    assert reply.balance == sim.balance == 4998
    assert {r.client_code for r in reply.results} == {code, None}
    assert all(r.status == 1 for r in reply.results)
    assert {s.sender for s in sim.sent} == {"RTO"}


def test_the_simulator_sees_the_options(sim: SimulatorServer, client: VettrakClient) -> None:
    from datetime import datetime, timedelta, timezone

    client.login("demo", "demo")
    code = next(c.code for c in sim.clients if c.mobile and not c.marketing_opt_out)
    when = datetime(2030, 1, 2, 9, 0, tzinfo=timezone(timedelta(hours=11)))
    client.send_batch(
        "Reply STOP to opt out",
        [PlannedRecipient(0, code, None)],
        SendOptions(marketing=True, accept_replies=True, schedule=when),
    )
    [sms] = sim.sent
    assert sms.is_marketing and sms.accept_replies
    assert sms.schedule == when


def test_sms_not_enabled(sim: SimulatorServer, client: VettrakClient) -> None:
    client.login("demo", "demo")
    sim.set_sms_enabled(False)
    with pytest.raises(SmsNotEnabled, match="does not include SMS"):
        client.get_sms_status()
    with pytest.raises(SmsNotEnabled):
        client.send_batch("Hi", [PlannedRecipient(0, None, "0491570006")], SendOptions())
    assert sim.sent == []


def test_not_enough_credit(client: VettrakClient) -> None:
    with SimulatorServer(balance=1) as poor, VettrakClient(ClientConfig(poor.url)) as vettrak:
        vettrak.login("demo", "demo")
        recipients = [PlannedRecipient(i, None, f"049157000{i}") for i in range(2)]
        with pytest.raises(NotEnoughCredit) as caught:
            vettrak.send_batch("Hi", recipients, SendOptions())
        assert "not enough SMS credit" in str(caught.value)
        assert "Insufficient SMS credit" in str(caught.value)
        assert not caught.value.may_have_sent
        assert poor.sent == []


def test_other_refusals_carry_the_servers_message(client: VettrakClient) -> None:
    client.login("demo", "demo")
    with pytest.raises(ServerRefused) as caught:
        client.send_batch("", [PlannedRecipient(0, None, "0491570006")], SendOptions())
    assert type(caught.value) is ServerRefused
    assert "messageContent is empty" in str(caught.value)
    assert caught.value.status == -1


def test_an_unknown_token_is_refused_not_repeated(
    sim: SimulatorServer, client: VettrakClient
) -> None:
    client.login("demo", "demo")
    client.token = "never-issued"
    with pytest.raises(ServerRefused, match="Invalid token"):
        client.get_sms_status()
    assert operations(sim) == ["ValidateClient", "GetSMSStatus"]


def test_calls_before_login_are_refused_locally(
    sim: SimulatorServer, client: VettrakClient
) -> None:
    with pytest.raises(TokenExpired, match="Log in"):
        client.get_sms_status()
    assert sim.requests == []


# --- token expiry: one re-login, one repeat, never more ---


def test_an_expired_token_logs_in_again_once_and_repeats_the_call(
    sim: SimulatorServer, client: VettrakClient
) -> None:
    client.login("demo", "demo")
    first = client.token
    sim.inject(Fault.EXPIRE_TOKEN, operation="GetSMSStatus")
    assert client.get_sms_status().balance == 5000
    assert operations(sim) == ["ValidateClient", "GetSMSStatus", "ValidateClient", "GetSMSStatus"]
    assert client.token != first


def test_a_send_refused_for_expiry_is_repeated_once_and_sent_once(
    sim: SimulatorServer, client: VettrakClient
) -> None:
    client.login("demo", "demo")
    sim.inject(Fault.EXPIRE_TOKEN, operation="SendSMSMessages")
    reply = client.send_batch("Hi", [PlannedRecipient(0, None, "0491570006")], SendOptions())
    assert reply.sms_sent == 1
    assert [s.mobile for s in sim.sent] == ["0491570006"]


def test_expired_again_after_the_new_login_gives_up(
    sim: SimulatorServer, client: VettrakClient
) -> None:
    client.login("demo", "demo")
    sim.inject(Fault.EXPIRE_TOKEN, operation="GetSMSStatus", times=3)
    with pytest.raises(TokenExpired, match="expired"):
        client.get_sms_status()
    assert operations(sim).count("ValidateClient") == 2
    assert operations(sim).count("GetSMSStatus") == 2


def test_the_relogin_callback_is_used_when_given(sim: SimulatorServer) -> None:
    helper = VettrakClient(ClientConfig(sim.url))
    calls: list[str] = []

    def relogin() -> str:
        calls.append("relogin")
        return helper.login("demo", "demo").token

    with helper, VettrakClient(ClientConfig(sim.url), relogin=relogin) as vettrak:
        vettrak.token = helper.login("demo", "demo").token
        sim.expire_all_tokens()
        assert vettrak.get_sms_status().balance == 5000
        assert calls == ["relogin"]


def test_without_credentials_or_callback_an_expiry_is_reported(sim: SimulatorServer) -> None:
    with (
        VettrakClient(ClientConfig(sim.url)) as first,
        VettrakClient(ClientConfig(sim.url)) as other,
    ):
        other.token = first.login("demo", "demo").token
        sim.expire_all_tokens()
        with pytest.raises(TokenExpired, match="Log in again"):
            other.get_sms_status()


# --- secrets ---


def test_no_error_and_no_log_entry_shows_the_token_or_password(soap_version: str) -> None:
    exchanges: list[SoapExchange] = []
    with (
        SimulatorServer(users={"office": PASSWORD}, token_factory=lambda: TOKEN) as sim,
        VettrakClient(
            ClientConfig(sim.url, soap_version=soap_version), on_exchange=exchanges.append
        ) as vettrak,
    ):
        assert vettrak.login("office", PASSWORD).token == TOKEN
        errors: list[Exception] = []
        for fault in (Fault.SOAP_FAULT, Fault.HTTP_500_HTML, Fault.TRUNCATED_XML):
            sim.inject(fault, operation="GetSMSStatus")
            with pytest.raises(Exception) as caught:
                vettrak.get_sms_status()
            errors.append(caught.value)
        sim.set_sms_enabled(False)
        with pytest.raises(SmsNotEnabled) as refused:
            vettrak.get_sms_status()
        errors.append(refused.value)
        with pytest.raises(LoginRefused) as wrong:
            vettrak.login("office", PASSWORD + "x")
        errors.append(wrong.value)
    shown = [str(e) for e in errors] + [repr(e) for e in errors]
    shown += [getattr(e, "technical", "") for e in errors]
    shown += [e.request + (e.response or "") + e.error for e in exchanges]
    assert len(exchanges) >= 6
    for text in shown:
        for secret in (TOKEN, PASSWORD, "&amp;7%+&gt;", "p&lt;a&amp;s"):
            assert secret not in text
    assert any("********" in e.request for e in exchanges)


def test_refusals_are_definitely_not_sent(client: VettrakClient) -> None:
    with pytest.raises(LoginRefused) as caught:
        client.login("nobody", "nothing")
    assert caught.value.may_have_sent is False
    assert Outcome.FAILED.value == "failed"
