"""Structure: headers by name in any order, missing, unexpected and repeated columns, sheets, blank rows."""

from tests.uploads.validation.workbooks import SCHEMA, TABLE, cells, codes, xlsx
from uploads.validation import ExpectedTable, validate_workbook


def check(tmp_path, rows, table=TABLE, **kwargs):
    return validate_workbook(xlsx(tmp_path / "t.xlsx", rows, **kwargs), table)


def test_headers_are_matched_by_name_or_title_in_any_order_and_case(tmp_path):
    report = check(tmp_path, [[22, "Forez", 10, 12]], headers=["TOTAL", "territoire", "garcons", "Filles"])

    assert report.valid


def test_a_missing_column_is_reported_on_the_header_row(tmp_path):
    report = check(tmp_path, [["Forez", 12, 22]], headers=["Territoire", "Filles", "Total"])

    [finding] = report.errors
    assert (finding.code, finding.row, finding.field) == ("missing-label", 1, "garcons")
    assert "Garçons" in finding.message


def test_an_unexpected_column_is_reported_with_its_cell(tmp_path):
    report = check(
        tmp_path, [["Forez", 12, 10, 22, 3]], headers=["Territoire", "Filles", "Garçons", "Total", "Autres"]
    )

    [finding] = report.errors
    assert (finding.code, finding.cell) == ("extra-label", "E1")
    assert "Autres" in finding.message


def test_a_repeated_column_is_reported(tmp_path):
    report = check(
        tmp_path, [["Forez", 12, 10, 22, 12]], headers=["Territoire", "Filles", "Garçons", "Total", "Filles"]
    )

    assert [(f.code, f.cell) for f in report.errors] == [("duplicate-label", "E1")]


def test_values_right_of_the_table_without_a_header_are_reported(tmp_path):
    report = check(tmp_path, [["Forez", 12, 10, 22], ["Roannais", 7, 9, 16, None, "note"]])

    assert [(f.code, f.cell) for f in report.errors] == [("extra-cell", "F3")]


def test_a_title_above_the_header_row_is_tolerated_and_cells_keep_their_place(tmp_path):
    rows = [["Territoire", "Filles", "Garçons", "Total"], ["Forez", "x", 10, 22]]

    report = check(tmp_path, rows, headers=["Enfants suivis en 2024"])

    assert cells(report) == ["B3"]


def test_a_blank_row_inside_the_table_is_reported(tmp_path):
    report = check(tmp_path, [["Forez", 12, 10, 22], [None, None, None, None], ["Roannais", 7, 9, 16]])

    assert [(f.code, f.row) for f in report.errors] == [("blank-row", 3)]


def test_an_empty_table_is_reported(tmp_path):
    report = check(tmp_path, [])

    assert codes(report) == ["empty-table"]


def test_a_missing_sheet_names_the_sheets_found(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", sheet="Feuil1", other_sheets=["Feuil2"])

    report = validate_workbook(path, TABLE)

    [finding] = report.errors
    assert finding.code == "missing-sheet"
    assert "Enfants" in finding.message and "Feuil1" in finding.message and "Feuil2" in finding.message


def test_the_only_data_sheet_is_read_whatever_its_name(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", sheet="Feuil1", other_sheets=["Lisez-moi"])

    assert validate_workbook(path, TABLE).valid


def test_the_sheet_name_is_matched_without_case_or_accents(tmp_path):
    table = ExpectedTable(sheet_name="Enfants accueillis", schema=SCHEMA)
    path = xlsx(tmp_path / "t.xlsx", sheet="ENFANTS ACCUEILLIS", other_sheets=["Autre"])

    assert validate_workbook(path, table).valid
