"""CSV exports open in Excel as data: formula-like text is quoted, phone numbers stay as typed."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from vtsms_gui.domain.outcomes import Outcome, RecipientOutcome
from vtsms_gui.domain.recipients import Recipient
from vtsms_gui.domain.send_plan import Exclusion, SendOptions
from vtsms_gui.storage.journal import SendRecord
from vtsms_gui.ui.recipients.recipients_model import RecipientsModel
from vtsms_gui.ui.send.results_export import export_results, export_send, safe_cell

LINK = '=HYPERLINK("http://x","y")'


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (LINK, "'" + LINK),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),  # digits first, then a formula
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("  =1+1", "'  =1+1"),  # spreadsheets skip the spaces before deciding
        ("\tTab first", "'\tTab first"),
        ("\rReturn first", "'\rReturn first"),
        ("+61 412 345 678", "+61 412 345 678"),
        ("+61412345678", "+61412345678"),
        ("-12.50", "-12.50"),
        ("-1,234", "-1,234"),
        ("Olivia Nguyen", "Olivia Nguyen"),
        ("0491 570 006", "0491 570 006"),
        ("Ann = Anne", "Ann = Anne"),
        ("", ""),
    ],
)
def test_formula_like_text_is_quoted_and_numbers_are_not(cell: str, expected: str) -> None:
    assert safe_cell(cell) == expected


def test_grid_export_quotes_a_formula_name_and_keeps_the_phone_number(
    qtbot: QtBot, tmp_path: Path
) -> None:
    model = RecipientsModel()
    model.replace_recipients(
        [Recipient("=1+1", "+61 491 570 006", LINK), Recipient("00125", "0491 570 156", "Ann")]
    )
    target = tmp_path / "results.csv"
    assert export_results(model, target) == 2
    rows = read(target)
    assert rows[1][1:4] == ["'=1+1", "+61 491 570 006", "'" + LINK]
    assert rows[2][:4] == ["2", "00125", "0491 570 156", "Ann"]


def test_history_export_quotes_server_details_and_reasons(tmp_path: Path) -> None:
    record = SendRecord(
        send_id="S-000042",
        created_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        server="https://vettrak.example/VT_API.asmx",
        username="office",
        message="Hi",
        options=SendOptions(),
        segments=1,
        credits=2,
        balance_before=100,
        recipients=(
            RecipientOutcome(0, None, "+61 491 570 006", None, Outcome.FAILED, "-ERR 42", 1),
            RecipientOutcome(2, "@admin", "0491 570 156", 0, Outcome.SENT, "Queued", 1),
        ),
        excluded=(Exclusion(1, "=cmd is not a mobile number"),),
        batches=(),
    )
    target = tmp_path / "send.csv"
    assert export_send(record, target) == 3
    rows = read(target)
    assert rows[1][3] == "+61 491 570 006"
    assert rows[1][5] == "'-ERR 42"
    assert rows[2][5] == "'=cmd is not a mobile number"
    assert rows[3][2] == "'@admin"
    assert [row[1] for row in rows[1:]] == ["1", "2", "3"]  # numbers stay numbers


def test_history_export_has_each_rows_own_text(tmp_path: Path) -> None:
    record = SendRecord(
        send_id="S-000043",
        created_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        server="https://vettrak.example/VT_API.asmx",
        username="office",
        message="Hi {First name}",
        options=SendOptions(),
        segments=1,
        credits=2,
        balance_before=100,
        recipients=(
            RecipientOutcome(0, None, "0491 570 006", 0, Outcome.SENT, "Queued", 1),
            RecipientOutcome(1, None, "0491 570 156", 0, Outcome.SENT, "Queued", 1),
        ),
        excluded=(),
        batches=(),
        texts={0: "Hi Olivia", 1: "Hi Zoë"},
    )
    target = tmp_path / "send.csv"
    export_send(record, target)
    rows = read(target)
    assert rows[0][-1] == "Text"
    assert [row[-1] for row in rows[1:]] == ["Hi Olivia", "Hi Zoë"]
