"""Reading a yearly OLINPE extract into typed columns, checked against the dictionary's Table Schema.

The file comes as business software exports it: CSV separated by `;` or `,`, in UTF-8 or Latin-1, quoted
or not, or an xlsx workbook (first sheet). Latin-1 and xlsx are first turned into a UTF-8 CSV in a
temporary folder; then polars reads the CSV by batches of rows, every value as text, and each variable is
read as its type (`integer`, `year`, `yearmonth` as AAAA-MM, AAAA/MM or MM/AAAA, `string` with its
pattern): integers as Int32, months as a month index (year × 12 + month − 1), texts as texts. Per variable,
the cells not of the type, outside the bounds, or empty where required are counted with their first record
numbers, and read as empty. Codes outside a list are kept: the coherence checks count them. The distinct
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
BATCH_ROWS = 100_000


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
    tally = _Tally()
    with tempfile.TemporaryDirectory(prefix="olinpe-") as folder:
        csv_path, separator = _as_utf8_csv(Path(path), Path(folder))
        columns = _match_header(csv_path, separator, dictionary)
        fields = [dictionary.schema.field(name) for name in columns]
        scan = pl.scan_csv(csv_path, separator=separator, infer_schema=False, new_columns=columns)
        batches, offset = [], 0
        for batch in scan.collect_batches(chunk_size=BATCH_ROWS):
            batches.append(_read_batch(batch, fields, offset, tally))
            offset += batch.height
    _guard(tally.suspects, fields)
    frame = pl.concat(batches) if batches else pl.DataFrame({RECORD: []}, schema={RECORD: pl.UInt32})
    for name in dictionary.names:
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=_dtype(dictionary.schema.field(name))).alias(name))
    return Base(frame=frame.select(RECORD, *dictionary.names), problems=tally.problems(fields))


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


# Batches ---------------------------------------------------------------------------------------------


class _Tally:
    """Per variable and kind of problem: how many cells, and the first record numbers."""

    def __init__(self):
        self.counts: dict[tuple[str, str], int] = {}
        self.examples: dict[tuple[str, str], list[int]] = {}
        self.suspects: dict[str, set[str]] = {}

    def add(self, kind: str, field: Field, mask: pl.Series, records: pl.Series) -> None:
        key = (kind, field.name)
        self.counts[key] = self.counts.get(key, 0) + int(mask.sum())
        shown = self.examples.setdefault(key, [])
        if len(shown) < EXAMPLES:
            shown.extend(records.filter(mask).head(EXAMPLES - len(shown)).to_list())

    def problems(self, fields: list[Field]) -> list[Problem]:
        return [
            Problem(
                kind,
                field.name,
                _message(kind, field),
                self.counts[kind, field.name],
                tuple(self.examples[kind, field.name]),
            )
            for field in fields
            for kind in ("type", "bounds", "required")
            if self.counts.get((kind, field.name))
        ]


def _read_batch(batch: pl.DataFrame, fields: list[Field], offset: int, tally: _Tally) -> pl.DataFrame:
    records = pl.Series(RECORD, range(offset + 1, offset + 1 + batch.height), dtype=pl.UInt32)
    out = [records]
    for field in fields:
        raw = batch[field.name]
        value = _parsed(field, raw)
        if value.null_count() > raw.null_count():  # something did not read: try again without spaces
            raw = raw.str.strip_chars()
            raw = raw.set(raw == "", None)
            value = _parsed(field, raw)
            tally.add("type", field, raw.is_not_null() & value.is_null(), records)
        if field.required and raw.null_count():
            tally.add("required", field, raw.is_null(), records)
        outside = _out_of_bounds(field, value)
        if outside is not None:
            tally.add("bounds", field, outside, records)
            value = value.set(outside, None)
        _collect_suspects(field, raw, tally)
        out.append(value.alias(field.name))
    return pl.DataFrame(out)


def _parsed(field: Field, raw: pl.Series) -> pl.Series:
    """The cells read as the variable's type, null where they are not of it."""
    if field.type == "yearmonth":
        month = (raw + "-01").str.to_date("%Y-%m-%d", strict=False)
        if month.null_count() > raw.null_count():
            month = month.fill_null((raw + "/01").str.to_date("%Y/%m/%d", strict=False))
            month = month.fill_null(("01/" + raw).str.to_date("%d/%m/%Y", strict=False))
        return (month.dt.year().cast(pl.Int32) * 12 + month.dt.month().cast(pl.Int32) - 1).alias(field.name)
    if field.type in ("integer", "year"):
        return raw.cast(pl.Int32, strict=False)
    if field.pattern is not None:
        return raw.set(~raw.str.contains(f"^(?:{field.pattern.pattern})$").fill_null(True), None)
    return raw


def _out_of_bounds(field: Field, value: pl.Series) -> pl.Series | None:
    if field.enum is not None or value.null_count() == len(value):
        return None
    low, high = value.min(), value.max()
    if (field.minimum is None or low >= field.minimum) and (field.maximum is None or high <= field.maximum):
        return None
    mask = pl.Series([False] * len(value))
    if field.minimum is not None:
        mask = mask | (value < field.minimum).fill_null(False)
    if field.maximum is not None:
        mask = mask | (value > field.maximum).fill_null(False)
    return mask


def _collect_suspects(field: Field, raw: pl.Series, tally: _Tally) -> None:
    longest = raw.str.len_chars().max()
    if longest is None or longest < SUSPECT_LENGTH:
        return
    suspect = raw.str.len_chars() >= SUSPECT_LENGTH
    if field.type == "string":
        suspect = suspect & ~raw.str.contains(_HASH)
    found = tally.suspects.setdefault(field.name, set())
    if len(found) < SUSPECTS:
        found.update(raw.filter(suspect.fill_null(False)).unique().head(SUSPECTS).to_list())


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


def _guard(suspects: dict[str, set[str]], fields: list[Field]) -> None:
    for field in fields:
        for text in sorted(suspects.get(field.name, ())):
            found = value_identity(text, dates_allowed=False)
            if found is None and re.fullmatch(r"\d{13,15}", text):
                found = number_identity(float(text))
            if found is not None:
                raise Refused(f"La colonne « {field.name} » contient {found}. {REFUSAL}")


def _dtype(field: Field) -> pl.DataType:
    return pl.String() if field.type == "string" else pl.Int32()
