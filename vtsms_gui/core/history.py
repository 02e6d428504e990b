"""Past sends, for both faces: listing and reading them from the journal, which of a send's
rows may be resent (failed or not sent) and which only after a warning (unknown), and where
rows loaded to resend came from, so that neither a second resend nor `vtsms resume` sends to
them again."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from vtsms_gui.domain.outcomes import Outcome, RecipientOutcome
from vtsms_gui.domain.recipients import Recipient
from vtsms_gui.domain.send_plan import ResendOf, SendPlan

if TYPE_CHECKING:
    from vtsms_gui.storage.journal import Journal, SendRecord, SendSummary

RESENDABLE = (Outcome.FAILED, Outcome.NOT_SENT)
"""Outcomes whose recipients did not get the SMS: resending them is safe."""

UNKNOWN_RISK = (
    "Recipients whose outcome is unknown may already have received this SMS: resending may "
    "text them twice and is charged again. Check the SMS history in VETtrak first."
)

Identity = tuple[str | None, str | None]
"""(client code, mobile) as sent: how a row of the new send is known as one of the old."""


class Place(Protocol):
    """Where a send is made: a signed-in session or a send's place."""

    @property
    def server(self) -> str: ...

    @property
    def demo(self) -> bool: ...


@dataclass(frozen=True)
class ResendChoices:
    """What a send offers to resend: `safe` (failed or not sent) and `unknown` (may have
    gone out), each without the rows a later send already resent, in row order."""

    safe: tuple[RecipientOutcome, ...]
    unknown: tuple[RecipientOutcome, ...]


def list_sends(journal: Journal, last: int | None = None) -> list[SendSummary]:
    """Sends, newest first, with their counts by outcome."""
    return journal.list_sends(last)


def get_send(journal: Journal, send_id: str) -> SendRecord:
    """One send in full (every recipient's latest outcome, every batch)."""
    return journal.get_send(send_id)


def get_sends(journal: Journal, last: int | None = None) -> list[SendRecord]:
    """Full records, newest first (what `vtsms history --json` prints)."""
    return journal.get_sends(last)


def resend_choices(record: SendRecord) -> ResendChoices:
    return ResendChoices(
        safe=record.to_resend(*RESENDABLE), unknown=record.to_resend(Outcome.UNKNOWN)
    )


CODE_LENGTH_EVIDENCE = 5
"""Distinct client codes, all of one length, that VETtrak must have accepted before that length
counts as this server's (so that a few odd codes never make a whole list look shortened)."""

RECENT_SENDS = 50
"""How many past sends `server_code_length` reads."""


def usual_code_length(records: Iterable[SendRecord], server: str | None = None) -> int | None:
    """The length of the digit-only client codes VETtrak accepted in `records` (those made on
    `server`; every one when None), when at least CODE_LENGTH_EVIDENCE distinct codes all have
    it; else None."""
    codes = {
        code
        for record in records
        if server is None or record.server == server
        for r in record.recipients
        if r.outcome is Outcome.SENT
        and (code := (r.client_code or "").strip()).isascii()
        and code.isdigit()
    }
    lengths = {len(code) for code in codes}
    if len(codes) >= CODE_LENGTH_EVIDENCE and len(lengths) == 1:
        return lengths.pop()
    return None


def server_code_length(journal: Journal, server: str | None) -> int | None:
    """`usual_code_length` of the recent sends to `server` (None: the whole journal, as for the
    demo, whose address changes every run but whose journal is its own)."""
    return usual_code_length(journal.get_sends(RECENT_SENDS), server)


TEXT_SENT = "Text sent"
"""The column that carries each row's own text when a personalised send is resent."""


@dataclass(frozen=True)
class ResendList:
    """What to load for a new, reviewed send of some rows of a past send."""

    message: str
    recipients: tuple[Recipient, ...]
    own_texts: bool  # each row carries the exact text it was sent, in a TEXT_SENT column


def resend_list(record: SendRecord, rows: Sequence[RecipientOutcome]) -> ResendList:
    """The message and rows that send `rows` again, each with the text it was sent. The
    journal keeps each row's rendered text but not the columns it was rendered from, so a
    personalised send's rows bring their texts in a "Text sent" column and the message is
    {Text sent}: each row gets its own text again, byte for byte."""
    if not record.personalised:
        plain = tuple(Recipient(r.client_code, r.mobile) for r in rows)
        return ResendList(record.message, plain, own_texts=False)
    own = tuple(
        Recipient(r.client_code, r.mobile, extra=((TEXT_SENT, record.text_of(r.row)),))
        for r in rows
    )
    return ResendList("{" + TEXT_SENT + "}", own, own_texts=True)


@dataclass(frozen=True)
class ResendOrigin:
    """Where the rows in a new list came from when they were loaded to resend part of a past
    send: kept until that new send is made, so the journal marks those rows resent."""

    send_id: str
    demo: bool  # which journal the send is in
    server: str | None
    rows: Mapping[Identity, int]  # -> the row in the earlier send

    @classmethod
    def of(
        cls, send_id: str, server: str | None, rows: Sequence[RecipientOutcome], *, demo: bool
    ) -> ResendOrigin:
        return cls(send_id, demo, server, {(r.client_code, r.mobile): r.row for r in rows})

    def same_place(self, place: Place) -> bool:
        """The new send goes to the same journal and the same VETtrak (the demo's address
        changes every run, so any demo session counts as the demo's)."""
        if place.demo or self.demo:
            return place.demo == self.demo
        return place.server == self.server

    def link(self, plan: SendPlan, place: Place) -> SendPlan:
        """`plan`, marked as resending the rows of the earlier send it goes to again (even if
        the user edited others or added new ones). Unchanged when none is, or when the
        plan goes to another journal or VETtrak: it is then a send of its own."""
        if not self.same_place(place):
            return plan
        taken = sorted(
            {
                row
                for r in plan.recipients
                if (row := self.rows.get((r.client_code, r.mobile))) is not None
            }
        )
        if not taken:
            return plan
        return dataclasses.replace(plan, resend_of=ResendOf(self.send_id, tuple(taken)))


__all__ = [
    "CODE_LENGTH_EVIDENCE",
    "RESENDABLE",
    "TEXT_SENT",
    "UNKNOWN_RISK",
    "Place",
    "ResendChoices",
    "ResendList",
    "ResendOrigin",
    "get_send",
    "get_sends",
    "list_sends",
    "resend_choices",
    "resend_list",
    "server_code_length",
    "usual_code_length",
]
