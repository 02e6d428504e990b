"""Render a template for every recipient's row and count what each row will cost.

Values are used exactly as in the list (surrounding spaces already stripped): nothing is
replaced, so a person's name is never changed ("Zoë" stays "Zoë" and makes that row Unicode;
the row says which characters did it).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vtsms_gui.domain.placeholders import (
    CLIENT_CODE,
    MOBILE,
    FieldSet,
    Literal,
    Placeholder,
    SpanKind,
    Template,
    field_key,
    fields_from_headers,
    parse_template,
)
from vtsms_gui.domain.recipients import CheckedRecipient, Recipient
from vtsms_gui.domain.sms_text import Encoding, PieceAnalyser, TextAnalysis

__all__ = [
    "DEFAULT_MAX_PARTS",
    "Personalisation",
    "PersonalisationSummary",
    "PersonalisedRow",
    "describe_unicode",
    "fields_for",
    "personalise",
    "readable_char",
    "row_fields",
]

DEFAULT_MAX_PARTS = 6
_CODE, _MOBILE = -1, -2  # column indexes of the built-in fields
_MISSING = -3  # the row's list has no such column: its value is empty
_Step = tuple[int | None, Placeholder | str]


@dataclass(frozen=True, slots=True)
class PersonalisedRow:
    """One recipient's text. `row` is its index in the checked list.

    `problem` is "" or why the row is left out: a value empty with no fallback ("no Course")
    or a value with a character XML cannot carry. `sent` is False for those and for rows the
    recipient check already leaves out (invalid, duplicate).
    """

    row: int
    text: str
    analysis: TextAnalysis
    sent: bool
    problem: str
    empty: tuple[str, ...]  # fields empty with no fallback
    unicode_chars: tuple[str, ...]  # non-GSM characters from values that made this row UCS-2
    line_breaks: tuple[str, ...]  # fields whose value holds a line break (sent as it is)
    over_limit: bool  # more SMS parts than the maximum

    @property
    def segments(self) -> int:
        return self.analysis.segments

    @property
    def advice(self) -> str:
        """The problem and what to do about it ("no Course: give it a value, or use
        {Course|fallback}"); "" when the row is not left out because of a value."""
        if not self.problem or not self.empty:
            return self.problem  # a character that cannot be sent says "fix the cell" itself
        them = "it a value" if len(self.empty) == 1 else "them values"
        use = " or ".join(f"{{{name}|fallback}}" for name in self.empty)
        return f"{self.problem}: give {them}, or use {use}"


@dataclass(frozen=True)
class PersonalisationSummary:
    """Over the rows that will be sent: for the counter and the cost line."""

    rows: int
    min_parts: int
    max_parts: int
    unicode_rows: int  # rows that need Unicode because of their values
    credits: int  # exact: the sum of every sent row's parts
    left_out: int  # rows left out because of a value (empty or unsendable)
    over_limit: int

    def counter_text(self) -> str:
        """E.g. "1-2 SMS per recipient; 3 recipients need Unicode because of their values"."""
        if not self.rows:
            return "No recipient to send to"
        parts = (
            f"{self.min_parts}"
            if self.min_parts == self.max_parts
            else f"{self.min_parts}-{self.max_parts}"
        )
        text = f"{parts} SMS per recipient"
        if self.unicode_rows:
            who = "recipient needs" if self.unicode_rows == 1 else "recipients need"
            text += f"; {self.unicode_rows:,} {who} Unicode because of their values"
        return text


@dataclass(frozen=True)
class Personalisation:
    """Every row's text and count, as parallel tuples (one entry per checked recipient, in
    order: cheap for 100,000 rows); `noted` holds the full `PersonalisedRow` of every row with
    something to say (left out, Unicode because of its values, line break, over the limit).
    `row(i)` gives any row's `PersonalisedRow`."""

    template: Template
    fields: FieldSet
    texts: tuple[str, ...]
    analyses: tuple[TextAnalysis, ...]
    sent: tuple[bool, ...]
    noted: Mapping[int, PersonalisedRow]
    summary: PersonalisationSummary

    def row(self, index: int) -> PersonalisedRow:
        noted = self.noted.get(index)
        if noted is not None:
            return noted
        return PersonalisedRow(
            index,
            self.texts[index],
            self.analyses[index],
            self.sent[index],
            "",
            (),
            (),
            (),
            False,
        )

    @property
    def rows(self) -> tuple[PersonalisedRow, ...]:
        return tuple(self.row(i) for i in range(len(self.texts)))

    @property
    def left_out(self) -> tuple[PersonalisedRow, ...]:
        """Rows the recipient check accepted but a value leaves out, in order."""
        return tuple(r for _, r in sorted(self.noted.items()) if r.problem)


def row_fields(recipient: Recipient) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(headers, cells) of a recipient: its source row, or Name and `extra` for a typed row."""
    if recipient.headers:
        return recipient.headers, recipient.cells
    headers = tuple(h for h, _ in recipient.extra)
    cells = tuple(v for _, v in recipient.extra)
    if recipient.name:
        return ("Name", *headers), (recipient.name, *cells)
    return headers, cells


def fields_for(recipients: Sequence[Recipient | CheckedRecipient]) -> FieldSet:
    """The fields of a list, over every distinct set of headers its rows have."""
    seen: dict[tuple[str, ...], None] = {}
    for item in recipients:
        recipient = item.recipient if isinstance(item, CheckedRecipient) else item
        seen.setdefault(row_fields(recipient)[0])
    if not seen:
        return fields_from_headers(())
    sets = [fields_from_headers(h) for h in seen]
    result = sets[0]
    for other in sets[1:]:
        result = result.merged(other)
    return result


def personalise(
    template: Template | str,
    checked: Sequence[CheckedRecipient],
    *,
    max_parts: int = DEFAULT_MAX_PARTS,
    fields: FieldSet | None = None,
    analyser: PieceAnalyser | None = None,
    sendable: Sequence[bool] | None = None,
) -> Personalisation:
    """Render and count every row. Unknown or ambiguous fields render as empty here without
    leaving any row out (the message is at fault, not the rows); the send plan blocks on them
    (and on syntax errors) before this matters.

    `sendable` is each row's `CheckedRecipient.sendable` when the caller already has it (it
    costs more than rendering); `analyser` may be shared between recounts of the same list.
    """
    if isinstance(template, str):
        template = parse_template(template)
    if fields is None:
        fields = fields_for(checked)
    analyser = analyser or PieceAnalyser()
    parts = template.parts
    slots = [p for p in parts if isinstance(p, Placeholder)]
    literal_non_gsm = any(analyser.piece_non_gsm(p.text) for p in parts if isinstance(p, Literal))
    not_fields = {id(p) for p in slots if fields.kind(p.name) is not SpanKind.FIELD}
    # Per distinct header tuple: the template as steps, (column or None, text): literal text,
    # or a column to read (built-ins negative) with the placeholder's fallback/name in `text`.
    steps_cache: dict[
        tuple[str, ...], tuple[list[int], list[tuple[int | None, Placeholder | str]]]
    ] = {}
    texts: list[str] = []
    analyses: list[TextAnalysis] = []
    sent: list[bool] = []
    noted: dict[int, PersonalisedRow] = {}
    for index, item in enumerate(checked):
        recipient = item.recipient
        headers, cells = row_fields(recipient)
        cached = steps_cache.get(headers)
        if cached is None:
            cached = steps_cache[headers] = _steps(headers, parts, slots)
        columns, steps = cached
        pieces: list[str] = []
        values: list[str] = []  # pieces that are cell values
        typed_unicode = literal_non_gsm
        empty: list[str] = []
        for column, what in steps:
            if column is None:
                pieces.append(what)  # type: ignore[arg-type]
                continue
            if column >= 0:
                value = cells[column] if column < len(cells) else ""
            elif column == _CODE:
                value = recipient.client_code or ""
            elif column == _MOBILE:
                value = recipient.mobile or ""
            else:
                value = ""
            if value.strip():
                pieces.append(value)
                values.append(value)
                continue
            assert isinstance(what, Placeholder)
            if what.fallback is not None:
                pieces.append(what.fallback)
                if not typed_unicode and analyser.piece_non_gsm(what.fallback):
                    typed_unicode = True
            elif what.name not in empty and id(what) not in not_fields:
                empty.append(what.name)
        text = "".join(pieces)
        analysis = analyser.analyse(pieces, text)
        ok = sendable[index] if sendable is not None else item.sendable
        texts.append(text)
        analyses.append(analysis)
        if (
            not empty
            and not analysis.invalid
            and analysis.encoding is Encoding.GSM7
            and analysis.segments <= max_parts
            and not (("\n" in text or "\r" in text) and _has_line_break(values))
        ):
            sent.append(ok)
            continue
        done = _row(
            index,
            ok,
            text,
            analysis,
            empty=empty,
            values=values,
            analyser=analyser,
            max_parts=max_parts,
            typed_unicode=typed_unicode,
            slots=slots,
            columns=columns,
            cells=cells,
        )
        sent.append(done.sent)
        if done.problem or done.unicode_chars or done.line_breaks or done.over_limit:
            noted[index] = done
    summary = _summary(analyses, sent, noted)
    return Personalisation(
        template, fields, tuple(texts), tuple(analyses), tuple(sent), noted, summary
    )


def _has_line_break(values: Sequence[str]) -> bool:
    return any("\n" in v or "\r" in v for v in values)


def _steps(
    headers: tuple[str, ...], parts: Sequence[Literal | Placeholder], slots: Sequence[Placeholder]
) -> tuple[list[int], list[_Step]]:
    index: dict[str, int] = {}
    for i, header in enumerate(headers):
        index.setdefault(field_key(header), i)
    index[field_key(CLIENT_CODE)] = _CODE
    index[field_key(MOBILE)] = _MOBILE
    columns = [index.get(p.key, _MISSING) for p in slots]
    steps: list[_Step] = []
    for part in parts:
        if isinstance(part, Literal):
            steps.append((None, part.text))
        else:
            steps.append((index.get(part.key, _MISSING), part))
    return columns, steps


def _row(
    index: int,
    sendable: bool,
    text: str,
    analysis: TextAnalysis,
    *,
    empty: list[str],
    values: list[str],
    analyser: PieceAnalyser,
    max_parts: int,
    typed_unicode: bool,
    slots: Sequence[Placeholder],
    columns: list[int],
    cells: tuple[str, ...],
) -> PersonalisedRow:
    problem = ""
    if empty:
        problem = "no " + ", no ".join(empty)
    elif analysis.invalid:
        shown = ", ".join(f"U+{ord(o.char):04X}" for o in analysis.invalid)
        bad = {o.char for o in analysis.invalid}
        where = next(
            (
                f"the {p.name} value"
                for p, c in zip(slots, columns, strict=True)
                if 0 <= c < len(cells) and bad & set(cells[c])
            ),
            "a value",
        )
        problem = f"{where} contains a character that cannot be sent ({shown}): fix the cell"
    unicode_chars: tuple[str, ...] = ()
    if analysis.encoding is Encoding.UCS2 and not typed_unicode:
        found: dict[str, None] = {}
        for value in values:
            found.update(dict.fromkeys(analyser.piece_non_gsm(value)))
        unicode_chars = tuple(found)
    line_breaks: tuple[str, ...] = ()
    if any("\n" in v or "\r" in v for v in values):
        line_breaks = tuple(
            dict.fromkeys(
                p.name
                for p, c in zip(slots, columns, strict=True)
                if 0 <= c < len(cells) and ("\n" in cells[c] or "\r" in cells[c])
            )
        )
    return PersonalisedRow(
        row=index,
        text=text,
        analysis=analysis,
        sent=sendable and not problem,
        problem=problem if sendable else "",
        empty=tuple(empty),
        unicode_chars=unicode_chars,
        line_breaks=line_breaks,
        over_limit=analysis.segments > max_parts,
    )


def _summary(
    analyses: Sequence[TextAnalysis], sent: Sequence[bool], noted: Mapping[int, PersonalisedRow]
) -> PersonalisationSummary:
    parts = [a.segments for a, ok in zip(analyses, sent, strict=True) if ok]
    return PersonalisationSummary(
        rows=len(parts),
        min_parts=min(parts, default=0),
        max_parts=max(parts, default=0),
        unicode_rows=sum(1 for r in noted.values() if r.sent and r.unicode_chars),
        credits=sum(parts),
        left_out=sum(1 for r in noted.values() if r.problem),
        over_limit=sum(1 for r in noted.values() if r.sent and r.over_limit),
    )


def readable_char(ch: str) -> str:
    """A character as a list of them shows it: itself when it can be seen ("ë"), else by code
    point and name ("a tab", "U+200D zero width joiner"); a lone accent on a dotted circle."""
    if ch == "\t":
        return "a tab"
    if len(ch) != 1:
        return " ".join(readable_char(c) for c in ch) if not ch.isprintable() else ch
    category = unicodedata.category(ch)
    if category[0] in "ZC":
        name = unicodedata.name(ch, "").lower() or (
            "control character" if category == "Cc" else "invisible character"
        )
        return f"U+{ord(ch):04X} {name}"
    return "◌" + ch if category[0] == "M" else ch


def describe_unicode(row: PersonalisedRow) -> str:
    """'Zoë needs Unicode because of ë' style note for a row ("" when not)."""
    if not row.unicode_chars:
        return ""
    shown = ", ".join(readable_char(c) for c in row.unicode_chars)
    return f"Unicode (70 per SMS) because of {shown} in its values"
