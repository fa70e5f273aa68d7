"""Pseudonymise a nominative extract as the PIPASE convention's annex 1 says, on the Département's own
machine: the same rules as the page partners use in their browser (`uploads.transfers.pseudonymisation`).

Exit status: 0 written, 1 refused (missing column, a value that cannot be hashed, unreadable file).
Nothing is written when the extract is refused.
"""

import csv
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from uploads.transfers.pseudonymisation import Mapping, PseudonymisationError, pseudonymise_table

ZIP_SIGNATURE = b"PK\x03\x04"  # an xlsx workbook is a zip archive


class Command(BaseCommand):
    help = (
        "Pseudonymise a nominative extract (xlsx, or csv with ; or , in UTF-8 or Latin-1) into a CSV of "
        "PIPASE hashing keys, birth month and year, and the kept columns."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", help="The nominative extract, .xlsx (first sheet) or .csv.")
        parser.add_argument("output", help="The pseudonymised CSV to write (UTF-8, separator ;).")
        parser.add_argument("--name", required=True, help="The column of the birth name.")
        parser.add_argument("--first-name", required=True, help="The column of the first name.")
        parser.add_argument("--birth-date", required=True, help="The column of the birth date.")
        parser.add_argument(
            "--keep", action="extend", nargs="+", default=[], metavar="COL", help="Columns kept as they are."
        )
        parser.add_argument(
            "--minimise-date",
            action="extend",
            nargs="+",
            default=[],
            metavar="COL",
            help="Date columns kept, each date reduced to its month and year (AAAA-MM).",
        )

    def handle(self, *args, input, output, name, first_name, birth_date, keep, minimise_date, **options):
        mapping = Mapping(
            name=name, first_name=first_name, birth_date=birth_date, keep=keep, minimise=minimise_date
        )
        try:
            header, rows = pseudonymise_table(read_extract(Path(input)), mapping)
        except PseudonymisationError as error:
            raise CommandError(str(error)) from None
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
        try:
            Path(output).write_text(buffer.getvalue(), encoding="utf-8", newline="")
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s (%(error)s).") % {"path": output, "error": error.strerror}
            ) from None
        self.stdout.write(
            _("%(count)s pseudonymised line(s) written to %(path)s.") % {"count": len(rows), "path": output}
        )


def read_extract(path: Path) -> list[list[object]]:
    try:
        content = path.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(path)s (%(error)s).") % {"path": path, "error": error.strerror}
        ) from None
    if content.startswith(ZIP_SIGNATURE):
        return read_workbook(path)
    return read_csv(content, path)


def read_workbook(path: Path) -> list[list[object]]:
    """The first sheet, date cells as dates."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        try:
            return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        finally:
            workbook.close()
    except Exception:
        raise CommandError(
            _("%(path)s is not a workbook that can be read: save it again as .xlsx or .csv.") % {"path": path}
        ) from None


def read_csv(content: bytes, path: Path) -> list[list[object]]:
    """UTF-8 (with or without its mark), else Latin-1 as Windows writes it (with « Œ » and « € »); the
    separator is the one of ; and , that the first line holds most."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "\x00" in text:
        raise CommandError(
            _("%(path)s is neither a workbook nor a CSV text file: save it as .xlsx or .csv.")
            % {"path": path}
        )
    first_line = text.partition("\n")[0]
    delimiter = "," if first_line.count(",") > first_line.count(";") else ";"
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise CommandError(
            _("%(path)s is not a valid CSV file (%(error)s).") % {"path": path, "error": error}
        ) from None
