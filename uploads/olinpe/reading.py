"""Reading a yearly OLINPE extract into typed columns, checked against the dictionary's Table Schema.

The file comes as business software exports it: CSV separated by `;` or `,`, in UTF-8 or Latin-1, quoted
or not, or an xlsx workbook (first sheet). Latin-1 and xlsx are first turned into a UTF-8 CSV in a
temporary folder; then polars reads the CSV, every value as text, and each variable is read, by whole
columns in parallel, as its type (`integer`, `year`, `yearmonth` as AAAA-MM, AAAA/MM or MM/AAAA, `string` with its
pattern): integers as Int32, months as a month index (year × 12 + month − 1), texts as texts. Per variable,
the cells not of the type, outside the bounds, or empty where required are counted with their first record
numbers, and read as empty (a variable with cells that do not read is read again without the spaces
around those cells). Codes outside a list are kept: the coherence checks count them. The distinct
values of eight characters or more (hexadecimal hashes aside) go to the personal-data guard of
`uploads.validation`.

Refused (`Refused`, a French sentence): a file that is neither CSV nor xlsx, a header that names a
person's identity, a value that is a direct identifier (name headers, NIR, e-mail, telephone, a full
date), a column the dictionary does not know, a required column missing. Otherwise the problems are
reported and the base is read. The record number is the line's rank after the header (line 2 = record 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl
from python_calamine import CalamineWorkbook

from uploads.olinpe.dictionary import Dictionary
from uploads.validation.personal_data import REFUSAL, header_identity, number_identity, value_identity
from uploads.validation.schema import Field
from uploads.validation.text import fold

RECORD = "_record"
EXAMPLES = 5
SUSPECT_LENGTH = 8  # NIR, telephone numbers, full dates and e-mail addresses are all at least this long
CHUNK = 1 << 24
# A hash in hexadecimal with a letter: no NIR, telephone number, date or e-mail address has this form.
_HASH = r"^[0-9A-Fa-f]*[A-Fa-f][0-9A-Fa-f]*$"
SUSPECTS = 1000
VALUE = "_value|"  # prefix of a variable's typed column, beside its text


class Refused(Exception):
    """The file is not kept: the message (French) says why and what to do."""


@dataclass(frozen=True)
class Problem:
    code: str
    field: str
    message: str
    count: int
    examples: tuple[int, ...]


@dataclass
class Base:
    frame: pl.DataFrame
    problems: list[Problem]

    @property
    def records(self) -> int:
        return self.frame.height


def read_base(path: Path, dictionary: Dictionary) -> Base:
    with tempfile.TemporaryDirectory(prefix="olinpe-") as folder:
        csv_path, separator = _as_utf8_csv(Path(path), Path(folder))
        columns = _match_header(csv_path, separator, dictionary)
        raw = pl.read_csv(csv_path, separator=separator, infer_schema=False, new_columns=columns)
    fields = [dictionary.schema.field(name) for name in columns]
    cells = raw.with_row_index(RECORD, offset=1)
    del raw
    cells = cells.with_columns(_parsed(f, pl.col(f.name)).alias(VALUE + f.name) for f in fields)
    # Something did not read: those variables are read again without the spaces around the cells.
    again = [f for f in fields if cells[VALUE + f.name].null_count() > cells[f.name].null_count()]
    cells = cells.with_columns(_without_spaces(field) for field in again)
    cells = cells.with_columns(_parsed(f, pl.col(f.name)).alias(VALUE + f.name) for f in again)
    _guard(_suspects(cells, fields), fields)
    problems = _problems(cells, fields)
    frame = cells.select(RECORD, *(_bounded(field).alias(field.name) for field in fields))
    del cells
    frame = frame.with_columns(
        pl.lit(None, dtype=_dtype(dictionary.schema.field(name))).alias(name)
        for name in dictionary.names
        if name not in columns
    )
    # One piece per column (the parallel reading leaves dozens): the checks and indicators group faster.
    return Base(frame=frame.select(RECORD, *dictionary.names).rechunk(), problems=problems)


# Into one UTF-8 CSV -----------------------------------------------------------------------------------


def _as_utf8_csv(path: Path, folder: Path) -> tuple[Path, str]:
    with path.open("rb") as stream:
        head = stream.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_to_csv(path, folder / "base.csv"), ";"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise Refused("Ce fichier est au format Excel ancien (.xls) : enregistrez-le en .xlsx ou en CSV.")
    encoding = "utf-8-sig" if _is_utf8(path) else "latin-1"
    with path.open("r", encoding=encoding, newline="") as stream:
        header = stream.readline()
    if "\x00" in header:
        raise Refused("Ce fichier n'est ni un CSV ni un classeur xlsx : exportez la base en CSV ou en xlsx.")
    separator = ";" if header.count(";") >= header.count(",") else ","
    if encoding == "utf-8-sig" and not header.startswith("\ufeff"):
        return path, separator
    target = folder / "base.csv"
    with path.open("r", encoding=encoding, newline="") as source, target.open("w", encoding="utf-8") as out:
        while chunk := source.read(CHUNK):
            out.write(chunk.lstrip("\ufeff") if source.tell() <= CHUNK + 3 else chunk)
    return target, separator


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as stream:
        try:
            while chunk := stream.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _xlsx_to_csv(path: Path, target: Path) -> Path:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        rows = workbook.get_sheet_by_index(0).iter_rows()
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter=";")
            for row in rows:
                writer.writerow([_cell_text(value) for value in row])
    except Exception as error:  # calamine's errors have no common base class
        raise Refused(
            "Ce classeur ne peut pas être lu : enregistrez-le à nouveau en .xlsx ou exportez un CSV."
        ) from error
    return target


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        # A month typed in Excel is the first of the month; any other day is a full date, which the guard refuses.
        return f"{value:%Y-%m}" if value.day == 1 else f"{value:%d/%m/%Y}"
    return "" if value is None else str(value)


# The header -------------------------------------------------------------------------------------------


def _match_header(path: Path, separator: str, dictionary: Dictionary) -> list[str]:
    with path.open("r", encoding="utf-8", newline="") as stream:
        header = next(csv.reader(io.StringIO(stream.readline()), delimiter=separator), [])
    if not header:
        raise Refused("Le fichier est vide : exportez la base avec sa ligne d'en-tête.")
    for label in header:
        if (found := header_identity(label)) is not None:
            raise Refused(f"La colonne « {label.strip()} » annonce {found}. {REFUSAL}")
    known = {fold(name): name for name in dictionary.names}
    columns, unknown = [], []
    for label in header:
        name = known.get(fold(label))
        (columns if name else unknown).append(name or label.strip())
    if unknown:
        raise Refused(
            "Ces colonnes ne sont pas des variables du dictionnaire OLINPE "
            f"(version {dictionary.version}) : {', '.join(unknown)}. Retirez-les de l'export ou importez "
            "le dictionnaire qui les décrit, puis déposez le fichier à nouveau."
        )
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise Refused(f"Ces variables figurent deux fois dans l'en-tête : {', '.join(repeated)}.")
    missing = [
        field.name for field in dictionary.schema.fields if field.required and field.name not in columns
    ]
    if missing:
        raise Refused(
            f"Il manque des variables obligatoires : {', '.join(missing)}. Exportez la base complète."
        )
    return columns


# The cells, by whole columns ---------------------------------------------------------------------------


def _without_spaces(field: Field) -> pl.Expr:
    """The cells that did not read, without their spaces (empty if blank); those that did, as they are."""
    stripped = pl.col(field.name).str.strip_chars()
    stripped = pl.when(stripped != "").then(stripped)
    kept = pl.col(VALUE + field.name).is_not_null()
    return pl.when(kept).then(pl.col(field.name)).otherwise(stripped).alias(field.name)


def _parsed(field: Field, text: pl.Expr) -> pl.Expr:
    """The cells read as the variable's type, null where they are not of it."""
    if field.type == "yearmonth":
        month = pl.coalesce(
            (text + "-01").str.to_date("%Y-%m-%d", strict=False),
            (text + "/01").str.to_date("%Y/%m/%d", strict=False),
            ("01/" + text).str.to_date("%d/%m/%Y", strict=False),
        )
        return month.dt.year().cast(pl.Int32) * 12 + month.dt.month().cast(pl.Int32) - 1
    if field.type in ("integer", "year"):
        return text.cast(pl.Int32, strict=False)
    if field.pattern is not None:
        return pl.when(text.str.contains(f"^(?:{field.pattern.pattern})$")).then(text)
    return text


def _outside(field: Field) -> pl.Expr | None:
    if field.enum is not None or (field.minimum is None and field.maximum is None):
        return None
    value = pl.col(VALUE + field.name)
    low = value < field.minimum if field.minimum is not None else pl.lit(False)
    high = value > field.maximum if field.maximum is not None else pl.lit(False)
    return (low | high).fill_null(False)


def _bounded(field: Field) -> pl.Expr:
    """The value, empty where it is out of bounds."""
    outside = _outside(field)
    value = pl.col(VALUE + field.name)
    return value if outside is None else pl.when(outside).then(None).otherwise(value)


def _problems(cells: pl.DataFrame, fields: list[Field]) -> list[Problem]:
    """Per variable and kind of problem: how many cells, and the first record numbers."""
    masks = {}
    for field in fields:
        text, value = pl.col(field.name), pl.col(VALUE + field.name)
        masks["type", field.name] = text.is_not_null() & value.is_null()
        if (outside := _outside(field)) is not None:
            masks["bounds", field.name] = outside
        if field.required:
            masks["required", field.name] = text.is_null()
    counts = cells.select(mask.sum().alias(f"{kind}|{name}") for (kind, name), mask in masks.items())
    counts = counts.row(0, named=True)
    found = [key for key in masks if counts[f"{key[0]}|{key[1]}"]]
    examples = {}
    if found:
        examples = cells.select(
            pl.col(RECORD).filter(masks[key]).head(EXAMPLES).implode().alias(f"{key[0]}|{key[1]}")
            for key in found
        ).row(0, named=True)
    return [
        Problem(
            kind,
            field.name,
            _message(kind, field),
            counts[f"{kind}|{field.name}"],
            tuple(examples[f"{kind}|{field.name}"]),
        )
        for field in fields
        for kind in ("type", "bounds", "required")
        if counts.get(f"{kind}|{field.name}")
    ]


def _suspects(cells: pl.DataFrame, fields: list[Field]) -> dict[str, list[str]]:
    """Per variable, up to `SUSPECTS` distinct values long enough to be an identifier (hashes aside)."""
    longest = cells.select(pl.col(f.name).str.len_bytes().max() for f in fields).row(0, named=True)
    expressions = []
    for field in fields:
        if (longest[field.name] or 0) < SUSPECT_LENGTH:  # bytes: never fewer than characters
            continue
        text = pl.col(field.name)
        suspect = text.str.len_chars() >= SUSPECT_LENGTH
        if field.type == "string":
            suspect = suspect & ~text.str.contains(_HASH)
        expressions.append(text.filter(suspect).unique().head(SUSPECTS).implode())
    return cells.select(expressions).row(0, named=True) if expressions else {}


def _message(kind: str, field: Field) -> str:
    if kind == "required":
        return f"« {field.name} » ({field.label}) est obligatoire : des enregistrements la laissent vide."
    if kind == "bounds":
        return (
            f"« {field.name} » ({field.label}) sort des bornes permises ({field.minimum} à {field.maximum})."
        )
    expected = {
        "integer": "un nombre entier",
        "year": "une année",
        "yearmonth": "un mois sous la forme AAAA-MM",
        "string": "un texte de la forme attendue",
    }[field.type]
    return f"« {field.name} » ({field.label}) doit contenir {expected} : ces valeurs sont lues comme vides."


def _guard(suspects: dict[str, list[str]], fields: list[Field]) -> None:
    for field in fields:
        for text in sorted(suspects.get(field.name, ())):
            found = value_identity(text, dates_allowed=False)
            if found is None and re.fullmatch(r"\d{13,15}", text):
                found = number_identity(float(text))
            if found is not None:
                raise Refused(f"La colonne « {field.name} » contient {found}. {REFUSAL}")


def _dtype(field: Field) -> pl.DataType:
    return pl.String() if field.type == "string" else pl.Int32()
