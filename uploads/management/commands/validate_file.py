"""Check a workbook from the command line, exactly as an upload is checked.

Exit status: 0 valid, 1 invalid or refused file, 2 bad usage.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uploads.checking import expected_table, validation_limits
from uploads.models import TableSpec
from uploads.validation import ExpectedTable, SchemaError, parse_schema, validate_workbook

USAGE = 2


class Command(BaseCommand):
    help = "Check an .xlsx workbook against a Table Schema file (--schema) or a stored table spec (--spec)."
    # The system checks import every view (and SciPy through the dashboards): seconds and ~70 MB that a
    # check of one file does not need.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .xlsx workbook to check.")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--schema", help="A Frictionless Table Schema JSON file.")
        source.add_argument("--spec", help="The code of a table spec stored in the platform.")
        parser.add_argument(
            "--sheet", help="The sheet to check (default: the spec's sheet, or the only data sheet)."
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print one JSON object and nothing else."
        )

    def handle(self, *args, path, schema, spec, sheet, as_json: bool, **options):
        workbook = Path(path)
        if not workbook.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": workbook}, returncode=USAGE)
        table = self.table_from_spec(spec) if spec else self.table_from_schema_file(Path(schema))
        if sheet:
            table = ExpectedTable(sheet_name=sheet, schema=table.schema)
        report = validate_workbook(
            workbook, table, limits=validation_limits(), change_ratio=settings.VALIDATION_CHANGE_RATIO
        )
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            self.print_report(report)
        if not report.valid:
            raise SystemExit(1)

    def table_from_spec(self, code: str) -> ExpectedTable:
        found = TableSpec.objects.filter(code=code).first()
        if found is None:
            raise CommandError(_("No table spec has the code “%(code)s”.") % {"code": code}, returncode=USAGE)
        return expected_table(found)

    def table_from_schema_file(self, path: Path) -> ExpectedTable:
        try:
            descriptor = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as error:
            raise CommandError(
                _("Cannot read the schema %(path)s (%(error)s).") % {"path": path, "error": error.strerror},
                returncode=USAGE,
            ) from error
        except (UnicodeDecodeError, ValueError) as error:
            raise CommandError(
                _("The schema %(path)s is not a JSON document.") % {"path": path}, returncode=USAGE
            ) from error
        try:
            parse_schema(descriptor)
        except SchemaError as error:
            raise CommandError(_("Invalid schema: %(error)s") % {"error": error}, returncode=USAGE) from error
        return ExpectedTable(
            sheet_name=str(descriptor.get("title") or descriptor.get("name") or ""), schema=descriptor
        )

    def print_report(self, report) -> None:
        for finding in [*report.errors, *report.warnings]:
            place = " ".join(part for part in (finding.sheet, finding.cell) if part)
            label = _("Error") if finding.severity == "error" else _("Warning")
            self.stdout.write(f"{label} [{finding.code}] {place}\t{finding.message}")
        verdict = _("Valid file.") if report.valid else _("Invalid file.")
        counts = _("%(errors)s error(s), %(warnings)s warning(s).") % {
            "errors": len(report.errors),
            "warnings": len(report.warnings),
        }
        self.stdout.write(f"{verdict} {counts}")
