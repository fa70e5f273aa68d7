"""A big, valid workbook written fast: the sheet XML is written by hand, not by openpyxl."""

import io
import zipfile
from string import ascii_uppercase

from tests.uploads.factories import xlsx_bytes

SHEET_PART = "xl/worksheets/sheet1.xml"
# Territory, 24 counts and their total: 26 columns, A to Z.
COUNTS = [f"mesure_{i:02d}" for i in range(1, 25)]
WIDE_SCHEMA = {
    "fields": [
        {"name": "territoire", "title": "Territoire", "type": "string", "constraints": {"required": True}},
        *({"name": name, "title": name.replace("_", " ").capitalize(), "type": "integer"} for name in COUNTS),
        {"name": "total", "title": "Total", "type": "integer", "constraints": {"required": True}},
    ],
    "primaryKey": ["territoire"],
    "totals": [{"field": "total", "sumOf": COUNTS}],
}


def _text(cell: str, text: str) -> str:
    return f'<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>'


def _row(number: int) -> str:
    values = [(number % 10) * 3 + i for i in range(len(COUNTS))]
    cells = "".join(
        f'<c r="{column}{number}"><v>{value}</v></c>'
        for column, value in zip(ascii_uppercase[1:], [*values, sum(values)], strict=True)
    )
    return f'<row r="{number}">{_text(f"A{number}", f"Secteur {number:06d}")}{cells}</row>'


def big_wide_workbook(rows: int) -> bytes:
    """A valid workbook of WIDE_SCHEMA with `rows` rows (sheet « Enfants »): checking 200,000 rows
    takes seconds, long enough to kill the worker doing it."""
    titles = [field["title"] for field in WIDE_SCHEMA["fields"]]
    header = "".join(
        _text(f"{column}1", title) for column, title in zip(ascii_uppercase, titles, strict=True)
    )
    body = "".join(_row(n) for n in range(2, rows + 2))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:Z{rows + 1}"/><sheetData><row r="1">{header}</row>{body}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_bytes([]))) as small,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for info in small.infolist():
            copy.writestr(
                info.filename, sheet.encode() if info.filename == SHEET_PART else small.read(info.filename)
            )
    return buffer.getvalue()
