"""Row and table rules: duplicate keys, declared totals, total rows, changes from last year."""

from tests.uploads.validation.workbooks import SCHEMA, TABLE, cells, codes, xlsx
from uploads.validation import ExpectedTable, iter_table, parse_schema, row_key, validate_workbook

TOTAL_ROW_SCHEMA = {
    "fields": [
        {"name": "territoire", "type": "string", "constraints": {"required": True}},
        {"name": "familles", "type": "integer"},
        {"name": "enfants", "type": "integer"},
    ],
    "primaryKey": "territoire",
    "totalRow": {"field": "territoire", "value": "Total"},
}


def check(tmp_path, rows, table=TABLE, **kwargs):
    return validate_workbook(xlsx(tmp_path / "t.xlsx", rows, **kwargs), table)


def test_a_repeated_primary_key_is_reported_with_the_first_row(tmp_path):
    report = check(tmp_path, [["Forez", 1, 1, 2], ["Roannais", 1, 1, 2], ["Forez", 2, 2, 4]])

    [finding] = report.errors
    assert (finding.code, finding.cell) == ("primary-key", "A4")
    assert "ligne 2" in finding.message


def test_a_repeated_composite_key_is_reported(tmp_path):
    schema = {
        "fields": [{"name": "territoire"}, {"name": "sexe"}, {"name": "n", "type": "integer"}],
        "primaryKey": ["territoire", "sexe"],
    }
    table = ExpectedTable(sheet_name="Enfants", schema=schema)
    rows = [["Forez", "F", 1], ["Forez", "M", 1], ["Forez", "F", 3]]

    report = check(tmp_path, rows, table, headers=["territoire", "sexe", "n"])

    assert cells(report, "primary-key") == ["A4"]


def test_a_total_that_is_not_the_sum_of_its_parts_is_reported_on_the_total_cell(tmp_path):
    report = check(tmp_path, [["Forez", 12, 10, 22], ["Roannais", 7, 9, 17]])

    [finding] = report.errors
    assert (finding.code, finding.cell, finding.field) == ("total-mismatch", "D3", "total")
    assert "17" in finding.message and "16" in finding.message


def test_a_total_row_must_equal_the_sum_of_the_other_rows(tmp_path):
    table = ExpectedTable(sheet_name="T", schema=TOTAL_ROW_SCHEMA)
    rows = [["Forez", 10, 20], ["Roannais", 5, 5], ["Total", 15, 24]]

    report = validate_workbook(
        xlsx(tmp_path / "t.xlsx", rows, headers=["territoire", "familles", "enfants"], sheet="T"), table
    )

    [finding] = report.errors
    assert (finding.code, finding.cell) == ("total-mismatch", "C4")
    assert "24" in finding.message and "25" in finding.message


def test_a_value_that_moves_a_lot_from_last_year_gets_a_warning_not_an_error(tmp_path):
    previous = {("Forez",): {"filles": 12.0, "garcons": 10.0, "total": 22.0}}
    path = xlsx(tmp_path / "t.xlsx", [["Forez", 30, 10, 40]])

    report = validate_workbook(path, TABLE, previous=previous, change_ratio=0.5)

    assert report.valid
    assert [(f.code, f.cell) for f in report.warnings] == [("value-change", "B2"), ("value-change", "D2")]
    assert "+150" in report.warnings[0].message


def test_small_counts_moving_are_not_worth_a_warning(tmp_path):
    previous = {("Forez",): {"filles": 1.0, "garcons": 2.0, "total": 3.0}}
    path = xlsx(tmp_path / "t.xlsx", [["Forez", 3, 4, 7]])

    assert validate_workbook(path, TABLE, previous=previous).warnings == []


def test_iter_table_reads_values_as_the_validation_did(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [["forez", "1 234", 10, 1244], ["Roannais", 7, 9, 16]])

    records = list(iter_table(path, TABLE))

    assert records == [
        (2, {"territoire": "Forez", "filles": 1234, "garcons": 10, "total": 1244}),
        (3, {"territoire": "Roannais", "filles": 7, "garcons": 9, "total": 16}),
    ]
    assert row_key(parse_schema(SCHEMA), records[0][1]) == ("Forez",)
    assert codes(validate_workbook(path, TABLE)) == []
