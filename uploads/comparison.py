"""Review help: a version's figures cell by cell beside two baselines, the partner's last accepted year
and the previous version of the same table, with the cells the checks warned about.

Read only. Rows are matched on the spec's primary key, or by their order when it has none.
"""

from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from uploads.checking import expected_table, last_accepted_earlier_year, local_copy
from uploads.models import SubmissionVersion
from uploads.validation import iter_table, parse_schema, row_key

Status = SubmissionVersion.Status
# Versions whose file passed the checks: their cells read as the spec types them.
READABLE = (Status.TO_REVIEW, Status.RETURNED, Status.ACCEPTED, Status.SUPERSEDED)
MAX_ROWS = 500  # a page, not a spreadsheet: the file itself holds the rest


@dataclass(frozen=True)
class Cell:
    value: Any
    last_year: Any = None
    previous: Any = None
    warned: bool = False

    @property
    def change_from_last_year(self) -> float | None:
        return _difference(self.value, self.last_year)

    @property
    def change_from_previous(self) -> float | None:
        return _difference(self.value, self.previous)


@dataclass(frozen=True)
class ComparedRow:
    number: int
    labels: list[Any]
    cells: list[Cell]


@dataclass
class Comparison:
    label_fields: list[str]
    value_fields: list[str]
    last_year: int | None
    previous_number: int | None
    rows: list[ComparedRow] = field(default_factory=list)
    truncated: bool = False

    @property
    def columns_per_field(self) -> int:
        """The value, then each baseline's figure and the difference from it."""
        return 1 + 2 * (self.last_year is not None) + 2 * (self.previous_number is not None)

    @property
    def warned_cells(self) -> int:
        return sum(cell.warned for row in self.rows for cell in row.cells)


def compare_version(version: SubmissionVersion) -> Comparison | None:
    """The comparison of a version that passed the checks; None when its file cannot be read."""
    if not version.has_bytes or version.status not in READABLE:
        return None
    submission = version.submission
    schema = parse_schema(submission.spec.schema)
    value_fields = [item.name for item in schema.fields if item.is_numeric]
    label_fields = [item.name for item in schema.fields if not item.is_numeric]
    last_year = last_accepted_earlier_year(submission)
    previous = (
        submission.versions.filter(number__lt=version.number, status__in=READABLE)
        .exclude(file="")
        .order_by("-number")
        .first()
    )
    last_year_rows = _numbers_by_key(last_year, value_fields) if last_year else {}
    previous_rows = _numbers_by_key(previous, value_fields) if previous else {}
    warned = {
        (finding.row, finding.field)
        for finding in version.findings.warnings
        if finding.code == "value-change"
    }
    comparison = Comparison(
        label_fields=label_fields,
        value_fields=value_fields,
        last_year=last_year.submission.campaign.data_year if last_year else None,
        previous_number=previous.number if previous else None,
    )
    records = _records(version, limit=MAX_ROWS + 1)
    comparison.truncated = len(records) > MAX_ROWS
    for position, (number, record) in enumerate(records[:MAX_ROWS]):
        key = _key(schema, record, position)
        before, earlier = last_year_rows.get(key, {}), previous_rows.get(key, {})
        cells = [
            Cell(
                value=record.get(name),
                last_year=before.get(name),
                previous=earlier.get(name),
                warned=(number, name) in warned,
            )
            for name in value_fields
        ]
        comparison.rows.append(ComparedRow(number, [record.get(name) for name in label_fields], cells))
    return comparison


def _records(version: SubmissionVersion, limit: int | None = None) -> list[tuple[int, dict[str, Any]]]:
    with local_copy(version.file.name) as path:
        return list(islice(iter_table(path, expected_table(version.submission.spec)), limit))


def _key(schema, record: dict[str, Any], position: int) -> tuple[str, ...]:
    return row_key(schema, record) if schema.primary_key else (str(position),)


def _numbers_by_key(version: SubmissionVersion, names: list[str]) -> dict[tuple[str, ...], dict[str, Any]]:
    """A baseline's figures; read with the reviewed version's spec, which both tables share."""
    schema = parse_schema(version.submission.spec.schema)
    return {
        _key(schema, record, position): {name: record.get(name) for name in names}
        for position, (_number, record) in enumerate(_records(version))
    }


def _difference(value: Any, baseline: Any) -> float | None:
    numbers = (int, float)
    if not isinstance(value, numbers) or not isinstance(baseline, numbers):
        return None
    if isinstance(value, bool) or isinstance(baseline, bool):
        return None
    return value - baseline
