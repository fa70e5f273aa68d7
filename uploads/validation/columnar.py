"""The fast answer for a large sheet that is right: read whole columns, prove there is nothing to say.

fastexcel reads the sheet into Arrow columns, each of one type for every cell (a column mixing numbers
and texts is refused by its strict reading), and polars asks each column the questions of
`uploads.validation.table.clean_column`, then the table the questions of its keys and sums
(`uploads.validation.column_proof`). When every answer is « nothing to report », the report is the one
the cell-by-cell engine would write: no finding, so many rows. At the first doubt — a header not exactly
the spec's, an empty cell where one is required, a value out of bounds, a text that might name someone,
an option these checks do not know — it answers None and the cell-by-cell engine reads the sheet and
names every faulty cell. Being right is the common case of a large upload, and the one worth making
fast; a faulty file is read twice, which costs it about the reading of the sheet again.

`tests/uploads/validation/test_columnar.py` checks that for any workbook this answer is None or the
engine's own.
"""

from __future__ import annotations

from pathlib import Path

import fastexcel

from uploads.validation.findings import Report
from uploads.validation.schema import Schema
from uploads.validation.table import Key


def clean_report(
    path: Path,
    sheet_name: str,
    schema: Schema,
    *,
    previous: dict[Key, dict[str, float]] | None = None,
    change_ratio: float = 0.5,
) -> Report | None:
    """The engine's report when the sheet has nothing to report, None when the engine must read it."""
    sheet = read_sheet(path, sheet_name)
    if sheet is None:
        return None
    # polars is imported once the reader has built its grid of every cell, the process's peak: its
    # 46 MB are not resident then. The grid is let go as soon as the columns are in polars.
    from uploads.validation import column_proof

    frame = sheet.to_polars()
    del sheet
    return column_proof.clean_report(frame, schema, previous=previous, change_ratio=change_ratio)


def read_sheet(path: Path, sheet_name: str) -> fastexcel.ExcelSheet | None:
    """fastexcel's reading of the sheet, every column typed from all its cells; None if it cannot."""
    try:
        return fastexcel.read_excel(path).load_sheet_by_name(
            sheet_name, header_row=0, schema_sample_rows=None, dtype_coercion="strict"
        )
    except BaseException as error:
        # Mixed types, or anything the reader dislikes (a Rust panic is a BaseException): the engine
        # reads the sheet again and says what is wrong.
        if isinstance(error, Exception) or type(error).__name__ == "PanicException":
            return None
        raise
