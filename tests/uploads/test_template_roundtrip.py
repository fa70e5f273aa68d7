"""A template filled as asked validates with no finding; filled wrongly, the engine names the cell."""

import datetime
import io

from openpyxl import load_workbook

from tests.uploads.test_template_workbook import INFO, SCHEMA, table
from uploads.validation import ExpectedTable, validate_workbook
from uploads.workbooks import build_template

EXPECTED = ExpectedTable(sheet_name="IP reçues", schema=SCHEMA)
# territoire (pre-filled) -> code commune, IP reçues, taux, date du bilan, total, suivi
FIGURES = {
    "Roanne": (None, 120, 2, datetime.date(2025, 12, 31), 122, "oui"),
    "Forez": ("42218", 80, 1, datetime.date(2025, 12, 31), 81, "non"),
    "Total": (None, 200, 3, datetime.date(2025, 12, 31), 203, "non"),
}


def filled(tmp_path, figures=FIGURES):
    workbook = load_workbook(io.BytesIO(build_template(INFO, [table()])))
    sheet = workbook["IP reçues"]
    for row in sheet.iter_rows(min_row=2):
        for cell, value in zip(row[1:], figures[row[0].value], strict=True):
            if value is not None:
                cell.value = value
    path = tmp_path / "rempli.xlsx"
    workbook.save(path)
    return path


def test_a_template_filled_as_asked_validates_with_no_finding(tmp_path):
    report = validate_workbook(filled(tmp_path), EXPECTED)

    assert report.as_dict() == {"valid": True, "errors": [], "warnings": []}
    assert report.rows_checked == 3


def test_a_blank_template_says_what_is_missing(tmp_path):
    path = tmp_path / "vide.xlsx"
    path.write_bytes(build_template(INFO, [table()]))

    report = validate_workbook(path, EXPECTED)

    assert {finding.code for finding in report.errors} == {"constraint-error"}
    assert {finding.cell for finding in report.errors} == {"C2", "C3", "C4"}


def test_a_mistake_in_a_filled_template_is_named_by_its_cell(tmp_path):
    figures = {**FIGURES, "Forez": ("42218", "quatre-vingts", 1, datetime.date(2025, 12, 31), 81, "non")}

    report = validate_workbook(filled(tmp_path, figures), EXPECTED)

    assert [(finding.code, finding.cell) for finding in report.errors] == [("type-error", "C3")]
