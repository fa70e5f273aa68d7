"""CSV files that people open in a spreadsheet (Excel, LibreOffice): shared by every export.

French Excel expects `;` between cells and reads UTF-8 only after a byte-order mark. A cell that
starts like a formula would be run by the spreadsheet ("CSV injection", OWASP): `neutralise`
turns it into text with a leading apostrophe, which spreadsheets show as plain text.
"""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

from odpe.filenames import attach

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Line:
    """The file-like object csv.writer needs, handing back each written line."""

    def write(self, line: str) -> str:
        return line


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """A download streamed row by row: a long export never sits whole in memory."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    return attach(response, filename)
