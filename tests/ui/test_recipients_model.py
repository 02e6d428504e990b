"""The recipients grid's model, tested without a window (and under QAbstractItemModelTester)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from vtsms_gui.domain.outcomes import (
    NOT_RETURNED_DETAIL,
    Outcome,
    RecipientOutcome,
)
from vtsms_gui.domain.recipients import Recipient, RowState
from vtsms_gui.ui.recipients.recipients_model import (
    RAW_ROLE,
    Column,
    RecipientsModel,
    RecipientsProxy,
)

ROWS = [
    Recipient("00125", "0491 570 006", "Olivia Nguyen"),
    Recipient(None, "12345", "Typo Tim"),  # invalid number, no code
    Recipient("03037", "0491 570 156", "Jack Wilson"),
    Recipient(None, "0491570006", "Olivia again"),  # duplicate of row 1 by number
]


def display(model: RecipientsModel, row: int, column: Column) -> object:
    return model.index(row, column).data()


def test_rows_are_checked_and_summarised() -> None:
    model = RecipientsModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.replace_recipients(ROWS)

    assert model.rowCount() == len(ROWS) + 1  # the empty row to type into
    assert [display(model, r, Column.STATE) for r in range(4)] == [
        "Ready",
        "Invalid",
        "Ready",
        "Duplicate",
    ]
    tooltip = model.index(3, Column.STATE).data(Qt.ItemDataRole.ToolTipRole)
    assert "row 1" in tooltip
    assert model.index(1, Column.STATE).data(Qt.ItemDataRole.DecorationRole) is not None
    assert str(model.summary) == "4 recipients · 1 invalid · 1 duplicate"
    assert [c.state for c in model.checked()][1] is RowState.INVALID


def test_typing_into_the_empty_row_adds_a_recipient() -> None:
    model = RecipientsModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert model.rowCount() == 1
    assert model.setData(model.index(0, Column.MOBILE), "0491 570 157")
    assert model.recipient_count == 1
    assert model.rowCount() == 2
    assert display(model, 0, Column.STATE) == "Ready"
    assert model.setData(model.index(0, Column.CLIENT_CODE), "00007")
    assert model.recipient(0) == Recipient("00007", "0491 570 157", "")
    # An empty edit of the empty row adds nothing.
    assert not model.setData(model.index(1, Column.NAME), "  ")
    assert model.recipient_count == 1


def test_editing_a_row_rechecks_the_whole_list() -> None:
    model = RecipientsModel()
    model.replace_recipients(ROWS)
    model.setData(model.index(0, Column.MOBILE), "0491 570 737")
    assert display(model, 3, Column.STATE) == "Ready"  # no longer a duplicate of row 1


def test_long_lists_are_checked_in_a_worker(qtbot: QtBot) -> None:
    model = RecipientsModel(async_threshold=2)
    with qtbot.waitSignal(model.checked_changed, timeout=5000):
        model.replace_recipients(ROWS)
        assert model.summary is None  # still running
        assert display(model, 0, Column.STATE) == "Checking…"
    assert model.is_checked
    assert display(model, 1, Column.STATE) == "Invalid"


def test_an_outdated_check_is_dropped(qtbot: QtBot) -> None:
    model = RecipientsModel(async_threshold=2)
    model.replace_recipients(ROWS)
    model.remove_list_rows([1])
    qtbot.waitUntil(lambda: model.is_checked, timeout=5000)
    assert str(model.summary) == "3 recipients · 1 duplicate"


def test_sorting_permutes_the_view_and_keeps_list_numbers() -> None:
    model = RecipientsModel()
    proxy = RecipientsProxy()
    proxy.setSourceModel(model)
    QAbstractItemModelTester(proxy, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.replace_recipients(ROWS)

    proxy.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    names = [proxy.index(r, Column.NAME).data() for r in range(4)]
    assert names == ["Jack Wilson", "Olivia again", "Olivia Nguyen", "Typo Tim"]
    # The vertical header still shows each row's number in the user's list.
    numbers = [proxy.headerData(r, Qt.Orientation.Vertical) for r in range(4)]
    assert numbers == ["3", "4", "1", "2"]
    assert proxy.index(4, Column.NAME).data() is None  # the empty row stays last

    proxy.sort(Column.STATE, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, Column.STATE).data() == "Invalid"
    assert proxy.index(0, Column.STATE).data(RAW_ROLE) == 0
    assert proxy.index(0, Column.NAME).data(RAW_ROLE) == "typo tim"


def test_problem_filter_and_removals() -> None:
    model = RecipientsModel()
    proxy = RecipientsProxy()
    proxy.setSourceModel(model)
    model.replace_recipients(ROWS)

    proxy.set_problems_only(True)
    assert proxy.rowCount() == 3  # invalid, duplicate, and the empty row
    proxy.set_problems_only(False)

    assert model.remove_invalid() == 1
    assert model.remove_duplicates() == 1
    assert [r.name for r in model.recipients] == ["Olivia Nguyen", "Jack Wilson"]
    assert str(model.summary) == "2 recipients"


def test_lock_removes_the_empty_row_and_stops_edits() -> None:
    model = RecipientsModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.replace_recipients(ROWS[:1])
    model.set_locked(True)
    assert model.rowCount() == 1
    assert not model.flags(model.index(0, Column.MOBILE)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, Column.MOBILE), "0491 570 157")
    model.set_locked(False)
    assert model.rowCount() == 2


def test_results_land_in_their_rows() -> None:
    model = RecipientsModel()
    model.replace_recipients(ROWS)
    model.set_excluded([(1, "mobile number not valid")])
    model.apply_outcomes(
        [
            RecipientOutcome(0, "00125", "0491570006", 1, Outcome.SENT, "queued for sending", 1),
            RecipientOutcome(
                2, "03037", "0491570156", None, Outcome.FAILED, NOT_RETURNED_DETAIL, 1
            ),
        ]
    )
    assert display(model, 0, Column.RESULT) == "queued"
    assert display(model, 1, Column.RESULT) == "not sent (excluded)"
    assert display(model, 2, Column.RESULT) == "not returned by server"
    assert display(model, 3, Column.RESULT) is None
    assert model.index(2, Column.RESULT).data(Qt.ItemDataRole.ForegroundRole) is not None
    model.clear_results()
    assert display(model, 0, Column.RESULT) is None
