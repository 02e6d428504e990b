"""Words, icons and tones for a row's check and its send result, shared by the grid and exports."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from vtsms_gui.domain.outcomes import (
    NOT_RETURNED_DETAIL,
    STATUS_CODE_NOT_FOUND,
    STATUS_NO_MOBILE,
    Outcome,
    RecipientOutcome,
    outcome_reason,
    reason_for,
)
from vtsms_gui.domain.recipients import CheckedRecipient, RowState
from vtsms_gui.ui.common.theme import Tone


@dataclass(frozen=True)
class RowLabel:
    """What a cell shows: a short word, an icon name, a tone, the full reason and a sort rank."""

    text: str
    icon: str
    tone: Tone
    detail: str
    rank: int


PENDING = RowLabel("Checking…", "", Tone.MUTED, "Being checked…", 3)


def state_label(checked: CheckedRecipient | None) -> RowLabel:
    if checked is None:
        return PENDING
    if checked.duplicate_of is not None:
        return _state(RowState.WARNING, "Duplicate", checked.reason)
    word = {RowState.OK: "Ready", RowState.WARNING: "Check", RowState.INVALID: "Invalid"}
    return _state(checked.state, word[checked.state], checked.reason)


def _state(state: RowState, word: str, reason: str) -> RowLabel:
    icon = {RowState.OK: "state-ok", RowState.WARNING: "state-warning"}.get(state, "state-invalid")
    tone = {RowState.OK: Tone.GOOD, RowState.WARNING: Tone.WARN}.get(state, Tone.BAD)
    rank = {RowState.INVALID: 0, RowState.WARNING: 1}.get(state, 2)
    return _intern(word, icon, tone, reason[:1].upper() + reason[1:], rank)


def outcome_label(outcome: RecipientOutcome) -> RowLabel:
    # The journal keeps VETtrak's own words; the grid, the History window, the exports and the
    # command line all say the domain's sentence of what happened and what to do.
    detail = outcome_reason(outcome)
    if outcome.outcome is Outcome.SENT:
        return _intern("queued", "outcome-sent", Tone.GOOD, detail, 4)
    if outcome.outcome is Outcome.UNKNOWN:
        return _intern(
            "unknown (check before resending)", "outcome-unknown", Tone.UNKNOWN, detail, 0
        )
    if outcome.outcome is Outcome.NOT_SENT:
        return _intern("not sent", "outcome-not-sent", Tone.MUTED, detail, 2)
    if outcome.status == STATUS_NO_MOBILE:
        text = "no mobile number"
    elif outcome.status == STATUS_CODE_NOT_FOUND:
        text = "client code not found"
    elif outcome.status is None:
        text = "not returned by server" if outcome.detail == NOT_RETURNED_DETAIL else "failed"
    else:
        text = f"failed (status {outcome.status})"
    return _intern(text, "outcome-failed", Tone.BAD, detail, 1)


def not_sent_label(detail: str) -> RowLabel:
    """A planned row the send never handed to VETtrak (it stopped before its batch)."""
    return _intern(
        "not sent", "outcome-not-sent", Tone.MUTED, reason_for(Outcome.NOT_SENT, None, detail), 2
    )


def excluded_label(reason: str) -> RowLabel:
    """A row the plan left out (invalid or a duplicate): not sent, and why."""
    return _intern("not sent (excluded)", "outcome-not-sent", Tone.MUTED, reason, 3)


@functools.lru_cache(maxsize=4096)
def _intern(text: str, icon: str, tone: Tone, detail: str, rank: int) -> RowLabel:
    # 100,000 rows share a few dozen distinct labels: one object each keeps the memory flat.
    return RowLabel(text, icon, tone, detail, rank)


def value_problem_label(reason: str, advice: str = "") -> RowLabel:
    """A row a personalised message leaves out because of a value ("no Course"): the Result
    cell, with what to do in its tooltip."""
    return _intern(reason, "outcome-not-sent", Tone.WARN, _left_out(advice or reason), 1)


def value_check_label(checked: CheckedRecipient | None, advice: str) -> RowLabel:
    """The Check cell of a row a value leaves out: a warning, as for any row to look at (an
    invalid row keeps its own label; a row with a warning of its own keeps its reason too)."""
    own = state_label(checked)
    if own.rank == 0:
        return own
    detail = _left_out(advice)
    if own.rank == 1 and own.detail:
        detail = f"{own.detail.rstrip('.')}. {detail}"
    return _intern("Check", "state-warning", Tone.WARN, detail, 1)


def _left_out(advice: str) -> str:
    return f"Left out: {advice.rstrip('.')}."
