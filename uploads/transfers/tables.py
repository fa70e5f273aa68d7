"""Reading a pseudonymised dataset, row by row: CSV (`;` or `,`, UTF-8 or Latin-1) or an .xlsx workbook
(its first sheet, after the same container checks as the yearly tables). Pure Python, no Django.

Cells come out as text: numbers without a useless `.0`, booleans as « oui »/« non »; a date cell stays a
`date`, for the checks to judge (a full date is what a pseudonymised dataset must not hold).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from uploads.validation.container import Limits, Refused, inflate_and_scan, open_package

Cell = str | date
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")  # latin-1 reads any byte: the last resort
_SAMPLE_BYTES = 64 * 1024


@dataclass
class Table:
    header: list[str]
    rows: Iterator[list[Cell]]
    kind: str  # "csv" or "xlsx"


def is_xlsx(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) == b"PK\x03\x04"


@contextmanager
def open_table(path: Path, *, max_bytes: int) -> Iterator[Table]:
    """The header and the rows of the file; `Refused` (a French sentence) if it cannot be read."""
    if path.stat().st_size == 0:
        raise Refused("file-empty", "Le fichier est vide.")
    if path.stat().st_size > max_bytes:
        raise Refused("file-too-large", f"Le fichier dépasse la limite de {max_bytes // (1024 * 1024)} Mo.")
    if is_xlsx(path):
        yield _xlsx(path, max_bytes)
    else:
        with path.open("rb") as raw:
            yield _csv(raw)


def _encoding(raw) -> str:
    """The first encoding that decodes the whole file (read in chunks: nothing is held)."""
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        raw.seek(0)
        try:
            while chunk := raw.read(_SAMPLE_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise AssertionError("latin-1 decodes any byte")


def _csv(raw) -> Table:
    encoding = _encoding(raw)
    raw.seek(0)
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    first = text.readline()
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    return Table(
        header=[name.strip() for name in header],
        rows=iter(csv.reader(text, delimiter=delimiter)),
        kind="csv",
    )


def _xlsx(path: Path, max_bytes: int) -> Table:
    limits = Limits(max_file_bytes=max_bytes, max_uncompressed_bytes=max_bytes * 10, max_rows=2_000_000)
    package = open_package(path, limits)
    if not package.sheets:
        raise Refused("file-no-sheet", "Le classeur ne contient aucune feuille.")
    name, part = next(iter(package.sheets.items()))
    inflate_and_scan(path, part, limits)
    try:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).iter_rows()
        header = next(rows, [])
    except (CalamineError, ValueError, OSError):
        raise Refused("file-corrupt", "Le classeur est endommagé et ne peut pas être lu.") from None
    return Table(
        header=[_text(cell).strip() for cell in header],
        rows=(list(map(_cell, row)) for row in _guarded(rows)),
        kind="xlsx",
    )


def _guarded(rows) -> Iterator[list]:
    while True:
        try:
            chunk = list(islice(rows, 1000))
        except (CalamineError, ValueError, OSError):
            raise Refused("file-corrupt", "Le classeur est endommagé et ne peut pas être lu.") from None
        if not chunk:
            return
        yield from chunk


def _cell(value) -> Cell:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _text(value)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
