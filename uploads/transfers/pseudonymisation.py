"""The hashing protocol of the PIPASE convention (annex 1) and the minimisation of its annex 2, in plain
Python: the Département's IT runs it through `manage.py pseudonymise`, and `static/js/pseudonymise.js`
does the same in a partner's browser (the tests check that both give the same keys).

Normalisation of a name or a first name (annex 1 §1), one character at a time:
- the letters Œ/œ become OE, Æ/æ become AE, ß becomes SS, and the few Latin letters that Unicode does not
  decompose take their plain equivalent (Ø→O, Ł→L, Đ/Ð→D, Þ→TH, ı→I);
- accents are removed: the text is decomposed (NFKD, so that « é » is « e » followed by its accent, and
  a ligature such as « ﬁ » is « fi ») and every combining mark is dropped;
- what is left is kept when it is a Latin letter A to Z, in upper case; anything else that is not a
  letter is dropped: spaces, hyphens, apostrophes (straight or curly), dots, digits;
- particles are letters like any other and stay: « de La Fontaine » gives DELAFONTAINE, « Le Goff »
  LEGOFF, « d'Arc » DARC;
- a letter of another script (Greek, Cyrillic, Arabic…) is refused, with the line: a transliteration
  chosen here would differ from the one of the other extractions, and the keys would never match. The
  name must be written in Latin letters, as in the civil-status record;
- a value left empty by these rules is refused, with the line.
The name is the birth name (not the married name) and the first name is the mapped column's whole value:
« Marie-Claire » gives MARIECLAIRE; a column holding every given name gives them all, one after another.

Birth date (annex 1 §1) becomes JJMMAAAA. Accepted: a date cell of a workbook, and the texts JJ/MM/AAAA,
JJ-MM-AAAA (day and month on one or two digits), AAAA-MM-JJ and the annex's own example AAAA/JJ/MM
(« 2002/31/12 » is 31 December 2002: a file written AAAA/MM/JJ must be converted first, nothing can tell
the two apart when the day is 12 or less). Anything else, or a date that does not exist, is refused.

Keys (annex 1 §3): SHA-256 of the UTF-8 bytes of NOM+PRENOM+JJMMAAAA (primary) and of NOM+MM+AAAA
(secondary), written as 64 lower-case hexadecimal characters: what Python's `hashlib.hexdigest()` and R
give, so that a Département's script written from the annex alone finds the same keys.

A column sent as is must not repeat, on a line, the person's name or first name (normalised as above) or
their birth date (in any accepted shape): that line is refused, since the names would leave with the keys.

Minimisation (annex 2, « mois et année »): a date kept for the recipient becomes AAAA-MM (a Table
Schema `yearmonth`); an empty date stays empty. The birth date becomes two columns, month and year.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass
from datetime import date, datetime

KEY_COLUMNS = ["cle_primaire", "cle_secondaire", "mois_naissance", "annee_naissance"]

# Latin letters with no Unicode decomposition to a plain letter.
SPECIAL_LETTERS = {
    "Œ": "OE",
    "œ": "OE",
    "Æ": "AE",
    "æ": "AE",
    "ß": "SS",
    "ẞ": "SS",
    "Ø": "O",
    "ø": "O",
    "Ł": "L",
    "ł": "L",
    "Đ": "D",
    "đ": "D",
    "Ð": "D",
    "ð": "D",
    "Þ": "TH",
    "þ": "TH",
    "ı": "I",
}
PLAIN_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

DATE_FORMATS = [  # (pattern, order of the groups as day, month, year)
    (re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"), (0, 1, 2)),  # JJ/MM/AAAA
    (re.compile(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})"), (0, 1, 2)),  # JJ-MM-AAAA
    (re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"), (2, 1, 0)),  # AAAA-MM-JJ
    (re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})"), (1, 2, 0)),  # AAAA/JJ/MM, the annex's example
]
ACCEPTED_FORMATS = "JJ/MM/AAAA, JJ-MM-AAAA, AAAA-MM-JJ ou AAAA/JJ/MM"


class PseudonymisationError(ValueError):
    """A value the protocol cannot hash: the message, in French, says which and why."""


@dataclass(frozen=True)
class Pseudonym:
    primary_key: str
    secondary_key: str
    birth_month: str  # "01" to "12"
    birth_year: str


@dataclass(frozen=True)
class Mapping:
    """Which columns of the extract (by their header) hold what."""

    name: str
    first_name: str
    birth_date: str
    keep: Sequence[str] = ()
    minimise: Sequence[str] = ()  # kept as well, each date reduced to AAAA-MM


def normalise_name(value: object, *, what: str = "Le nom") -> str:
    text = "" if value is None else str(value)
    letters = []
    for character in unicodedata.normalize("NFKD", "".join(SPECIAL_LETTERS.get(c, c) for c in text)):
        category = unicodedata.category(character)
        if character in PLAIN_LETTERS:
            letters.append(character.upper())
        elif category.startswith("L"):
            raise PseudonymisationError(
                f"{what} « {text.strip()} » contient une lettre qui n’est pas de l’alphabet latin "
                f"(« {character} ») : écrivez-le en lettres latines, comme à l’état civil."
            )
    if not letters:
        raise PseudonymisationError(f"{what} « {text.strip()} » ne contient aucune lettre.")
    return "".join(letters)


def parse_date(value: object) -> date:
    """A date cell, or a text in one of the accepted formats."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    for pattern, (day, month, year) in DATE_FORMATS:
        if found := pattern.fullmatch(text):
            parts = found.groups()
            try:
                return date(int(parts[year]), int(parts[month]), int(parts[day]))
            except ValueError:
                raise PseudonymisationError(f"La date « {text} » n’existe pas.") from None
    if not text:
        raise PseudonymisationError("La date de naissance est vide.")
    raise PseudonymisationError(f"La date « {text} » n’est pas écrite {ACCEPTED_FORMATS}.")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pseudonymise(name: object, first_name: object, birth_date: object) -> Pseudonym:
    nom = normalise_name(name, what="Le nom")
    prenom = normalise_name(first_name, what="Le prénom")
    born = parse_date(birth_date)
    day, month, year = f"{born.day:02d}", f"{born.month:02d}", f"{born.year:04d}"
    return Pseudonym(
        primary_key=_sha256(f"{nom}{prenom}{day}{month}{year}"),
        secondary_key=_sha256(f"{nom}{month}{year}"),
        birth_month=month,
        birth_year=year,
    )


def minimise_date(value: object) -> str:
    """A date reduced to its month and year, AAAA-MM; an empty cell stays empty."""
    if value is None or str(value).strip() == "":
        return ""
    found = parse_date(value)
    return f"{found.year:04d}-{found.month:02d}"


def as_text(value: object) -> str:
    """A kept cell as the recipient reads it: a whole number without « .0 », a date as AAAA-MM-JJ."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _positions(header: Sequence[object], mapping: Mapping) -> dict[str, int]:
    labels = [as_text(label).strip() for label in header]
    identifying = {mapping.name, mapping.first_name, mapping.birth_date}
    if shared := sorted(identifying & {*mapping.keep, *mapping.minimise}):
        raise PseudonymisationError(
            f"La colonne « {shared[0]} » sert aux clés : elle ne peut pas être gardée telle quelle."
        )
    positions = {}
    for column in [*identifying, *mapping.keep, *mapping.minimise]:
        if column not in labels:
            raise PseudonymisationError(
                f"La colonne « {column} » n’est pas dans la première ligne du fichier, qui contient : "
                + ", ".join(f"« {label} »" for label in labels if label)
                + "."
            )
        positions[column] = labels.index(column)
    return positions


def pseudonymise_table(
    rows: Iterable[Sequence[object]], mapping: Mapping
) -> tuple[list[str], list[list[str]]]:
    """The extract's rows, its header first, line 1, become the pseudonymised table: the keys, the birth
    month and year, then the kept columns in the order given. Blank lines are skipped; a value that
    cannot be hashed stops everything with the message and its line."""
    lines = iter(rows)
    header = next(lines, None)
    if header is None:
        raise PseudonymisationError("Le fichier est vide : la première ligne doit nommer les colonnes.")
    at = _positions(header, mapping)
    kept = [*mapping.keep, *mapping.minimise]
    table = []
    for number, row in enumerate(lines, start=2):
        if all(as_text(cell).strip() == "" for cell in row):
            continue
        cells = {column: row[index] if index < len(row) else None for column, index in at.items()}
        try:
            pseudonym = pseudonymise(
                cells[mapping.name], cells[mapping.first_name], cells[mapping.birth_date]
            )
        except PseudonymisationError as error:
            raise PseudonymisationError(f"Ligne {number} : {error}") from None
        person = _Person(
            names={normalise_name(cells[mapping.name]), normalise_name(cells[mapping.first_name])},
            born=parse_date(cells[mapping.birth_date]),
        )
        values = [_kept_value(cells, column, mapping, number, person) for column in kept]
        table.append([*astuple(pseudonym), *values])
    return [*KEY_COLUMNS, *kept], table


@dataclass(frozen=True)
class _Person:
    names: set[str]  # the name and the first name, normalised
    born: date


def _reveals(value: object, person: _Person) -> bool:
    """Whether a cell repeats the person's name, first name or birth date, however written."""
    if as_text(value).strip() == "":
        return False
    try:
        return parse_date(value) == person.born
    except PseudonymisationError:
        pass
    try:
        return normalise_name(value) in person.names
    except PseudonymisationError:
        return False


def _kept_value(cells: dict[str, object], column: str, mapping: Mapping, number: int, person: _Person) -> str:
    if column not in mapping.minimise:
        if _reveals(cells[column], person):
            raise PseudonymisationError(
                f"Ligne {number}, colonne « {column} » : elle répète le nom, le prénom ou la date de "
                "naissance de la personne, qui ne doivent pas être transmis."
            )
        return as_text(cells[column])
    try:
        return minimise_date(cells[column])
    except PseudonymisationError as error:
        raise PseudonymisationError(f"Ligne {number}, colonne « {column} » : {error}") from None
