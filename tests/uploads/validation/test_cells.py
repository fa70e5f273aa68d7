"""Cell rules: type, required, minimum, maximum, enum, pattern, lengths; numbers and codes as Excel types them."""

from datetime import date

from tests.uploads.validation.workbooks import SCHEMA, TABLE, cells, codes, xlsx
from uploads.validation import ExpectedTable, validate_workbook


def check(tmp_path, rows, table=TABLE, **kwargs):
    return validate_workbook(xlsx(tmp_path / "t.xlsx", rows, **kwargs), table)


def one_column(tmp_path, field, values, header=None):
    schema = {"fields": [field]}
    table = ExpectedTable(sheet_name="Feuille", schema=schema)
    path = xlsx(
        tmp_path / "t.xlsx", [[value] for value in values], headers=[header or field["name"]], sheet="Feuille"
    )
    return validate_workbook(path, table)


def test_a_correct_table_has_no_finding(tmp_path):
    report = check(tmp_path, [["Forez", 12, 10, 22], ["Roannais", 7, 9, 16]])

    assert report.as_dict() == {"valid": True, "errors": [], "warnings": []}
    assert report.rows_checked == 2


def test_text_in_an_integer_column_is_a_type_error_named_by_cell(tmp_path):
    report = check(tmp_path, [["Forez", "douze", 10, 22]])

    [finding] = report.errors
    assert (finding.code, finding.cell, finding.row, finding.field, finding.sheet) == (
        "type-error",
        "B2",
        2,
        "filles",
        "Enfants",
    )
    assert "n'est pas un nombre entier" in finding.message


def test_a_decimal_in_an_integer_column_is_a_type_error(tmp_path):
    report = check(tmp_path, [["Forez", 12.5, 10, 22.5]])

    assert cells(report, "type-error") == ["B2", "D2"]


def test_an_empty_required_cell_is_reported(tmp_path):
    report = check(tmp_path, [["Forez", None, 10, 10]])

    [finding] = report.errors
    assert (finding.code, finding.cell) == ("constraint-error", "B2")
    assert "obligatoire" in finding.message


def test_a_value_below_the_minimum_is_reported(tmp_path):
    report = check(tmp_path, [["Forez", -1, 10, 9]])

    assert cells(report, "constraint-error") == ["B2"]
    assert "minimum" in report.errors[0].message


def test_a_value_above_the_maximum_is_reported(tmp_path):
    field = {"name": "taux", "type": "number", "constraints": {"maximum": 100}}

    report = one_column(tmp_path, field, [12.5, 100.5])

    assert cells(report) == ["A3"]
    assert "maximum" in report.errors[0].message


def test_a_value_outside_the_list_is_reported_with_the_allowed_values(tmp_path):
    report = check(tmp_path, [["Lyon", 1, 1, 2]])

    [finding] = report.errors
    assert (finding.code, finding.cell) == ("constraint-error", "A2")
    assert "Forez" in finding.message and "Roannais" in finding.message


def test_a_listed_value_in_another_case_or_without_accents_is_accepted(tmp_path):
    report = check(tmp_path, [["forez ", 1, 1, 2], ["ROANNAIS", 2, 2, 4]])

    assert report.valid


def test_a_pattern_is_checked_on_the_whole_value(tmp_path):
    field = {"name": "code", "type": "string", "constraints": {"pattern": "[0-9]{5}"}}

    report = one_column(tmp_path, field, ["42218", "4221", "42218a"])

    assert cells(report) == ["A3", "A4"]
    assert all(finding.code == "constraint-error" for finding in report.errors)


def test_an_integer_typed_as_a_number_in_a_text_column_reads_as_its_digits(tmp_path):
    field = {"name": "code", "type": "string", "constraints": {"pattern": "[0-9]{5}"}}

    report = one_column(tmp_path, field, [42218, "42100"])

    assert report.valid


def test_text_lengths_are_checked(tmp_path):
    field = {"name": "sigle", "type": "string", "constraints": {"minLength": 2, "maxLength": 4}}

    report = one_column(tmp_path, field, ["A", "CAF", "TROPLONG"])

    assert cells(report) == ["A2", "A4"]
    assert "trop court" in report.errors[0].message and "trop long" in report.errors[1].message


def test_numbers_typed_as_text_in_french_format_are_read_with_a_warning(tmp_path):
    report = check(tmp_path, [["Forez", "1 234", "12", 1246]])

    assert report.valid
    assert [(finding.code, finding.cell) for finding in report.warnings] == [
        ("type-coerced", "B2"),
        ("type-coerced", "C2"),
    ]
    assert "1\u00a0234" in report.warnings[0].message


def test_a_decimal_comma_in_text_is_read_as_a_number(tmp_path):
    field = {"name": "taux", "type": "number"}

    report = one_column(tmp_path, field, ["12,5", "12.5", "1 234,75"])

    assert report.valid
    assert len(report.warnings) == 3


def test_free_text_in_a_number_column_never_crashes(tmp_path):
    field = {"name": "taux", "type": "number"}

    report = one_column(tmp_path, field, ["12,5 %", "n.c.", "1,2,3", "∞", "--"])

    assert codes(report) == ["type-error"] * 5


def test_dates_are_read_from_date_cells_and_french_text(tmp_path):
    field = {"name": "le", "type": "date", "constraints": {"minimum": "2023-01-01"}}

    report = one_column(tmp_path, field, [date(2023, 5, 1), "31/12/2023", "2022-12-31", "hier"])

    assert cells(report) == ["A4", "A5"]
    assert [finding.code for finding in report.errors] == ["constraint-error", "type-error"]
    assert [finding.cell for finding in report.warnings] == ["A3"]


def test_booleans_accept_yes_and_no_in_french(tmp_path):
    field = {"name": "actif", "type": "boolean"}

    report = one_column(tmp_path, field, ["oui", "Non", True, "peut-être"])

    assert cells(report) == ["A5"]


def test_a_year_must_be_a_four_digit_integer(tmp_path):
    field = {"name": "annee", "type": "year"}

    report = one_column(tmp_path, field, [2023, 2023.5, 23])

    assert cells(report) == ["A3", "A4"]


def test_an_empty_optional_cell_is_fine(tmp_path):
    schema = {**SCHEMA, "fields": [*SCHEMA["fields"], {"name": "note", "type": "string"}]}
    table = ExpectedTable(sheet_name="Enfants", schema=schema)

    report = check(
        tmp_path,
        [["Forez", 1, 1, 2, None], ["Roannais", 1, 1, 2, "RAS"]],
        table,
        headers=["Territoire", "Filles", "Garçons", "Total", "note"],
    )

    assert report.valid


def test_a_whole_column_of_errors_lists_fifty_and_counts_the_rest(tmp_path):
    field = {"name": "n", "type": "integer"}

    report = one_column(tmp_path, field, ["x"] * 120)

    assert len(report.errors) == 51
    assert report.errors[-1].cell is None
    assert "70 autres cases" in report.errors[-1].message
