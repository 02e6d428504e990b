"""Message templates: `{Column name}` placeholders filled from each recipient's row.

Syntax:
- `{Column name}` is that column's value; the name matches a header ignoring case and
  repeated or surrounding spaces (`{given name}` = `Given  Name`).
- `{Column name|fallback}` uses `fallback` (as typed, up to the `}`) when the cell is empty
  after stripping. `{Name|}` is allowed: an empty value is then fine, not a problem.
- `{{` and `}}` are a literal `{` and `}`.
- `Client code` and `Mobile` are always available (the row's code and mobile as in the list).

A lone `{` or `}` is an error that blocks sending (it used to be sent as typed): the user
either closes the placeholder or doubles the brace. A placeholder cannot span a line break.
Positions in messages are 1-based user-perceived characters (grapheme clusters).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import regex

__all__ = [
    "BUILTIN_FIELDS",
    "FieldSet",
    "HeaderProblem",
    "Literal",
    "Placeholder",
    "Rendered",
    "Span",
    "SpanKind",
    "Template",
    "TemplateError",
    "field_key",
    "fields_from_headers",
    "parse_template",
]

CLIENT_CODE = "Client code"
MOBILE = "Mobile"
BUILTIN_FIELDS: tuple[str, ...] = (CLIENT_CODE, MOBILE)

_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff\u00ad")
_GRAPHEME = regex.compile(r"\X")
_BRACES = frozenset("{}")


def field_key(name: str) -> str:
    """The form names are matched in: case-folded, spaces collapsed, invisible marks dropped."""
    return " ".join(name.translate(_INVISIBLE).split()).casefold()


def user_position(text: str, index: int) -> int:
    """1-based character of str index `index`, counted as a user counts (grapheme clusters)."""
    return len(_GRAPHEME.findall(text[:index])) + 1


# --- parsed template ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Literal:
    """Text sent as it is (`{{`/`}}` already turned into single braces)."""

    text: str


@dataclass(frozen=True, slots=True)
class Placeholder:
    """`{name}` or `{name|fallback}` at str indexes [start, end) of the template."""

    name: str  # as typed, surrounding spaces removed
    fallback: str | None  # None: no `|`
    start: int
    end: int

    @property
    def key(self) -> str:
        return field_key(self.name)


class ErrorKind(enum.StrEnum):
    UNCLOSED = "unclosed"  # a { with no }
    UNOPENED = "unopened"  # a } with no {
    EMPTY = "empty"  # {}
    NESTED = "nested"  # a { inside a placeholder


@dataclass(frozen=True, slots=True)
class TemplateError:
    kind: ErrorKind
    start: int  # str index of the offending brace (or of the placeholder for EMPTY)
    end: int
    character: int  # 1-based, as a user counts
    message: str


class SpanKind(enum.StrEnum):
    FIELD = "field"  # a placeholder for an available field
    UNKNOWN = "unknown"  # no such field
    AMBIGUOUS = "ambiguous"  # two columns have this header
    ERROR = "error"  # a syntax error (the brace at fault)


@dataclass(frozen=True, slots=True)
class Span:
    """For an editor highlighter: str indexes [start, end); `sms_text.utf16_offset` maps them
    to Qt's UTF-16 positions."""

    start: int
    end: int
    kind: SpanKind
    name: str  # the placeholder's name, or the error message


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    empty: tuple[str, ...]  # fields whose value was empty with no fallback (rendered as "")


Part = Literal | Placeholder


@dataclass(frozen=True)
class Template:
    """A parsed message. Parts alternate freely; adjacent literal text is merged."""

    source: str
    parts: tuple[Part, ...]
    errors: tuple[TemplateError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return tuple(p for p in self.parts if isinstance(p, Placeholder))

    @property
    def is_personalised(self) -> bool:
        return any(isinstance(p, Placeholder) for p in self.parts)

    @property
    def field_names(self) -> tuple[str, ...]:
        """Distinct fields used, in order of first use, spelt as first typed."""
        seen: dict[str, str] = {}
        for p in self.placeholders:
            seen.setdefault(p.key, p.name)
        return tuple(seen.values())

    @property
    def literal_text(self) -> str:
        """The template's own text, placeholders left out."""
        return "".join(p.text for p in self.parts if isinstance(p, Literal))

    def error_message(self) -> str:
        """All syntax errors in one sentence ("" when there are none)."""
        if not self.errors:
            return ""
        shown = "; ".join(e.message for e in self.errors[:3])
        more = f" (and {len(self.errors) - 3} more)" if len(self.errors) > 3 else ""
        return f"The message has {_placeholder_problem(len(self.errors))}: {shown}{more}."

    def spans(self, available: FieldSet | Iterable[str] | None = None) -> tuple[Span, ...]:
        """Placeholders and errors in order; with no `available`, every field counts as known."""
        fields = _as_fieldset(available)
        spans = [Span(e.start, e.end, SpanKind.ERROR, e.message) for e in self.errors]
        for p in self.placeholders:
            kind = SpanKind.FIELD if fields is None else fields.kind(p.name)
            spans.append(Span(p.start, p.end, kind, p.name))
        return tuple(sorted(spans, key=lambda s: s.start))

    def unknown_fields(self, available: FieldSet | Iterable[str]) -> tuple[str, ...]:
        fields = _as_fieldset(available)
        assert fields is not None
        return tuple(n for n in self.field_names if fields.kind(n) is SpanKind.UNKNOWN)

    def ambiguous_fields(self, available: FieldSet) -> tuple[str, ...]:
        return tuple(n for n in self.field_names if available.kind(n) is SpanKind.AMBIGUOUS)

    def unknown_fields_message(self, available: FieldSet | Iterable[str]) -> str:
        """'There is no column called "Curse" for {Curse}. The fields are: ...' or ""."""
        fields = _as_fieldset(available)
        assert fields is not None
        unknown = self.unknown_fields(fields)
        if not unknown:
            return ""
        braces = ", ".join("{" + n + "}" for n in unknown)
        if len(unknown) == 1:
            head = f'There is no column called "{unknown[0]}" for {braces}.'
        else:
            head = f"There are no columns for {braces}."
        return f"{head} The fields there are: {', '.join(fields.names)}."

    def render(self, values: Mapping[str, str]) -> Rendered:
        """The text for one row; `values` maps field names (any spelling) to cell text."""
        by_key = {field_key(k): v for k, v in values.items()}
        pieces: list[str] = []
        empty: list[str] = []
        for p in self.parts:
            if isinstance(p, Literal):
                pieces.append(p.text)
                continue
            value = by_key.get(p.key, "")
            if value.strip():
                pieces.append(value)
            elif p.fallback is not None:
                pieces.append(p.fallback)
            elif p.name not in empty:
                empty.append(p.name)
        return Rendered("".join(pieces), tuple(empty))


def parse_template(source: str) -> Template:
    """Parse `source`; never raises: problems are in `Template.errors` (the braces at fault
    are then kept as literal text, so a preview still shows something)."""
    parts: list[Part] = []
    errors: list[TemplateError] = []
    text: list[str] = []

    def flush() -> None:
        if text:
            parts.append(Literal("".join(text)))
            text.clear()

    def error(kind: ErrorKind, start: int, end: int, message: str) -> None:
        errors.append(TemplateError(kind, start, end, user_position(source, start), message))

    i, n = 0, len(source)
    while i < n:
        j = _next_brace(source, i)
        if j < 0:
            text.append(source[i:])
            break
        text.append(source[i:j])
        if source[j] == "}":
            if source.startswith("}}", j):
                text.append("}")
                i = j + 2
            else:
                pos = user_position(source, j)
                error(
                    ErrorKind.UNOPENED,
                    j,
                    j + 1,
                    f"a }} with no {{ at character {pos} (type }}}} for a }} meant as text)",
                )
                text.append("}")
                i = j + 1
            continue
        if source.startswith("{{", j):
            text.append("{")
            i = j + 2
            continue
        k = _placeholder_end(source, j + 1)
        if k < 0 or source[k] in "\r\n":
            pos = user_position(source, j)
            error(
                ErrorKind.UNCLOSED,
                j,
                j + 1,
                f"a {{ with no }} at character {pos} (close the placeholder, or type {{{{ "
                "for a { meant as text)",
            )
            text.append("{")
            i = j + 1
        elif source[k] == "{":
            opened, pos = user_position(source, j), user_position(source, k)
            error(
                ErrorKind.NESTED,
                k,
                k + 1,
                f"a {{ at character {pos} inside the placeholder opened at character {opened} "
                "(placeholders cannot be nested; type {{ for a { meant as text)",
            )
            text.append("{")
            i = j + 1
        else:
            name, bar, fallback = source[j + 1 : k].partition("|")
            if not name.strip():
                pos = user_position(source, j)
                error(
                    ErrorKind.EMPTY,
                    j,
                    k + 1,
                    f"an empty placeholder {{}} at character {pos} (put a column name "
                    "between the braces, or type {{}} for the braces as text)",
                )
                text.append(source[j : k + 1])
            else:
                flush()
                parts.append(Placeholder(name.strip(), fallback if bar else None, j, k + 1))
            i = k + 1
    flush()
    return Template(source, tuple(parts), tuple(errors))


def _next_brace(source: str, start: int) -> int:
    a, b = source.find("{", start), source.find("}", start)
    if a < 0:
        return b
    return a if b < 0 else min(a, b)


def _placeholder_end(source: str, start: int) -> int:
    """Index of the first `{`, `}`, CR or LF from `start`, or -1."""
    best = -1
    for ch in "{}\r\n":
        at = source.find(ch, start)
        if at >= 0 and (best < 0 or at < best):
            best = at
    return best


def _placeholder_problem(n: int) -> str:
    return "a problem with its braces" if n == 1 else f"{n} problems with its braces"


# --- fields from headers -----------------------------------------------------------------------


class HeaderProblemKind(enum.StrEnum):
    EMPTY = "empty"
    DUPLICATE = "duplicate"
    UNUSABLE = "unusable"  # contains { } or |


@dataclass(frozen=True, slots=True)
class HeaderProblem:
    kind: HeaderProblemKind
    header: str
    columns: tuple[int, ...]  # 1-based
    message: str


@dataclass(frozen=True)
class FieldSet:
    """The fields a template may use. `names` are usable (built-ins first, then headers in
    column order, spelt as in the file); `ambiguous` are headers that appear twice."""

    names: tuple[str, ...]
    ambiguous: tuple[str, ...] = ()
    problems: tuple[HeaderProblem, ...] = ()
    _keys: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    _ambiguous_keys: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_keys", frozenset(field_key(n) for n in self.names))
        object.__setattr__(self, "_ambiguous_keys", frozenset(map(field_key, self.ambiguous)))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and field_key(name) in self._keys

    def kind(self, name: str) -> SpanKind:
        key = field_key(name)
        if key in self._ambiguous_keys:
            return SpanKind.AMBIGUOUS
        return SpanKind.FIELD if key in self._keys else SpanKind.UNKNOWN

    def ambiguous_message(self, name: str) -> str:
        problem = next(
            (
                p
                for p in self.problems
                if p.kind is HeaderProblemKind.DUPLICATE and field_key(p.header) == field_key(name)
            ),
            None,
        )
        where = f" ({_columns(problem.columns)})" if problem else ""
        return (
            f'{{{name}}} is ambiguous: more than one column is headed "{name}"{where}. '
            "Rename one of them in the list."
        )

    def merged(self, other: FieldSet) -> FieldSet:
        """Fields of rows from two sources (e.g. an import and pasted rows)."""
        names = list(self.names)
        keys = set(self._keys)
        for n in other.names:
            if field_key(n) not in keys:
                names.append(n)
                keys.add(field_key(n))
        ambiguous = dict.fromkeys([*self.ambiguous, *other.ambiguous])
        problems = dict.fromkeys([*self.problems, *other.problems])
        names = [n for n in names if field_key(n) not in set(map(field_key, ambiguous))]
        return FieldSet(tuple(names), tuple(ambiguous), tuple(problems))


def fields_from_headers(headers: Sequence[str]) -> FieldSet:
    """The fields of a list whose columns have `headers` (in column order).

    An empty header gives no field; a header used twice (after normalisation) is ambiguous and
    refused; a header with a brace or `|` cannot be written as a placeholder. A header equal to
    a built-in (`Mobile`, `Client code`) is the built-in: not a duplicate.
    """
    builtin_keys = {field_key(b) for b in BUILTIN_FIELDS}
    by_key: dict[str, list[int]] = {}
    spelling: dict[str, str] = {}
    problems: list[HeaderProblem] = []
    for index, header in enumerate(headers):
        name = " ".join(header.split())
        key = field_key(header)
        if not key:
            problems.append(
                HeaderProblem(
                    HeaderProblemKind.EMPTY,
                    "",
                    (index + 1,),
                    f"Column {index + 1} has no header, so it cannot be used as a field.",
                )
            )
            continue
        if _BRACES & set(header) or "|" in header:
            problems.append(
                HeaderProblem(
                    HeaderProblemKind.UNUSABLE,
                    name,
                    (index + 1,),
                    f'The header "{name}" (column {index + 1}) contains a brace or |, so it '
                    "cannot be used as a field: rename it.",
                )
            )
            continue
        if key in builtin_keys:
            continue
        by_key.setdefault(key, []).append(index + 1)
        spelling.setdefault(key, name)
    ambiguous = []
    for key, columns in by_key.items():
        if len(columns) > 1:
            ambiguous.append(spelling[key])
            problems.append(
                HeaderProblem(
                    HeaderProblemKind.DUPLICATE,
                    spelling[key],
                    tuple(columns),
                    f'{_columns(tuple(columns)).capitalize()} are headed "{spelling[key]}", '
                    f"so {{{spelling[key]}}} cannot be used until one is renamed.",
                )
            )
    names = [*BUILTIN_FIELDS, *(spelling[k] for k, c in by_key.items() if len(c) == 1)]
    return FieldSet(tuple(names), tuple(ambiguous), tuple(problems))


def _columns(columns: tuple[int, ...]) -> str:
    listed = [str(c) for c in columns]
    if len(listed) == 1:
        return f"column {listed[0]}"
    return f"columns {', '.join(listed[:-1])} and {listed[-1]}"


def _as_fieldset(available: FieldSet | Iterable[str] | None) -> FieldSet | None:
    if available is None or isinstance(available, FieldSet):
        return available
    return FieldSet(tuple(available))
