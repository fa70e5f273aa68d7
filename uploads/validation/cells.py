"""One cell, read as its field's type and checked against its constraints.

`read_cell` is the reference: what a cell means and whether it is right. The column checks in
`uploads.validation.table` only take faster routes to the same answer when a whole column is clean.
Values come as python-calamine gives them: float for every number, str, bool, date or datetime,
and "" for an empty cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from uploads.validation.schema import Field
from uploads.validation.text import NARROW_NBSP, NBSP, fold, french_number, joined, plain, quoted, shown

# « 1 234 », « 1 234,5 », « 1234.5 », « -12 »: digits grouped by spaces, decimal comma or point.
_FRENCH_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d+)?")
_FRENCH_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_SPACES = str.maketrans({NBSP: " ", NARROW_NBSP: " ", "\t": " "})

TYPE_NAMES = {
    "integer": "un nombre entier",
    "number": "un nombre",
    "year": "une année (AAAA)",
    "date": "une date (jj/mm/aaaa)",
    "boolean": "oui ou non",
    "string": "un texte",
}


@dataclass(frozen=True, slots=True)
class Problem:
    code: str  # type-error or constraint-error
    message: str  # French, without the cell's address


@dataclass(frozen=True, slots=True)
class Reading:
    value: Any = None  # None: empty, or unreadable (then `problem` says why)
    problem: Problem | None = None
    note: str | None = None  # accepted, with a warning (a number typed as text)


EMPTY = Reading()


def parse_french_number(text: str) -> float | None:
    compact = " ".join(text.translate(_SPACES).split())
    if not _FRENCH_NUMBER.fullmatch(compact):
        return None
    return float(compact.replace(" ", "").replace(",", "."))


def parse_text_date(text: str) -> date | None:
    text = text.strip()
    try:
        return date.fromisoformat(text) if len(text) == 10 and text[4] == "-" else _french_date(text)
    except ValueError:
        return None


def _french_date(text: str) -> date | None:
    match = _FRENCH_DATE.fullmatch(text)
    if not match:
        return None
    day, month, year = map(int, match.groups())
    return date(year, month, day)


def _type_error(field: Field, raw: Any) -> Reading:
    message = f"{shown(raw)} n'est pas {TYPE_NAMES[field.type]}."
    if isinstance(raw, date) and field.is_numeric:
        message = (
            f"{shown(raw)} est une date : la colonne {quoted(field.label)} attend {TYPE_NAMES[field.type]}."
        )
    return Reading(problem=Problem("type-error", message))


def read_value(field: Field, raw: Any) -> Reading:
    """The typed value of a non-empty cell, or why it cannot be read as the field's type."""
    kind = field.type
    if kind == "string":
        if isinstance(raw, str):
            return Reading(raw.strip())
        if isinstance(raw, float) and raw.is_integer():
            return Reading(str(int(raw)))  # Excel turned a code such as 42000 into a number
        if isinstance(raw, bool):
            return Reading("VRAI" if raw else "FAUX")
        if isinstance(raw, datetime | date):
            return Reading(raw.isoformat())
        return Reading(str(raw))
    if kind in ("integer", "number", "year"):
        note = None
        if isinstance(raw, str):
            number = parse_french_number(raw)
            if number is None:
                return _type_error(field, raw)
            note = f"{shown(raw)} est un nombre saisi comme du texte : il a été lu {french_number(number)}."
            raw = number
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return _type_error(field, raw)
        if kind == "number":
            return Reading(float(raw), note=note)
        if not float(raw).is_integer():
            return Reading(problem=Problem("type-error", f"{shown(raw)} n'est pas {TYPE_NAMES[kind]}."))
        if kind == "year" and not 1000 <= raw <= 9999:
            return _type_error(field, raw)
        return Reading(int(raw), note=note)
    if kind == "date":
        if isinstance(raw, datetime):
            return Reading(raw.date())
        if isinstance(raw, date):
            return Reading(raw)
        if isinstance(raw, str) and (day := parse_text_date(raw)) is not None:
            return Reading(
                day, note=f"{shown(raw)} est une date saisie comme du texte : elle a été lue {shown(day)}."
            )
        return _type_error(field, raw)
    # boolean
    if isinstance(raw, bool):
        return Reading(raw)
    if isinstance(raw, float) and raw in (0.0, 1.0):
        return Reading(raw == 1.0)
    if isinstance(raw, str):
        word = fold(raw)
        if word in field.true_values:
            return Reading(True)
        if word in field.false_values:
            return Reading(False)
    return _type_error(field, raw)


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def read_cell(field: Field, raw: Any) -> Reading:
    """Type, then constraints: the full verdict on one cell."""
    if is_empty(raw):
        if field.required:
            return Reading(
                problem=Problem(
                    "constraint-error",
                    f"la colonne {quoted(field.label)} est obligatoire : cette case est vide.",
                )
            )
        return EMPTY
    reading = read_value(field, raw)
    if reading.problem is not None:
        return reading
    problem = constraint_problem(field, reading.value)
    if problem is not None:
        return Reading(problem=problem)
    if field.enum is not None and reading.value not in field.enum:
        return Reading(canonical_enum_value(field, reading.value), note=reading.note)
    return reading


def canonical_enum_value(field: Field, value: Any) -> Any:
    """« forez » in a list that says « Forez »: the list's spelling (the match is checked beforehand)."""
    folded = fold(value)
    return next(allowed for allowed in field.enum or () if fold(allowed) == folded)


def constraint_problem(field: Field, value: Any) -> Problem | None:
    if field.enum is not None:
        if value not in field.enum and not (
            isinstance(value, str) and fold(value) in {fold(allowed) for allowed in field.enum}
        ):
            allowed = [shown(item) for item in field.enum[:12]]
            more = " …" if len(field.enum) > 12 else ""
            return Problem(
                "constraint-error",
                f"{shown(value)} ne fait pas partie des valeurs permises : {joined(allowed, 'ou')}{more}.",
            )
    if field.minimum is not None and value < field.minimum:
        return Problem(
            "constraint-error", f"{shown(value)} est inférieur au minimum permis ({plain(field.minimum)})."
        )
    if field.maximum is not None and value > field.maximum:
        return Problem(
            "constraint-error", f"{shown(value)} dépasse le maximum permis ({plain(field.maximum)})."
        )
    if isinstance(value, str):
        if field.pattern is not None and not field.pattern.fullmatch(value):
            return Problem(
                "constraint-error",
                f"{shown(value)} n'a pas la forme attendue pour la colonne {quoted(field.label)}.",
            )
        if field.min_length is not None and len(value) < field.min_length:
            return Problem(
                "constraint-error", f"{shown(value)} est trop court (au moins {field.min_length} caractères)."
            )
        if field.max_length is not None and len(value) > field.max_length:
            return Problem(
                "constraint-error", f"{shown(value)} est trop long (au plus {field.max_length} caractères)."
            )
    return None
