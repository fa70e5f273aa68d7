"""Table Schema conformance: cases ported from frictionless-py's tests of fields and constraints.

Drawn from frictionless-py's tests/fields (test_string, test_number, test_integer, test_boolean, test_date,
test_time, test_datetime, test_year, test_yearmonth, test_duration, test_geopoint, test_geojson,
test_object, test_array, test_any) and its constraint tests, each case written as a one-column workbook.

Where the project differs on purpose, the case says so:
- Cells are read as Excel gives them: a date cell in a date field, a number cell in a number field. An
  integer-valued number in a text field reads as its digits; a number typed as text (« 1 234,5 », « 1.0 »)
  is read, with a warning, where frictionless would refuse it.
- The personal-data guard refuses any e-mail address anywhere in a workbook, so the email format is
  checked on the per-cell reading, not through a workbook.
- Booleans accept the French words (oui, non, vrai, faux) besides frictionless's defaults, unless the
  field gives its own trueValues and falseValues.
"""

from datetime import date, datetime, time, timedelta

import pytest

from tests.uploads.validation.workbooks import xlsx
from uploads.validation import ExpectedTable, SchemaError, parse_schema, validate_workbook
from uploads.validation.cells import read_cell


def faulty_cells(tmp_path, field, values, **schema):
    """The cells found faulty (type or constraint) in a one-column workbook: A2 is the first value."""
    table = ExpectedTable(sheet_name="Feuille", schema={"fields": [field], **schema})
    path = xlsx(tmp_path / "t.xlsx", [[value] for value in values], headers=[field["name"]], sheet="Feuille")
    report = validate_workbook(path, table)
    assert not report.contains_personal_data
    return [finding.cell for finding in report.errors]


TYPES = [
    # (field, values, faulty cells)
    ({"type": "string", "format": "uri"}, ["http://google.com", "https://a.org/b?c=d", "string", ""], ["A4"]),
    (
        {"type": "string", "format": "uuid"},
        ["95ecc380-afe9-11e4-9b6c-751b66dd541e", "12345", "95ecc380-afe9-11e4-9b6c-751b66dd541z"],
        ["A3", "A4"],
    ),
    ({"type": "string", "format": "binary"}, ["dGVzdA==", "YWJj", "not base64 !"], ["A4"]),
    ({"type": "number"}, [1.0, "1", "1.5", "1E3", "-1.5e-2", "NaN", "string", "1.5.5"], ["A8", "A9"]),
    ({"type": "number", "groupChar": ","}, ["1,000", "1,000,000.5", "1.5", "1;000"], ["A5"]),
    ({"type": "number", "groupChar": ".", "decimalChar": ","}, ["1.000,5", "10,5", "1,5,5"], ["A4"]),
    ({"type": "number", "groupChar": " ", "decimalChar": ","}, ["1 000,5", "10,5", "abc"], ["A4"]),
    ({"type": "number", "bareNumber": False}, ["€95", "95 %", "EUR 95,5", "n.c."], ["A5"]),
    ({"type": "integer"}, [1.0, "1", "-12", 1.5, "1.5", "string", ""], ["A5", "A6", "A7"]),
    ({"type": "integer", "bareNumber": False}, ["€95", "95%", "total"], ["A4"]),
    ({"type": "boolean"}, [True, False, "true", "False", "1", "0", "yes"], ["A8"]),
    (
        {"type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
        ["yes", "no", "true", "Y"],
        ["A4", "A5"],
    ),
    ({"type": "object"}, ['{"key": "value"}', "{}", '["key"]', "{key: value}", "string"], ["A4", "A5", "A6"]),
    ({"type": "array"}, ['["a", "b"]', "[]", '{"key": "value"}', "[1, 2"], ["A4", "A5"]),
    ({"type": "date"}, [date(2019, 1, 1), "2019-01-01", "10th Jan 1969", "2019-13-01"], ["A4", "A5"]),
    ({"type": "date", "format": "%d/%m/%y"}, ["21/11/06", "21/11/06 16:30", "2019-01-01"], ["A3", "A4"]),
    ({"type": "date", "format": "any"}, ["2019-01-01", "21/11/2006", "10 janvier", "string"], ["A4", "A5"]),
    ({"type": "time"}, [time(6, 30), "06:00:00", "06:00", "3 am", "25:00:00"], ["A5", "A6"]),
    ({"type": "time", "format": "%H:%M"}, ["06:00", "06:00:00", "string"], ["A3", "A4"]),
    ({"type": "time", "format": "any"}, ["06:00:00", "6h30", "string"], ["A4"]),
    (
        {"type": "datetime"},
        [datetime(2014, 1, 1, 6), "2014-01-01T06:00:00", "2014-01-01T06:00:00+01:00", "Mon 1st Jan 2014"],  # noqa: DTZ001
        ["A5"],
    ),
    ({"type": "datetime", "format": "%d/%m/%y %H:%M"}, ["21/11/06 16:30", "2006-11-21T16:30"], ["A3"]),
    ({"type": "year"}, [2000.0, "2000", "20000", "3.14", "string"], ["A4", "A5", "A6"]),
    ({"type": "yearmonth"}, ["2000-01", "2000-12", "2000-13", "2000", "string"], ["A4", "A5", "A6"]),
    (
        {"type": "duration"},
        ["P1Y10M3DT5H11M7S", "P1Y", "PT2H", "P3W", timedelta(hours=3), "P", "1Y", "PT"],
        ["A7", "A8", "A9"],
    ),
    ({"type": "geopoint"}, ["90, 45", "-180, -90", "200, 45", "90, 95", "string"], ["A4", "A5", "A6"]),
    (
        {"type": "geopoint", "format": "array"},
        ["[90, 45]", "[90]", '["90", "45"]', "90, 45"],
        ["A3", "A4", "A5"],
    ),
    (
        {"type": "geopoint", "format": "object"},
        ['{"lon": 90, "lat": 45}', '{"lat": 45}', "[90, 45]"],
        ["A3", "A4"],
    ),
    (
        {"type": "geojson"},
        ['{"type": "Point", "coordinates": [0, 0]}', '{"type": "Nothing"}', '"Point"', "string"],
        ["A3", "A4", "A5"],
    ),
    (
        {"type": "geojson", "format": "topojson"},
        ['{"type": "Topology", "objects": {}}', '{"type": "Point"}'],
        ["A3"],
    ),
    ({"type": "any"}, ["1", 1.0, True, "abc", "string"], []),
]


@pytest.mark.parametrize(("field", "values", "faulty"), TYPES)
def test_each_type_and_format_reads_its_values_and_refuses_the_others(tmp_path, field, values, faulty):
    assert faulty_cells(tmp_path, {"name": "valeur", **field}, values) == faulty


def test_a_number_typed_as_text_is_read_with_a_warning_where_frictionless_would_read_text(tmp_path):
    """Deliberate: a spreadsheet cell holding « 1 234,5 » as text is a number typed by hand."""
    table = ExpectedTable(sheet_name="Feuille", schema={"fields": [{"name": "n", "type": "number"}]})
    path = xlsx(tmp_path / "t.xlsx", [["1 234,5"], [1234.5]], headers=["n"], sheet="Feuille")

    report = validate_workbook(path, table)

    assert report.valid
    assert [(finding.code, finding.cell) for finding in report.warnings] == [("type-coerced", "A2")]


def test_an_email_format_is_checked_cell_by_cell_since_the_guard_refuses_addresses_in_workbooks():
    """Deliberate: an e-mail address is personal data, and a workbook holding one is refused whole."""
    field = parse_schema({"fields": [{"name": "contact", "type": "string", "format": "email"}]}).fields[0]

    assert read_cell(field, "service@example.org").problem is None
    problem = read_cell(field, "abc").problem
    assert problem is not None and problem.code == "type-error"
    assert problem.message == "«\u00a0abc\u00a0» n'est pas une adresse électronique valide."


def test_an_email_address_in_a_workbook_is_refused_as_personal_data(tmp_path):
    field = {"name": "contact", "type": "string", "format": "email"}
    table = ExpectedTable(sheet_name="Feuille", schema={"fields": [field]})
    path = xlsx(tmp_path / "t.xlsx", [["service@example.org"]], headers=["contact"], sheet="Feuille")

    assert validate_workbook(path, table).contains_personal_data


CONSTRAINTS = [
    ({"type": "string", "constraints": {"required": True}}, ["a", "", "b"], ["A3"]),
    ({"type": "string", "constraints": {"minLength": 2}}, ["ab", "a", "abc"], ["A3"]),
    ({"type": "string", "constraints": {"maxLength": 2}}, ["ab", "abc"], ["A3"]),
    (
        {"type": "array", "constraints": {"minLength": 1, "maxLength": 2}},
        ["[1]", "[]", "[1, 2, 3]"],
        ["A3", "A4"],
    ),
    ({"type": "object", "constraints": {"maxLength": 1}}, ['{"a": 1}', '{"a": 1, "b": 2}'], ["A3"]),
    ({"type": "string", "constraints": {"pattern": "[a-c]+"}}, ["abc", "abcd", "AB"], ["A3", "A4"]),
    ({"type": "integer", "constraints": {"minimum": 1}}, [1, 0, 2], ["A3"]),
    ({"type": "integer", "constraints": {"maximum": "2"}}, [1, 2, 3], ["A4"]),
    ({"type": "integer", "constraints": {"exclusiveMinimum": 1}}, [2, 1, 0], ["A3", "A4"]),
    ({"type": "number", "constraints": {"exclusiveMaximum": 1.5}}, [1.4, 1.5, 2], ["A3", "A4"]),
    ({"type": "integer", "constraints": {"enum": ["1", "2"]}}, [1, 2, 3, "2"], ["A4"]),
    ({"type": "number", "constraints": {"enum": [1.5, "2.5"]}}, [1.5, 2.5, 3], ["A4"]),
    ({"type": "boolean", "constraints": {"enum": [True]}}, [True, False], ["A3"]),
    (
        {"type": "date", "constraints": {"minimum": "2019-01-01"}},
        [date(2019, 1, 1), date(2018, 12, 31)],
        ["A3"],
    ),
    (
        {"type": "date", "format": "%d/%m/%Y", "constraints": {"maximum": "31/12/2019"}},
        ["31/12/2019", "01/01/2020"],
        ["A3"],
    ),
    ({"type": "time", "constraints": {"minimum": "06:00:00"}}, ["06:00:00", "05:59:59"], ["A3"]),
    ({"type": "year", "constraints": {"minimum": 2000, "maximum": "2020"}}, [2000, 1999, 2021], ["A3", "A4"]),
    ({"type": "yearmonth", "constraints": {"minimum": "2020-03"}}, ["2020-03", "2020-02"], ["A3"]),
    ({"type": "duration", "constraints": {"maximum": "P1Y"}}, ["P11M", "P1Y1M", "PT1H"], ["A3"]),
    (
        {"type": "datetime", "constraints": {"enum": ["2020-01-01T10:00:00"]}},
        [datetime(2020, 1, 1, 10), "2020-01-01T11:00:00"],  # noqa: DTZ001 (Excel dates are naive)
        ["A3"],
    ),
]


@pytest.mark.parametrize(("field", "values", "faulty"), CONSTRAINTS)
def test_each_constraint_is_checked_with_its_values_read_as_the_field_type(tmp_path, field, values, faulty):
    assert faulty_cells(tmp_path, {"name": "valeur", **field}, values) == faulty


def test_a_schema_missing_value_counts_as_empty_then_required_applies(tmp_path):
    optional = {"name": "n", "type": "integer"}
    required = {"name": "n", "type": "integer", "constraints": {"required": True}}
    values = [1, "NA", "-", 99]

    assert faulty_cells(tmp_path, optional, values, missingValues=["", "NA", "-", "99"]) == []
    assert faulty_cells(tmp_path, required, values, missingValues=["", "NA", "-", "99"]) == ["A3", "A4", "A5"]
    assert faulty_cells(tmp_path, optional, values) == ["A3", "A4"]


INVALID_SCHEMAS = [
    ({"name": "âge", "type": "integer", "format": "courriel"}, "« âge »", "format"),
    ({"name": "âge", "type": "entier"}, "« âge »", "type"),
    ({"name": "âge", "type": "integer", "constraints": {"enum": ["un", "deux"]}}, "« âge »", "enum"),
    ({"name": "âge", "type": "integer", "constraints": {"minimum": "zéro"}}, "« âge »", "minimum"),
    ({"name": "âge", "type": "integer", "constraints": {"required": "oui"}}, "« âge »", "required"),
    ({"name": "âge", "type": "string", "constraints": {"minLength": -1}}, "« âge »", "minLength"),
    ({"name": "âge", "type": "string", "constraints": {"minimum": 1}}, "« âge »", "minimum"),
    ({"name": "âge", "type": "boolean", "trueValues": "oui"}, "« âge »", "trueValues"),
    ({"name": "âge", "type": "date", "constraints": {"pattern": "[0-9]+"}}, "« âge »", "pattern"),
    ({"type": "integer"}, "n°1", "name"),
]


@pytest.mark.parametrize(("field", "named", "key"), INVALID_SCHEMAS)
def test_an_invalid_schema_is_refused_in_french_naming_the_field_and_the_key(field, named, key):
    with pytest.raises(SchemaError) as refusal:
        parse_schema({"fields": [field]})

    assert named in str(refusal.value) and key in str(refusal.value)


def test_a_schema_valid_for_frictionless_with_enum_values_as_text_is_accepted():
    field = parse_schema({"fields": [{"name": "n", "type": "integer", "constraints": {"enum": ["1", "2"]}}]})

    assert field.fields[0].enum == (1, 2)
