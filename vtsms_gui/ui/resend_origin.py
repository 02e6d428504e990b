"""Where the rows in the grid came from when they were loaded to resend part of a past send:
kept until that new send is made, so the journal can mark those rows resent and neither
`vtsms resume` nor a second resend sends them again."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vtsms_gui.domain.send_plan import ResendOf, SendPlan

if TYPE_CHECKING:
    from vtsms_gui.domain.outcomes import RecipientOutcome
    from vtsms_gui.ui.connection import Session

Identity = tuple[str | None, str | None]
"""(client code, mobile) as sent: how a row of the new send is known as one of the old."""


@dataclass(frozen=True)
class ResendOrigin:
    send_id: str
    demo: bool  # which journal the send is in
    server: str | None
    rows: Mapping[Identity, int]  # -> the row in the earlier send

    @classmethod
    def of(
        cls, send_id: str, server: str | None, rows: Sequence[RecipientOutcome], *, demo: bool
    ) -> ResendOrigin:
        return cls(send_id, demo, server, {(r.client_code, r.mobile): r.row for r in rows})

    def same_place(self, session: Session) -> bool:
        """The new send goes to the same journal and the same VETtrak (the demo's address
        changes every run, so any demo session counts as the demo's)."""
        if session.demo or self.demo:
            return session.demo == self.demo
        return session.server == self.server

    def link(self, plan: SendPlan, session: Session) -> SendPlan:
        """`plan`, marked as resending the rows of the earlier send it goes to again (even if
        the user edited others or added new ones). Unchanged when none is, or when the
        plan goes to another journal or VETtrak: it is then a send of its own."""
        if not self.same_place(session):
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
