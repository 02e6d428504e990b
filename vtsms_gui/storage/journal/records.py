"""What the journal hands back: a send's batches and their states, a line of the history, a
send in full, a batch found interrupted after a crash; and the send ids that name them.

Send ids are strings like "S-000123" (the row id, zero-padded): short enough to type after
`vtsms resume`, and never reused.

Plain values only: nothing here reads or writes the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum

from vtsms_gui.domain.outcomes import Outcome, OutcomeCounts, RecipientOutcome
from vtsms_gui.domain.send_plan import Exclusion, SendOptions
from vtsms_gui.storage.journal.errors import UnknownSend

INTERRUPTED_DETAIL = (
    "the app stopped while this batch was being sent: "
    "check the SMS history in VETtrak before resending"
)
IN_FLIGHT_DETAIL = "being sent: waiting for VETtrak's answer"


class BatchState(StrEnum):
    PLANNED = "planned"
    IN_FLIGHT = "in_flight"
    DONE = "done"  # VETtrak answered and sent at least one SMS
    FAILED = "failed"  # nothing in the batch was sent
    UNKNOWN = "unknown"  # the request may have reached VETtrak


@dataclass(frozen=True)
class BatchRecord:
    attempt: int  # 1 for the first series, one more for each resume
    number: int
    state: BatchState
    started_at: datetime | None
    finished_at: datetime | None
    balance: int | None  # credits left after the batch, as VETtrak reported it
    outcomes: tuple[RecipientOutcome, ...]


@dataclass(frozen=True)
class SendSummary:
    """One line of the history."""

    send_id: str
    created_at: datetime
    server: str | None  # None: recorded by a version that did not keep it
    username: str | None
    sender: str
    message: str
    counts: OutcomeCounts  # of each recipient's latest outcome
    credits: int  # the estimate shown before sending
    recipients: int
    attempts: int
    test: bool = False  # a test sent to the user's own number before a bulk send

    @property
    def first_words(self) -> str:
        return first_words(self.message)


@dataclass(frozen=True)
class SendRecord:
    """A send in full: its recipients' latest outcomes and every batch of every attempt."""

    send_id: str
    created_at: datetime
    server: str | None
    username: str | None
    message: str
    options: SendOptions
    segments: int
    credits: int
    balance_before: int | None
    recipients: tuple[RecipientOutcome, ...]  # latest outcome of each, in row order
    excluded: tuple[Exclusion, ...]
    batches: tuple[BatchRecord, ...]  # by attempt, then number
    resent_in: Mapping[int, str] = field(default_factory=dict)  # row -> the send that resent it
    texts: Mapping[int, str] = field(default_factory=dict)  # row -> the exact text it was sent
    test: bool = False  # a test sent to the user's own number before a bulk send

    def text_of(self, row: int) -> str:
        """The exact text row `row` was sent (the message, for sends from before templates)."""
        return self.texts.get(row, self.message)

    @property
    def personalised(self) -> bool:
        return any(text != self.message for text in self.texts.values())

    @property
    def counts(self) -> OutcomeCounts:
        return OutcomeCounts.of(self.recipients)

    @property
    def in_progress(self) -> bool:
        """A batch is being sent right now (by this or another window or command)."""
        return any(batch.state is BatchState.IN_FLIGHT for batch in self.batches)

    def to_resend(self, *outcomes: Outcome) -> tuple[RecipientOutcome, ...]:
        """Recipients whose latest outcome is one of `outcomes` and that no later send has
        resent yet, in row order: what a "resend" of this send may offer."""
        return tuple(
            r for r in self.recipients if r.outcome in outcomes and r.row not in self.resent_in
        )

    def to_json(self) -> dict[str, object]:
        """The shape `vtsms history --json` prints for each send."""
        return {
            "send_id": self.send_id,
            "created_at": self.created_at.isoformat(),
            "server": self.server,
            "username": self.username,
            "sender": self.options.sender,
            "message": self.message,
            "test": self.test,
            "credits": self.credits,
            "counts": asdict(self.counts),
            "recipients": [
                {**outcome.to_json(), "text": self.text_of(outcome.row)}
                for outcome in self.recipients
            ],
        }


@dataclass(frozen=True)
class InterruptedBatch:
    """A batch found in flight with nobody sending it: its recipients are now `unknown`."""

    send_id: str
    attempt: int
    batch: int
    started_at: datetime | None
    recipients: tuple[RecipientOutcome, ...]
    not_sent: int  # recipients of the same send still waiting, who can be sent by resuming

    def describe(self, resume: str = "resuming the send") -> str:
        """What happened, in plain English. `resume` names the way to send the recipients
        still waiting ("resuming the send" is `vtsms resume`; the window names its button)."""
        text = (
            f"Send {self.send_id} stopped while batch {self.batch} was being sent: "
            f"{_count(len(self.recipients), 'recipient')} may or may not have received the SMS. "
            "Check the SMS history in VETtrak before resending to them."
        )
        if self.not_sent:
            text += (
                f" {_count(self.not_sent, 'other recipient')} of this send "
                f"{'was' if self.not_sent == 1 else 'were'} not sent: {resume} "
                "sends to them."
            )
        return text


def format_send_id(number: int) -> str:
    return f"S-{number:06d}"


_SEND_ID = re.compile(r"\s*(?:S-?)?(\d{1,18})\s*", re.IGNORECASE)


def parse_send_id(send_id: str) -> int:
    """'S-000123', 's-123' and '123' all name send 123."""
    match = _SEND_ID.fullmatch(send_id)
    if match is None:
        raise UnknownSend(f"“{send_id}” is not a send id: they look like S-000123.")
    return int(match.group(1))


def first_words(message: str, limit: int = 40) -> str:
    flat = " ".join(message.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
