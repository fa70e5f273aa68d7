"""The collection's adapter to the validation engine (`uploads.validation`, pure Python, no Django).

What the engine needs from the platform (a local copy of a stored file, the expected table from its
spec, the configured limits, the partner's previous figures for the change warnings), the check of a
stored version, its annotated copy, and the figures an accepted workbook gives. No transition here:
`uploads.services` moves versions and records them.
"""

import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from uploads.models import ColumnMapping, Submission, SubmissionVersion, TableSpec
from uploads.observations import Value
from uploads.validation import (
    ExpectedTable,
    Finding,
    Limits,
    Report,
    iter_table,
    parse_schema,
    row_key,
    validate_workbook,
)
from uploads.validation.text import fold

logger = logging.getLogger(__name__)
Status = SubmissionVersion.Status


@contextmanager
def local_copy(stored_name: str) -> Iterator[Path]:
    """A path on local disk for a stored file: the engine needs to seek, S3 streams don't."""
    try:
        yield Path(default_storage.path(stored_name))
        return
    except NotImplementedError:
        pass
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as copy:
        with default_storage.open(stored_name, "rb") as stored:
            shutil.copyfileobj(stored, copy)
        copy.flush()
        yield Path(copy.name)


def expected_table(spec: TableSpec) -> ExpectedTable:
    return ExpectedTable(sheet_name=spec.sheet_name, schema=spec.schema)


def validation_limits() -> Limits:
    return Limits(
        max_file_bytes=settings.UPLOAD_MAX_BYTES,
        max_uncompressed_bytes=settings.UPLOAD_MAX_UNCOMPRESSED_BYTES,
        max_reader_bytes=settings.VALIDATION_READER_MAX_BYTES,
    )


def last_accepted_earlier_year(submission: Submission) -> SubmissionVersion | None:
    """The version of the same table the partner last had accepted for an earlier year, with its file."""
    return (
        SubmissionVersion.objects.filter(
            status=Status.ACCEPTED,
            submission__partner_id=submission.partner_id,
            submission__spec_id=submission.spec_id,
            submission__campaign__data_year__lt=submission.campaign.data_year,
        )
        .exclude(file="")
        .select_related("submission__campaign", "submission__spec")
        .order_by("-submission__campaign__data_year")
        .first()
    )


def previous_values(submission: Submission) -> dict[tuple[str, ...], dict[str, float]]:
    """The partner's last accepted figures for the same table, keyed by the rows' primary key."""
    earlier = last_accepted_earlier_year(submission)
    spec = submission.spec
    schema = parse_schema(spec.schema)
    if earlier is None or not schema.primary_key:
        return {}
    numeric = [field.name for field in schema.fields if field.is_numeric]
    values = {}
    with local_copy(earlier.file.name) as path:
        for _row, record in iter_table(path, expected_table(spec)):
            values[row_key(schema, record)] = {
                name: record[name] for name in numeric if record.get(name) is not None
            }
    return values


def check_file(version: SubmissionVersion) -> Report:
    submission = version.submission
    try:
        with local_copy(version.file.name) as path:
            return validate_workbook(
                path,
                expected_table(submission.spec),
                limits=validation_limits(),
                previous=previous_values(submission),
                change_ratio=settings.VALIDATION_CHANGE_RATIO,
            )
    except FileNotFoundError:
        logger.exception("Stored file of version %s is missing", version.pk)
        report = Report()
        report.add(
            Finding(
                code="file-corrupt", message=_("The stored file could not be read. Please send it again.")
            )
        )
        return report


def store_annotated_copy(version: SubmissionVersion, report: Report) -> str:
    """Make and store the partner's workbook with the report's findings shown; its stored name, or ""
    when the report stands alone (`SubmissionVersion.shows_findings_on_file`).

    Made here, by the worker, once: it takes seconds and megabytes that a web request must not spend
    (`uploads.workbooks.annotate` bounds both). Stored privately, next to the uploads.
    """
    if not SubmissionVersion.shows_findings_on_file(report, has_bytes=version.has_bytes):
        return ""
    with local_copy(version.file.name) as path:
        # openpyxl is imported here, not at start-up: `validate_file` and the upload worker's start need
        # none of its ~30 MB until a report is annotated.
        from uploads.workbooks import annotate_workbook

        data = annotate_workbook(path, [*report.errors, *report.warnings])
    name = version.annotated_copy.field.generate_filename(version, "rapport.xlsx")
    return default_storage.save(name, ContentFile(data))


def extracted_values(spec: TableSpec, stored_name: str) -> list[Value]:
    """The figures of an accepted workbook (a table's version, or an answer to a data request) filled
    after `spec`, as its column mapping says: indicator, breakdown, value.

    The spec's total row (« Total » in the territory column, say) is the whole: its breakdown is empty.
    """
    mappings = list(spec.columns.all())
    value_columns = [(m.field_name, m.indicator_id) for m in mappings if m.role == ColumnMapping.Role.VALUE]
    dimensions = {m.role: m.field_name for m in mappings if m.role != ColumnMapping.Role.VALUE}
    total_row = parse_schema(spec.schema).total_row
    values = []
    with local_copy(stored_name) as path:
        for _row, record in iter_table(path, expected_table(spec)):
            breakdown = {}
            for role in (ColumnMapping.Role.TERRITORY, ColumnMapping.Role.SEX, ColumnMapping.Role.AGE_GROUP):
                field = dimensions.get(role)
                text = "" if field is None or record.get(field) is None else str(record[field])
                if total_row is not None and field == total_row.field and fold(text) == fold(total_row.value):
                    text = ""
                breakdown[str(role)] = text
            for field, indicator_id in value_columns:
                if isinstance(record.get(field), int | float) and not isinstance(record[field], bool):
                    values.append(
                        Value(indicator_id=indicator_id, value=Decimal(str(record[field])), **breakdown)
                    )
    return values
