"""The columnar proof's questions, asked by polars of a sheet read by fastexcel (`uploads.validation.columnar`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl

from uploads.validation import names, personal_data
from uploads.validation.findings import Report
from uploads.validation.schema import Field, Schema
from uploads.validation.table import DATED_TYPES, Key, clean_texts, key_text, labels_of, notable_change
from uploads.validation.text import fold

# Excel's 1900 calendar counts a day that never was (29 February 1900), and readers differ on what comes
# before 1 March 1900 and on times without a date: such cells go to the engine.
FIRST_SURE_DAY = date(1900, 3, 1)
# A sum the engine would accept may be rounded by polars a little differently: decide far from its
# tolerance (0.005), or let the engine decide.
SUM_MARGIN = 0.004
NUMERIC_DTYPE = {"integer", "number", "year"}


class Doubt(Exception):
    """Something the cell-by-cell engine must look at."""


def clean_report(
    frame: pl.DataFrame,
    schema: Schema,
    *,
    previous: dict[Key, dict[str, float]] | None = None,
    change_ratio: float = 0.5,
) -> Report | None:
    """The engine's report when the sheet's columns have nothing to report, None at the first doubt."""
    try:
        frame = with_field_names(frame, schema)
        texts = _check_columns(frame, schema)
        _check_rows(frame, schema)
        if previous:
            _compare_with_previous(frame, schema, previous, change_ratio)
        # Last, as the dearest: a faulty sheet is sent to the engine sooner.
        for free in texts:
            if personal_data.may_hold_identifiers(free) or names.may_name_people(free):
                raise Doubt
    except Doubt:
        return None
    return Report(rows_checked=frame.height)


def with_field_names(frame: pl.DataFrame, schema: Schema) -> pl.DataFrame:
    """The columns under the spec's field names; raises Doubt unless the header is the spec's own."""
    lookup = labels_of(schema)
    renamed: dict[str, str] = {}
    for label in frame.columns:
        item = lookup.get(fold(label.strip()))
        if item is None or item.name in renamed.values():
            raise Doubt
        renamed[label] = item.name
    if len(renamed) != len(schema.fields) or frame.height == 0:
        raise Doubt
    return frame.rename(renamed)


def _check_columns(frame: pl.DataFrame, schema: Schema) -> list[set[str]]:
    """Each column as `clean_column` sees it; returns the texts the personal-data guard must read."""
    empty_everywhere = pl.all_horizontal(pl.all().is_null())
    questions = [empty_everywhere.any().alias("__blank_row")]
    for item in schema.fields:
        questions += _column_questions(item, frame.schema[item.name])
    answers = frame.select(questions).row(0, named=True)
    if answers.pop("__blank_row"):
        raise Doubt
    texts = [_judge_column(item, frame, answers) for item in schema.fields]
    return [free for free in texts if free]


def _column_questions(item: Field, dtype: pl.DataType) -> list[pl.Expr]:
    if not item.is_plain:
        raise Doubt
    column = pl.col(item.name)
    questions = [column.null_count().alias(f"{item.name}:nulls")]
    if dtype == pl.Null:
        return questions
    expected = {
        "string": pl.String,
        "integer": pl.Float64,
        "number": pl.Float64,
        "year": pl.Float64,
        "date": pl.Datetime,
        "boolean": pl.Boolean,
    }[item.type]
    if not (isinstance(dtype, pl.Datetime) if expected is pl.Datetime else dtype == expected):
        raise Doubt
    if item.type in NUMERIC_DTYPE:
        questions += [
            column.min().alias(f"{item.name}:min"),
            column.max().alias(f"{item.name}:max"),
            (column != column.floor()).any().alias(f"{item.name}:fraction"),
        ]
    elif item.type == "date":
        questions += [
            column.min().alias(f"{item.name}:min"),
            column.max().alias(f"{item.name}:max"),
            (column != column.dt.truncate("1d")).any().alias(f"{item.name}:time"),
        ]
    return questions


def _judge_column(item: Field, frame: pl.DataFrame, answers: dict[str, Any]) -> set[str]:
    """The questions of `clean_column` for one column; its texts that are not in the spec's list."""
    nulls = answers[f"{item.name}:nulls"]
    if nulls and item.required:
        raise Doubt
    if nulls == frame.height:
        return set()
    if item.type == "string":
        return _judge_texts(item, _distinct(frame, item.name))
    elif item.type in NUMERIC_DTYPE:
        low, high = answers[f"{item.name}:min"], answers[f"{item.name}:max"]
        if high >= 1e12:  # the guard would look for social security numbers
            raise Doubt
        if item.type in ("integer", "year") and answers[f"{item.name}:fraction"]:
            raise Doubt
        if item.type == "year" and not (1000 <= low and high <= 9999):
            raise Doubt
        _judge_bounds(item, low, high)
        if item.enum is not None and not _distinct(frame, item.name) <= set(item.enum):
            raise Doubt
    elif item.type == "date":
        low, high = answers[f"{item.name}:min"].date(), answers[f"{item.name}:max"].date()
        if answers[f"{item.name}:time"] or low < FIRST_SURE_DAY:
            raise Doubt
        _judge_bounds(item, low, high)
        if item.enum is not None:
            days = {moment.date() for moment in _distinct(frame, item.name)}
            if not days <= set(item.enum):
                raise Doubt
    elif item.enum is not None and not _distinct(frame, item.name) <= set(item.enum):
        raise Doubt
    return set()


def _judge_texts(item: Field, texts: set[str]) -> set[str]:
    if "" in texts or not clean_texts(item, texts):
        raise Doubt
    return texts.difference(item.enum or ())


def _judge_bounds(item: Field, low: Any, high: Any) -> None:
    if (item.minimum is not None and low < item.minimum) or (
        item.maximum is not None and high > item.maximum
    ):
        raise Doubt


def _distinct(frame: pl.DataFrame, name: str) -> set[Any]:
    return set(frame.get_column(name).drop_nulls().unique().to_list())


def _check_rows(frame: pl.DataFrame, schema: Schema) -> None:
    """Keys unique, reference lists respected, sums right: what `SheetCheck` asks of the rows."""
    for item in schema.fields:
        if item.unique and frame.get_column(item.name).drop_nulls().is_duplicated().any():
            raise Doubt
    keys = [schema.primary_key] if schema.primary_key else []
    for names_ in [*keys, *schema.unique_keys]:
        # A key with an empty part is never compared by the engine: leave such rows to it.
        if frame.select(pl.any_horizontal(pl.col(names_).is_null()).any()).item():
            raise Doubt
        if frame.select(pl.struct(names_).is_duplicated().any()).item():
            raise Doubt
    for key in schema.foreign_keys:
        if key.values is None or len(key.fields) != 1:
            raise Doubt
        if not _distinct(frame, key.fields[0]) <= key.values:
            raise Doubt
    for total in schema.totals:
        declared = pl.col(total.field)
        computed = pl.sum_horizontal(pl.col(list(total.parts)))
        known = declared.is_not_null() & pl.all_horizontal(pl.col(list(total.parts)).is_not_null())
        off = (known & ((declared - computed).abs() > SUM_MARGIN)).any()
        if frame.select(off).item():
            raise Doubt
    if schema.total_row is not None:
        _check_total_row(frame, schema)


def _check_total_row(frame: pl.DataFrame, schema: Schema) -> None:
    """The row marked « Total » (the first one, as the engine reads it) holds each numeric column's sum."""
    assert schema.total_row is not None
    marker = fold(schema.total_row.value)
    labels = _distinct(frame, schema.total_row.field)
    matching = [label for label in labels if isinstance(label, str) and fold(label) == marker]
    if not matching:
        return
    marked = pl.col(schema.total_row.field).is_in(matching)
    numeric = [item.name for item in schema.fields if item.is_numeric]
    sums = frame.filter(~marked.fill_null(False)).select(pl.col(numeric).sum()).row(0, named=True)
    declared = frame.filter(marked).row(0, named=True)
    for name in numeric:
        if declared[name] is not None and abs(declared[name] - sums[name]) > SUM_MARGIN:
            raise Doubt


def _compare_with_previous(
    frame: pl.DataFrame, schema: Schema, previous: dict[Key, dict[str, float]], change_ratio: float
) -> None:
    """The engine's `compare_with_previous`: any value it would warn about sends the sheet to it."""
    names_ = schema.primary_key
    if not names_:
        return
    keys = zip(*(_python_values(frame, schema.field(name)) for name in names_), strict=True)
    columns = {name: frame.get_column(name).to_list() for name in frame.columns}
    for offset, parts in enumerate(keys):
        before = previous.get(tuple(key_text(part) for part in parts)) or {}
        for name, old in before.items():
            if name in columns and notable_change(columns[name][offset], old, change_ratio) is not None:
                raise Doubt


def _python_values(frame: pl.DataFrame, item: Field) -> Sequence[Any]:
    """A column's values as the engine holds them (dates as dates, not midnights)."""
    column = frame.get_column(item.name)
    if item.type in DATED_TYPES and isinstance(column.dtype, pl.Datetime):
        column = column.dt.date()
    return column.to_list()
