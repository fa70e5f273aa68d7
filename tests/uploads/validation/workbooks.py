"""Workbooks and hostile files the engine tests build, in a temporary folder."""

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

from uploads.validation import ExpectedTable

SCHEMA = {
    "fields": [
        {
            "name": "territoire",
            "title": "Territoire",
            "type": "string",
            "constraints": {"required": True, "enum": ["Forez", "Roannais", "Total"]},
        },
        {
            "name": "filles",
            "title": "Filles",
            "type": "integer",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "garcons",
            "title": "Garçons",
            "type": "integer",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "total",
            "title": "Total",
            "type": "integer",
            "constraints": {"required": True, "minimum": 0},
        },
    ],
    "primaryKey": ["territoire"],
    "totals": [{"field": "total", "sumOf": ["filles", "garcons"]}],
}
HEADERS = ["Territoire", "Filles", "Garçons", "Total"]
ROWS = [["Forez", 12, 10, 22], ["Roannais", 7, 9, 16]]
TABLE = ExpectedTable(sheet_name="Enfants", schema=SCHEMA)


def xlsx(path: Path, rows=ROWS, *, headers=HEADERS, sheet="Enfants", other_sheets=()) -> Path:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    if headers is not None:
        worksheet.append(headers)
    for row in rows:
        worksheet.append(row)
    for name in other_sheets:
        workbook.create_sheet(name).append(["Rien à lire ici"])
    workbook.save(path)
    return path


def xlsx_bytes(rows=ROWS, **kwargs) -> bytes:
    buffer = io.BytesIO()
    xlsx(buffer, rows, **kwargs)
    return buffer.getvalue()


def rezip(source: bytes, path: Path, *, replace=None, add=None, compression=zipfile.ZIP_DEFLATED) -> Path:
    """A copy of a workbook with parts replaced or added (bytes or str)."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(path, "w", compression) as copy:
        for info in original.infolist():
            data = replace.get(info.filename, original.read(info.filename))
            copy.writestr(info.filename, data.encode() if isinstance(data, str) else data)
        for name, data in add.items():
            copy.writestr(name, data.encode() if isinstance(data, str) else data)
    return path


def sheet_xml(cells: str, dimension: str | None = None) -> str:
    dimension_tag = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dimension_tag}<sheetData>{cells}</sheetData></worksheet>"
    )


def codes(report) -> list[str]:
    return [finding.code for finding in report.errors]


def cells(report, code=None) -> list[str]:
    return [finding.cell for finding in report.errors if code is None or finding.code == code]
