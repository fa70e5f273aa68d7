"""Validate a partner's workbook against its table spec, and read a validated one.

The order matters: the zip container is checked and every part inflated within the limits before
python-calamine parses anything; then the one sheet we need is read and checked in chunks. A sheet
too large to be measured cheaply beforehand is read in a bounded process of its own
(`uploads.validation.apart`), which first tries the columnar proof that it is right
(`uploads.validation.columnar`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from uploads.validation.apart import check_apart
from uploads.validation.cells import read_cell
from uploads.validation.container import Limits, Package, Refused, inflate_and_scan, open_package
from uploads.validation.findings import Finding, Report
from uploads.validation.schema import Schema, parse_schema
from uploads.validation.table import (
    HEADER_SEARCH_ROWS,
    Collector,
    SheetCheck,
    header_text,
    key_text,
    read_layout,
    split_header,
)
from uploads.validation.text import fold, joined, quoted

CHUNK_ROWS = 1_000  # small chunks keep the transposition in the CPU cache
# Sheets of our own templates that never hold a table.
TEMPLATE_SHEETS = frozenset({"lisez moi", "listes", "rapport"})


@dataclass(frozen=True)
class ExpectedTable:
    sheet_name: (
        str  # the sheet to read; when the workbook has no such sheet but a single data sheet, that one
    )
    schema: dict  # a Table Schema descriptor


def validate_workbook(
    path: str | os.PathLike,
    table: ExpectedTable,
    *,
    limits: Limits | None = None,
    previous: dict[tuple[str, ...], dict[str, float]] | None = None,
    change_ratio: float = 0.5,
) -> Report:
    """Every finding on the workbook, in plain French. Never raises on a bad file (only on a bad schema).

    `previous` holds the partner's last accepted figures by primary key (see `row_key`): a value that
    moves by more than `change_ratio` from it gets a warning.
    """
    schema = parse_schema(table.schema)
    limits = limits or Limits()
    path = Path(path)
    report = Report()
    try:
        package = open_package(path, limits)
        sheet_name = choose_sheet(list(package.sheets), table.sheet_name)
        if sheet_name is None:
            report.add(missing_sheet(list(package.sheets), table.sheet_name))
            return report
        if package.read_apart(sheet_name, limits):
            return check_apart(path, package, sheet_name, schema, limits, previous, change_ratio)
        inflate_and_scan(path, package.sheets[sheet_name], limits)
        return check_sheet(path, package, sheet_name, schema, limits, previous, change_ratio)
    except Refused as refusal:
        report.errors = [refusal.finding]
        report.warnings = []
    return report


def check_sheet(
    path: Path,
    package: Package,
    sheet_name: str,
    schema: Schema,
    limits: Limits,
    previous: dict[tuple[str, ...], dict[str, float]] | None,
    change_ratio: float,
    *,
    columnar: bool = False,
) -> Report:
    """Read and check a sheet whose file passed the container's checks; `columnar` tries the fast proof first."""
    if columnar:
        from uploads.validation.columnar import clean_report  # polars and fastexcel, for large sheets only

        clean = clean_report(path, sheet_name, schema, previous=previous, change_ratio=change_ratio)
        if clean is not None:
            return clean
    report = Report()
    out = Collector(report, sheet_name)
    with _workbook(path) as workbook:
        references = read_references(path, package, workbook, schema, limits, out)
        sheet = _sheet(workbook, sheet_name)
        SheetCheck(schema, out, previous=previous, change_ratio=change_ratio, references=references).run(
            _chunks(sheet), sheet.start
        )
    out.finish()
    return report


def iter_table(path: str | os.PathLike, table: ExpectedTable) -> Iterator[tuple[int, dict[str, Any]]]:
    """(Excel row number, {field: typed value}) for each data row of a workbook that validated.

    Values are read exactly as the validation read them: integers as int, enumerations in the spec's
    spelling, empty cells as None.
    """
    schema = parse_schema(table.schema)
    path = Path(path)
    package = open_package(path, Limits())
    sheet_name = choose_sheet(list(package.sheets), table.sheet_name)
    if sheet_name is None:
        return
    with _workbook(path) as workbook:
        sheet = _sheet(workbook, sheet_name)
        row0, col0 = sheet.start or (0, 0)
        index, header, rest = split_header(_chunks(sheet), schema)
        if header is None:
            return
        layout = read_layout(header, row0 + index + 1, col0, schema, None)
        fields = [(schema.field(name), position) for name, position in layout.columns.items()]
        number = layout.header_row
        for chunk in rest:
            for row in chunk:
                number += 1
                if row.count("") != len(row):
                    yield (
                        number,
                        {item.name: read_cell(item, row[position]).value for item, position in fields},
                    )


def row_key(schema: Schema, record: dict[str, Any]) -> tuple[str, ...]:
    """A row's primary key as `validate_workbook(previous=…)` expects it."""
    return tuple(key_text(record.get(name)) for name in schema.primary_key)


def read_references(path: Path, package, workbook, schema: Schema, limits: Limits, out: Collector) -> dict:
    """The keys of each foreign key pointing to another sheet of the workbook, by the key's index.

    The sheet passes the same bounds as the table's; only the referenced columns are kept, as a set of
    keys read as the types of the fields referring to them. A missing sheet or column is reported once.
    """
    references: dict[int, set[Any]] = {}
    for index, key in enumerate(schema.foreign_keys):
        if not key.in_workbook:
            continue
        names = {fold(name): name for name in package.sheets}
        sheet_name = key.resource if key.resource in package.sheets else names.get(fold(key.resource))
        fields = [schema.field(name) for name in key.fields]
        labels = joined([quoted(item.label) for item in fields])
        if sheet_name is None:
            out.add(
                "foreign-key",
                f"La feuille {quoted(key.resource)}, où la colonne {labels} doit trouver ses valeurs, est "
                "introuvable dans ce classeur : reprenez le modèle fourni sans renommer ses feuilles.",
            )
            continue
        inflate_and_scan(path, package.sheets[sheet_name], limits)
        wanted = [fold(name) for name in key.reference_fields]
        positions = None
        keys: set[Any] = set()
        for chunk in _chunks(_sheet(workbook, sheet_name)):
            rows = iter(chunk)
            if positions is None:
                for row in islice(rows, HEADER_SEARCH_ROWS):
                    header = [fold(header_text(raw)) for raw in row]
                    if all(name in header for name in wanted):
                        positions = [header.index(name) for name in wanted]
                        break
                if positions is None:
                    break
            for row in rows:
                parts = tuple(
                    read_cell(item, row[at]).value for item, at in zip(fields, positions, strict=True)
                )
                if None not in parts:
                    keys.add(parts[0] if len(parts) == 1 else parts)
        if positions is None:
            out.add(
                "foreign-key",
                f"La feuille {quoted(sheet_name)}, où la colonne {labels} doit trouver ses valeurs, n'a pas "
                f"de colonne {joined([quoted(name) for name in key.reference_fields])} dans ses "
                f"{HEADER_SEARCH_ROWS} premières lignes.",
            )
            continue
        references[index] = keys
    return references


def choose_sheet(names: list[str], wanted: str) -> str | None:
    if wanted in names:
        return wanted
    folded = {fold(name): name for name in names}
    if wanted and fold(wanted) in folded:
        return folded[fold(wanted)]
    candidates = [name for name in names if fold(name) not in TEMPLATE_SHEETS]
    return candidates[0] if len(candidates) == 1 else None


def missing_sheet(names: list[str], wanted: str) -> Finding:
    present = joined([quoted(name) for name in names])
    expected = (
        f"La feuille {quoted(wanted)} est introuvable" if wanted else "Le tableau à lire est introuvable"
    )
    return Finding(
        code="missing-sheet",
        message=f"{expected} dans ce classeur, qui contient : {present}. "
        "Reprenez le modèle fourni sans renommer ses feuilles.",
        sheet=wanted or None,
    )


class _workbook:
    """python-calamine's workbook, with its errors turned into a refusal of the file."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> CalamineWorkbook:
        try:
            self.workbook = CalamineWorkbook.from_path(str(self.path))
        except BaseException as error:
            _reraise_as_refusal(error)
        return self.workbook

    def __exit__(self, *exc_info: object) -> None:
        self.workbook.close()


def _sheet(workbook: CalamineWorkbook, name: str):
    try:
        return workbook.get_sheet_by_name(name)
    except BaseException as error:
        _reraise_as_refusal(error)


def _chunks(sheet, size: int = CHUNK_ROWS) -> Iterator[list[list[Any]]]:
    """The sheet's rows, `size` at a time: memory stays bounded, and reader errors become a refusal."""
    rows = sheet.iter_rows()
    while True:
        try:
            chunk = list(islice(rows, size))
        except BaseException as error:
            _reraise_as_refusal(error)
        if not chunk:
            return
        yield chunk


def _reraise_as_refusal(error: BaseException):
    """A reader error (or a Rust panic, which is a BaseException) means a damaged file, not a crash."""
    if isinstance(error, CalamineError | ValueError | OSError) or type(error).__name__ == "PanicException":
        raise Refused(
            "file-corrupt",
            "Le classeur est endommagé ou incomplet et ne peut pas être lu. "
            "Ouvrez-le dans votre tableur, enregistrez-le à nouveau au format .xlsx et déposez-le encore.",
        ) from None
    raise error
