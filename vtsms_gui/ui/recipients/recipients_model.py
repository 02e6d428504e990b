"""The recipients grid's model: the user's list, each row's check, and its send result.

Rows keep the user's order (the order row numbers in reasons refer to); sorting only permutes
what the view shows. Checks run in bulk through the core's `check_recipients`, in a worker
thread for long lists, and land with one `dataChanged` for the whole state column.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    Signal,
)

from vtsms_gui.domain.outcomes import RecipientOutcome
from vtsms_gui.domain.recipients import (
    CheckedRecipient,
    Recipient,
    RecipientSummary,
    RowState,
    summarise,
)
from vtsms_gui.ui.common import label_roles
from vtsms_gui.ui.recipients import recipients_proxy, row_checks
from vtsms_gui.ui.recipients.recipients_columns import EDITABLE, FIELD, HEADERS, Column, with_cell
from vtsms_gui.ui.recipients.recipients_proxy import RecipientsProxy
from vtsms_gui.ui.recipients.row_checks import CachingParser, CheckJob, CheckSignals
from vtsms_gui.ui.recipients.row_labels import (
    RowLabel,
    excluded_label,
    not_sent_label,
    outcome_label,
    state_label,
    value_check_label,
    value_problem_label,
)

__all__ = [
    "PROBLEM_ROLE",
    "RAW_ROLE",
    "CachingParser",
    "Column",
    "RecipientsModel",
    "RecipientsProxy",
]

RAW_ROLE = label_roles.RAW_ROLE
"""The value a column sorts by (a rank, a casefolded name, a number in E.164)."""
PROBLEM_ROLE = recipients_proxy.PROBLEM_ROLE
""""problem" for rows that need a look (and the empty row, so it stays visible), else ""."""

ASYNC_THRESHOLD = 3000
"""Lists longer than this are checked in a worker thread, so typing never waits on them."""

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class RecipientsModel(QAbstractTableModel):
    """Recipients plus one empty row at the end to type a new one into (unless locked)."""

    checked_changed = Signal()
    """The checks (and so the summary) are up to date again."""
    rows_changed = Signal()
    """Rows were added, edited or removed (checks may still be running)."""

    def __init__(
        self,
        *,
        region: str = "AU",
        async_threshold: int = ASYNC_THRESHOLD,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._parser = CachingParser(region)
        self._async_threshold = async_threshold
        self._recipients: list[Recipient] = []
        self._checked: list[CheckedRecipient | None] = []
        self._results: list[RowLabel | None] = []
        self._value_problems: dict[int, str] = {}  # list row -> "no Course"
        self._value_advice: dict[int, str] = {}  # list row -> what to do about it
        self._order = array("l")  # view row -> index in the user's list
        self._rules = row_checks.CheckRules()
        self._locked = False
        self._generation = 0
        self._checked_generation = 0
        self._summary: RecipientSummary | None = summarise([])
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = CheckSignals(self)
        self._signals.done.connect(self._apply_checks)

    # --- Qt model interface ---

    def rowCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid():
            return 0
        return len(self._recipients) + (0 if self._locked else 1)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[Column(section)] if 0 <= section < len(Column) else None
        if section < len(self._order):
            return str(self._order[section] + 1)  # the row's number in the user's list
        return "+" if section == len(self._order) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self._locked and index.column() in EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if row >= len(self._order):
            return self._placeholder_data(column, role)
        at = self._order[row]
        if role == PROBLEM_ROLE and at in self._value_problems:
            return "problem"  # left out because of a value: the filter shows it too
        if column == Column.STATE:
            return self._label_data(self._check_label(at), role, self._state_key(at))
        if column == Column.RESULT:
            label = self._result_label(at)
            if label is None:
                return 9 if role == RAW_ROLE else None
            return self._label_data(label, role, label.rank)
        return self._cell_data(at, Column(column), role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        column = Column(index.column())
        if role != Qt.ItemDataRole.EditRole or self._locked or column not in EDITABLE:
            return False
        text = str(value or "").strip()
        row = index.row()
        if row >= len(self._order):
            if not text:
                return False
            self.append_recipients([Recipient(None, None, "")], edit=(column, text))
            return True
        at = self._order[row]
        current = self._recipients[at]
        updated = with_cell(current, column, text)
        if updated == current:
            return False
        self._recipients[at] = updated
        self._checked[at] = None
        self._results[at] = None
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
        self.rows_changed.emit()
        self._check()
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the view by the column's raw value: a permutation, in Python, in one go.

        (QSortFilterProxyModel's own sort calls `data()` for every comparison: 7 s for 100,000
        rows. The proxy below hands sorting to this method instead.)
        """
        if not 0 <= column < len(Column) or not self._order:
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        old_order = self._order
        key = self._sort_key(Column(column))
        ordered = sorted(old_order, key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self._order = array("l", ordered)
        new_rows = {at: row for row, at in enumerate(ordered)}
        after = [
            self.index(new_rows[old_order[i.row()]], i.column())
            if i.row() < len(old_order)
            else self.index(i.row(), i.column())  # the empty last row stays last
            for i in before
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    # --- the list ---

    @property
    def recipient_count(self) -> int:
        return len(self._recipients)

    @property
    def recipients(self) -> list[Recipient]:
        """The user's list, in its own order (not the view's)."""
        return list(self._recipients)

    def recipient(self, list_row: int) -> Recipient:
        return self._recipients[list_row]

    def list_row(self, view_row: int) -> int | None:
        """The index in the user's list of a model row; None for the empty last row."""
        return self._order[view_row] if 0 <= view_row < len(self._order) else None

    def view_row(self, list_row: int) -> int:
        return self._order.index(list_row)

    def replace_recipients(self, recipients: Sequence[Recipient]) -> None:
        self.beginResetModel()
        self._recipients = list(recipients)
        self._reset_derived()
        self.endResetModel()
        self.rows_changed.emit()
        self._check()

    def append_recipients(
        self, recipients: Sequence[Recipient], *, edit: tuple[Column, str] | None = None
    ) -> None:
        """Add rows at the end of the list (and of the view). `edit` fills one cell of the first."""
        if not recipients:
            return
        items = list(recipients)
        if edit is not None:
            items[0] = with_cell(items[0], *edit)
        first = len(self._order)
        self.beginInsertRows(_ROOT, first, first + len(items) - 1)
        start = len(self._recipients)
        self._recipients.extend(items)
        self._checked.extend([None] * len(items))
        self._results.extend([None] * len(items))
        self._order.extend(range(start, start + len(items)))
        self.endInsertRows()
        self.rows_changed.emit()
        self._check()

    def remove_list_rows(self, list_rows: Iterable[int]) -> int:
        """Remove rows by their index in the user's list; returns how many went."""
        gone = set(list_rows) & set(range(len(self._recipients)))
        if not gone:
            return 0
        self.beginResetModel()
        keep = [i for i in range(len(self._recipients)) if i not in gone]
        new_index = {old: new for new, old in enumerate(keep)}
        self._recipients = [self._recipients[i] for i in keep]
        # Checks are redone: removing a row changes which rows are duplicates of which.
        self._checked = [None] * len(keep)
        self._results = [None] * len(keep)
        self._order = array("l", (new_index[i] for i in self._order if i in new_index))
        self._value_problems, self._value_advice = {}, {}
        self.endResetModel()
        self._parser.trim(len(keep))
        self.rows_changed.emit()
        self._check()
        return len(gone)

    def remove_view_rows(self, view_rows: Iterable[int]) -> int:
        return self.remove_list_rows(
            at for row in view_rows if (at := self.list_row(row)) is not None
        )

    def remove_invalid(self) -> int:
        return self.remove_list_rows(
            i for i, c in enumerate(self._checked) if c is not None and c.state is RowState.INVALID
        )

    def remove_duplicates(self) -> int:
        return self.remove_list_rows(
            i for i, c in enumerate(self._checked) if c is not None and c.duplicate_of is not None
        )

    def clear(self) -> None:
        self.replace_recipients([])

    # --- checks ---

    @property
    def is_checked(self) -> bool:
        """True when every row's check is up to date."""
        return self._checked_generation == self._generation

    @property
    def summary(self) -> RecipientSummary | None:
        """The summary of the latest checks; None while a check is running."""
        return self._summary if self.is_checked else None

    def checked(self) -> list[CheckedRecipient]:
        """Every row's check, in the user's order. Only call when `is_checked`."""
        if not self.is_checked:
            raise RuntimeError("The recipients are still being checked.")
        return [c for c in self._checked if c is not None]

    def set_require_client_code(self, required: bool) -> None:
        """Replies accepted: a row without a client code becomes invalid."""
        self._set_rules(replace(self._rules, require_client_code=required))

    @property
    def known_code_length(self) -> int | None:
        return self._rules.known_code_length

    def set_known_code_length(self, length: int | None) -> None:
        """The length of this VETtrak's client codes (past sends show it), or None."""
        self._set_rules(replace(self._rules, known_code_length=length))

    def _set_rules(self, rules: row_checks.CheckRules) -> None:
        if rules != self._rules:
            self._rules = rules
            self._check()

    def wait_for_checks(self, msecs: int = 30_000) -> bool:
        """Block until a running check finished (for tests and the command to send)."""
        done = self._pool.waitForDone(msecs)
        return bool(done)

    def _check(self) -> None:
        self._generation += 1
        recipients = tuple(self._recipients)
        if len(recipients) <= self._async_threshold:
            checked = row_checks.run_checks(recipients, self._parser, self._rules)
            self._apply_checks(self._generation, checked)
            return
        self._pool.start(
            CheckJob(self._generation, recipients, self._parser, self._rules, self._signals)
        )

    def _apply_checks(self, generation: int, checked: list[CheckedRecipient]) -> None:
        if generation != self._generation:
            return  # the list changed again meanwhile; a newer check is on its way
        self._checked = list(checked)
        self._summary = summarise(checked)
        self._checked_generation = generation
        if self._order:
            last = len(self._order) - 1
            self.dataChanged.emit(self.index(0, Column.STATE), self.index(last, Column.STATE))
        self.checked_changed.emit()

    # --- results of a send ---

    @property
    def locked(self) -> bool:
        return self._locked

    def set_locked(self, locked: bool) -> None:
        """While sending: no edits, and no empty row to type into."""
        if locked == self._locked:
            return
        placeholder = len(self._order)
        if locked:
            self.beginRemoveRows(_ROOT, placeholder, placeholder)
            self._locked = True
            self.endRemoveRows()
        else:
            self.beginInsertRows(_ROOT, placeholder, placeholder)
            self._locked = False
            self.endInsertRows()

    def clear_results(self) -> None:
        self._results = [None] * len(self._recipients)
        self._emit_column(Column.RESULT)

    def set_excluded(self, excluded: Iterable[tuple[int, str]]) -> None:
        """Mark rows the plan left out, by (list row, reason)."""
        for row, reason in excluded:
            if 0 <= row < len(self._results):
                self._results[row] = excluded_label(reason)
        self._emit_column(Column.RESULT)

    def set_not_sent(self, list_rows: Iterable[int], detail: str) -> None:
        for row in list_rows:
            if 0 <= row < len(self._results):
                self._results[row] = not_sent_label(detail)
        self._emit_column(Column.RESULT)

    def refresh_colours(self) -> None:
        """Repaint icons and colours after the light/dark scheme changed."""
        self._emit_column(Column.STATE)
        self._emit_column(Column.RESULT)

    def apply_outcomes(self, outcomes: Iterable[RecipientOutcome]) -> None:
        """Show what happened to each recipient (`RecipientOutcome.row` is the list row)."""
        for outcome in outcomes:
            if 0 <= outcome.row < len(self._results):
                self._results[outcome.row] = outcome_label(outcome)
        self._emit_column(Column.RESULT)

    def result(self, list_row: int) -> RowLabel | None:
        return self._results[list_row]

    def set_value_problems(
        self, problems: Mapping[int, str], advice: Mapping[int, str] | None = None
    ) -> None:
        """Rows a personalised message leaves out because of a value, by list row ("no Course"),
        and what to do about each ("no Course: give it a value, or use {Course|fallback}").

        Flagged in the Check column, shown in the result column until a send result replaces
        it, and counted as problems.
        """
        advice = dict(advice or {})
        if problems != self._value_problems or advice != self._value_advice:
            self._value_problems = dict(problems)
            self._value_advice = advice
            self._emit_column(Column.STATE)
            self._emit_column(Column.RESULT)

    @property
    def value_problems(self) -> dict[int, str]:
        return dict(self._value_problems)

    def _result_label(self, at: int) -> RowLabel | None:
        label = self._results[at]
        if label is None and at in self._value_problems:
            return value_problem_label(self._value_problems[at], self._value_advice.get(at, ""))
        return label

    def _check_label(self, at: int) -> RowLabel:
        """The Check cell: the row's check, or a warning when a value leaves it out."""
        checked = self._checked[at]
        if at in self._value_problems:
            reason = self._value_problems[at]
            return value_check_label(checked, self._value_advice.get(at) or reason)
        return state_label(checked)

    # --- helpers ---

    def _reset_derived(self) -> None:
        self._value_problems, self._value_advice = {}, {}
        count = len(self._recipients)
        self._checked = [None] * count
        self._results = [None] * count
        self._order = array("l", range(count))

    def _emit_column(self, column: Column) -> None:
        if self._order:
            last = len(self._order) - 1
            self.dataChanged.emit(self.index(0, column), self.index(last, column))

    def _placeholder_data(self, column: int, role: int) -> Any:
        if role == PROBLEM_ROLE:
            return "problem"  # the filter keeps the row to type into visible
        if role == Qt.ItemDataRole.ToolTipRole and column in EDITABLE:
            return "Type here to add a recipient"
        if role == Qt.ItemDataRole.DisplayRole and column == Column.CLIENT_CODE:
            return ""
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return "New recipient"
        return None

    def _label_data(self, label: RowLabel, role: int, raw: object) -> Any:
        if role == PROBLEM_ROLE:
            return "problem" if label.rank < 2 else ""
        return label_roles.label_data(label, role, raw)

    def _cell_data(self, at: int, column: Column, role: int) -> Any:
        recipient = self._recipients[at]
        value = getattr(recipient, FIELD[column]) or ""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._check_label(at).detail if self._checked[at] else None
        if role == RAW_ROLE:
            return self._raw_value(column, at)
        if role == PROBLEM_ROLE:
            return "problem" if self._check_label(at).rank < 2 else ""
        return None

    def _state_key(self, at: int) -> int:
        return self._check_label(at).rank

    def _raw_value(self, column: Column, at: int) -> int | str:
        """What RAW_ROLE returns: ranks for check and result, casefolded text, E.164 numbers."""
        if column == Column.STATE:
            return self._state_key(at)
        if column == Column.RESULT:
            label = self._result_label(at)
            return label.rank if label else 9
        if column == Column.MOBILE:
            item = self._checked[at]
            if item is not None and item.phone is not None and item.phone.e164:
                return item.phone.e164
        # Blank cells sort last.
        return (getattr(self._recipients[at], FIELD[column]) or "\uffff").casefold()

    def _sort_key(self, column: Column) -> Callable[[int], tuple[int | str, int]]:
        # Ties keep the user's order.
        return lambda at: (self._raw_value(column, at), at)
