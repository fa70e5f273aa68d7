"""One cell, read as its field's type and checked against its constraints.

`read_cell` is the reference: what a cell means and whether it is right. The column checks in
`uploads.validation.table` only take faster routes to the same answer when a whole column is clean.
Values come as python-calamine gives them: float for every number, str, bool, date, datetime, time or
timedelta, and "" for an empty cell. Types other than the six common ones (string, integer, number, year,
date, boolean with their default options) are read here only, never by the column checks.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from uploads.validation.text import NARROW_NBSP, NBSP, fold, french_number, joined, plain, quoted, shown

if TYPE_CHECKING:
    from uploads.validation.schema import Field

# « 1 234 », « 1 234,5 », « 1234.5 », « -12 »: digits grouped by spaces, decimal comma or point.
_FRENCH_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d+)?")
_FRENCH_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_SPACES = str.maketrans({NBSP: " ", NARROW_NBSP: " ", "\t": " "})
# The specification's lexical number: a sign, digits with a decimal point, an exponent; NaN and INF.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:nan|inf)", re.IGNORECASE)
# bareNumber false: what surrounds the number (« 95 % », « € 95 ») is dropped.
_NUMBER_INSIDE = re.compile(r"[+-]?\d[\d\s.,'\u00a0\u202f]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_YEARMONTH = re.compile(r"(\d{4})-(\d{1,2})")
_DURATION = re.compile(
    r"P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
    r"(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?"
)
_GEOJSON_TYPES = frozenset(
    {
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
        "Feature",
        "FeatureCollection",
    }
)
_ANY_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%d %b %Y")
_ANY_TIME_FORMATS = ("%H:%M", "%Hh%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p")
_ANY_DATETIME_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")

TYPE_NAMES = {
    "integer": "un nombre entier",
    "number": "un nombre",
    "year": "une année (AAAA)",
    "date": "une date (jj/mm/aaaa)",
    "boolean": "oui ou non",
    "string": "un texte",
    "object": "un objet JSON (entre accolades)",
    "array": "une liste JSON (entre crochets)",
    "time": "une heure (hh:mm:ss)",
    "datetime": "une date et une heure (AAAA-MM-JJThh:mm:ss)",
    "yearmonth": "un mois (AAAA-MM)",
    "duration": "une durée au format ISO 8601 (comme P1Y2M ou PT3H)",
    "geopoint": "un point géographique (longitude, latitude)",
    "geojson": "un objet GeoJSON",
    "any": "une valeur",
}
FORMAT_NAMES = {
    "email": "une adresse électronique valide",
    "uri": "une adresse web (URI) valide",
    "binary": "un contenu encodé en base64",
    "uuid": "un identifiant UUID",
}


@dataclass(frozen=True, slots=True, order=True)
class YearMonth:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, slots=True, order=True)
class Duration:
    """Months and seconds apart: a month has no fixed length. Ordered by months, then seconds."""

    months: int
    seconds: float
    text: str = dataclasses.field(compare=False)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class GeoPoint:
    lon: float
    lat: float

    def __str__(self) -> str:
        return f"{plain(self.lon)} ; {plain(self.lat)}"


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
    expected = FORMAT_NAMES.get(field.format) if field.type == "string" else None
    message = f"{shown(raw)} n'est pas {expected or TYPE_NAMES[field.type]}."
    if isinstance(raw, date) and field.is_numeric:
        message = (
            f"{shown(raw)} est une date : la colonne {quoted(field.label)} attend {TYPE_NAMES[field.type]}."
        )
    elif field.type in ("date", "time", "datetime") and field.format not in ("default", "any"):
        message = f"{shown(raw)} n'est pas {TYPE_NAMES[field.type]} de la forme {quoted(field.format)}."
    return Reading(problem=Problem("type-error", message))


def read_value(field: Field, raw: Any) -> Reading:
    """The typed value of a non-empty cell, or why it cannot be read as the field's type."""
    return READERS[field.type](field, raw)


def _read_string(field: Field, raw: Any) -> Reading:
    if isinstance(raw, str):
        text = raw.strip()
    elif isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))  # Excel turned a code such as 42000 into a number
    elif isinstance(raw, bool):
        text = "VRAI" if raw else "FAUX"
    elif isinstance(raw, datetime | date | time):
        text = raw.isoformat()
    else:
        text = str(raw)
    if field.format == "default" or _has_format(field.format, text):
        return Reading(text)
    return _type_error(field, raw)


def _has_format(name: str, text: str) -> bool:
    if name == "email":
        return _EMAIL.fullmatch(text) is not None
    if name == "uri":
        parts = urlsplit(text)
        return bool(parts.scheme) and parts.scheme[0].isalpha() and not any(char.isspace() for char in text)
    if name == "binary":
        try:
            base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            return False
        return True
    try:  # uuid
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _read_number(field: Field, raw: Any) -> Reading:
    kind = field.type
    note = None
    if isinstance(raw, str):
        number = _number_in_text(field, raw)
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


def _number_in_text(field: Field, text: str) -> float | None:
    if not field.bare_number:
        found = _NUMBER_INSIDE.search(text)
        if found is None:
            return None
        text = found.group().strip().rstrip(".,")
    if field.decimal_char is None and field.group_char is None:
        number = parse_french_number(text)
        if number is None and _PLAIN_NUMBER.fullmatch(text.strip()):
            number = float(text)
        return number
    compact = text.strip()
    if field.group_char:
        compact = compact.replace(field.group_char, "")
    compact = compact.replace(field.decimal_char or ".", ".")
    if not _PLAIN_NUMBER.fullmatch(compact):
        return None
    return float(compact)


def _read_boolean(field: Field, raw: Any) -> Reading:
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


def _read_json(field: Field, raw: Any) -> Reading:
    if not isinstance(raw, str):
        return _type_error(field, raw)
    try:
        value = json.loads(raw)
    except ValueError:
        return _type_error(field, raw)
    expected = list if field.type == "array" else dict
    if not isinstance(value, expected):
        return _type_error(field, raw)
    if field.type == "geojson":
        kinds = {"Topology"} if field.format == "topojson" else _GEOJSON_TYPES
        if value.get("type") not in kinds:
            return _type_error(field, raw)
    return Reading(value)


def _strptime(text: str, formats: tuple[str, ...]) -> datetime | None:
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern)  # noqa: DTZ007 (cells hold local, naive times)
        except ValueError:
            continue
    return None


def _read_date(field: Field, raw: Any) -> Reading:
    if isinstance(raw, datetime):
        return Reading(raw.date())
    if isinstance(raw, date):
        return Reading(raw)
    if not isinstance(raw, str):
        return _type_error(field, raw)
    text = raw.strip()
    if field.format == "default":
        if (day := parse_text_date(text)) is not None:
            return Reading(
                day, note=f"{shown(raw)} est une date saisie comme du texte : elle a été lue {shown(day)}."
            )
        return _type_error(field, raw)
    if field.format == "any":
        day = parse_text_date(text)
        found = _strptime(text, _ANY_DATE_FORMATS) if day is None else None
        return Reading(day or found.date()) if day or found else _type_error(field, raw)
    found = _strptime(text, (field.format,))
    return Reading(found.date()) if found else _type_error(field, raw)


def _read_time(field: Field, raw: Any) -> Reading:
    if isinstance(raw, time):
        return Reading(raw)
    if isinstance(raw, datetime) and raw.date() in (date(1899, 12, 30), date(1899, 12, 31), date(1900, 1, 1)):
        return Reading(raw.time())  # an hour typed alone: Excel stores it on its day zero
    if isinstance(raw, timedelta) and raw < timedelta(days=1):
        seconds = int(raw.total_seconds())
        return Reading(time(seconds // 3600, seconds // 60 % 60, seconds % 60))
    if not isinstance(raw, str):
        return _type_error(field, raw)
    text = raw.strip()
    if field.format in ("default", "any"):
        try:
            return Reading(time.fromisoformat(text))
        except ValueError:
            found = _strptime(text, _ANY_TIME_FORMATS) if field.format == "any" else None
    else:
        found = _strptime(text, (field.format,))
    return Reading(found.time()) if found else _type_error(field, raw)


def _read_datetime(field: Field, raw: Any) -> Reading:
    if isinstance(raw, datetime):
        return Reading(raw)
    if isinstance(raw, date):
        return Reading(datetime.combine(raw, time()))
    if not isinstance(raw, str):
        return _type_error(field, raw)
    text = raw.strip()
    if field.format in ("default", "any"):
        try:
            return Reading(datetime.fromisoformat(text))
        except ValueError:
            found = _strptime(text, _ANY_DATETIME_FORMATS) if field.format == "any" else None
    else:
        found = _strptime(text, (field.format,))
    return Reading(found) if found else _type_error(field, raw)


def _read_yearmonth(field: Field, raw: Any) -> Reading:
    if isinstance(raw, date):
        return Reading(YearMonth(raw.year, raw.month))
    if isinstance(raw, str) and (match := _YEARMONTH.fullmatch(raw.strip())):
        year, month = map(int, match.groups())
        if 1 <= month <= 12:
            return Reading(YearMonth(year, month))
    return _type_error(field, raw)


def _read_duration(field: Field, raw: Any) -> Reading:
    if isinstance(raw, timedelta):
        return Reading(Duration(0, raw.total_seconds(), f"PT{raw.total_seconds():g}S"))
    if not isinstance(raw, str) or not (match := _DURATION.fullmatch(raw.strip())):
        return _type_error(field, raw)
    years, months, weeks, days, hours, minutes = (int(part or 0) for part in match.groups()[:6])
    seconds = float((match.group(7) or "0").replace(",", "."))
    total = ((weeks * 7 + days) * 24 + hours) * 3600 + minutes * 60 + seconds
    return Reading(Duration(years * 12 + months, total, raw.strip()))


def _read_geopoint(field: Field, raw: Any) -> Reading:
    if not isinstance(raw, str):
        return _type_error(field, raw)
    text = raw.strip()
    try:
        if field.format == "default":
            lon, lat = (float(part) for part in text.split(","))
        elif field.format == "array":
            lon, lat = json.loads(text)
        else:
            point = json.loads(text)
            lon, lat = point["lon"], point["lat"]
    except (ValueError, TypeError, KeyError):
        return _type_error(field, raw)
    if not all(isinstance(part, int | float) and not isinstance(part, bool) for part in (lon, lat)):
        return _type_error(field, raw)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return _type_error(field, raw)
    return Reading(GeoPoint(float(lon), float(lat)))


def _read_any(field: Field, raw: Any) -> Reading:
    return Reading(raw.strip() if isinstance(raw, str) else raw)


READERS = {
    "string": _read_string,
    "integer": _read_number,
    "number": _read_number,
    "year": _read_number,
    "boolean": _read_boolean,
    "object": _read_json,
    "array": _read_json,
    "geojson": _read_json,
    "date": _read_date,
    "time": _read_time,
    "datetime": _read_datetime,
    "yearmonth": _read_yearmonth,
    "duration": _read_duration,
    "geopoint": _read_geopoint,
    "any": _read_any,
}


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def is_missing(field: Field, raw: Any) -> bool:
    """Empty, or one of the schema's `missingValues` (a number cell counts by its digits)."""
    if is_empty(raw):
        return True
    if len(field.missing_values) == 1:
        return False
    if isinstance(raw, str):
        return raw.strip() in field.missing_values
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw)) in field.missing_values
    return False


def read_cell(field: Field, raw: Any) -> Reading:
    """Type, then constraints: the full verdict on one cell."""
    if is_missing(field, raw):
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
    try:
        problem = _bounds_problem(field, value)
    except TypeError:  # a time with its time zone against one without
        problem = Problem(
            "constraint-error", f"{shown(value)} ne peut pas être comparé aux limites permises."
        )
    if problem is not None:
        return problem
    if isinstance(value, str):
        if field.pattern is not None and not field.pattern.fullmatch(value):
            return Problem(
                "constraint-error",
                f"{shown(value)} n'a pas la forme attendue pour la colonne {quoted(field.label)}.",
            )
    if isinstance(value, str | list | dict):
        unit = "caractères" if isinstance(value, str) else "éléments"
        if field.min_length is not None and len(value) < field.min_length:
            return Problem(
                "constraint-error", f"{shown(value)} est trop court (au moins {field.min_length} {unit})."
            )
        if field.max_length is not None and len(value) > field.max_length:
            return Problem(
                "constraint-error", f"{shown(value)} est trop long (au plus {field.max_length} {unit})."
            )
    return None


def _bounds_problem(field: Field, value: Any) -> Problem | None:
    if field.minimum is not None and value < field.minimum:
        return Problem(
            "constraint-error", f"{shown(value)} est inférieur au minimum permis ({plain(field.minimum)})."
        )
    if field.maximum is not None and value > field.maximum:
        return Problem(
            "constraint-error", f"{shown(value)} dépasse le maximum permis ({plain(field.maximum)})."
        )
    if field.exclusive_minimum is not None and value <= field.exclusive_minimum:
        return Problem(
            "constraint-error",
            f"{shown(value)} doit être strictement supérieur à {plain(field.exclusive_minimum)}.",
        )
    if field.exclusive_maximum is not None and value >= field.exclusive_maximum:
        return Problem(
            "constraint-error",
            f"{shown(value)} doit être strictement inférieur à {plain(field.exclusive_maximum)}.",
        )
    return None
