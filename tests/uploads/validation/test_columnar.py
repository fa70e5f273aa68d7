"""A large sheet is read apart, in a bounded process, and proved right by whole columns when it is.

The columnar proof (`uploads.validation.columnar`) answers the engine's own report or None; the
properties here check that for any workbook, and the examples that it does answer for a right sheet
(a proof never given would make every large upload slow without a test failing).
"""

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.uploads.validation.workbooks import TABLE, codes, rezip, sheet_xml, xlsx, xlsx_bytes
from uploads.validation import ExpectedTable, Limits, parse_schema, validate_workbook
from uploads.validation.columnar import clean_report
from uploads.validation.container import open_package
from uploads.validation.engine import check_sheet

SCHEMA = {
    "fields": [
        {
            "name": "code",
            "title": "Code",
            "type": "string",
            "constraints": {"required": True, "pattern": "[A-Z][0-9]{3}"},
        },
        {
            "name": "territoire",
            "title": "Territoire",
            "type": "string",
            "constraints": {"enum": ["Forez", "Roannais", "Total"]},
        },
        {"name": "jour", "title": "Jour", "type": "date", "constraints": {"minimum": "2020-01-01"}},
        {"name": "note", "title": "Note", "type": "string", "constraints": {"maxLength": 12}},
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
            "constraints": {"minimum": 0, "maximum": 1000},
        },
        {"name": "total", "title": "Total", "type": "integer"},
        {"name": "taux", "title": "Taux", "type": "number", "constraints": {"maximum": 100}},
        {"name": "suivi", "title": "Suivi", "type": "boolean"},
        {"name": "annee", "title": "Année", "type": "year"},
    ],
    "primaryKey": ["code"],
    "totals": [{"field": "total", "sumOf": ["filles", "garcons"]}],
}
HEADERS = [field["title"] for field in SCHEMA["fields"]]
WITH_TOTAL_ROW = {**SCHEMA, "primaryKey": [], "totalRow": {"field": "territoire", "value": "Total"}}
APART = Limits(read_apart_from_bytes=0)


def row(n: int, **changes) -> list:
    values = {
        "code": f"A{n:03d}",
        "territoire": "Forez" if n % 2 else "Roannais",
        "jour": date(2024, 1, 1 + n % 28),
        "note": "RAS" if n % 3 == 0 else None,
        "filles": n,
        "garcons": 2 * n,
        "total": 3 * n,
        "taux": n / 10,
        "suivi": n % 2 == 0,
        "annee": 2024,
    }
    values.update(changes)
    return list(values.values())


def workbook(path: Path, rows: list[list], *, headers=HEADERS) -> Path:
    return xlsx(path, rows, headers=headers, sheet="Données")


def reference(path: Path, schema: dict, previous=None):
    """The cell-by-cell engine's report, in this process."""
    package = open_package(path, Limits())
    return check_sheet(path, package, "Données", parse_schema(schema), Limits(), previous, 0.5)


def proof(path: Path, schema: dict, previous=None):
    return clean_report(path, "Données", parse_schema(schema), previous=previous)


def test_a_right_sheet_is_proved_right_by_its_columns(tmp_path):
    path = workbook(tmp_path / "juste.xlsx", [row(n) for n in range(1, 40)])

    report = proof(path, SCHEMA)

    assert report is not None
    assert (report.errors, report.warnings, report.rows_checked) == ([], [], 39)
    assert report == reference(path, SCHEMA)


def test_a_right_total_row_and_right_previous_figures_are_proved_right(tmp_path):
    total = row(99, territoire="Total", filles=10, garcons=20, total=30, taux=1.0, annee=4 * 2024)
    rows = [row(n) for n in range(1, 5)] + [total]
    path = workbook(tmp_path / "total.xlsx", rows)
    previous = {("A001",): {"filles": 1.2, "garcons": 2}}

    assert proof(path, WITH_TOTAL_ROW) == reference(path, WITH_TOTAL_ROW)
    assert proof(path, SCHEMA, previous) == reference(path, SCHEMA, previous)
    assert proof(path, WITH_TOTAL_ROW) is not None and proof(path, SCHEMA, previous) is not None


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param([row(1), row(2, filles=None)], id="empty-required-cell"),
        pytest.param([row(1), row(2, garcons=-1, total=1)], id="below-minimum"),
        pytest.param([row(1), row(2, total=7)], id="wrong-total"),
        pytest.param([row(1), row(1)], id="repeated-key"),
        pytest.param([row(1), row(2, code="a2")], id="pattern"),
        pytest.param([row(1), row(2, territoire="Loire")], id="enum"),
        pytest.param([row(1), row(2, note="léo@ase.fr")], id="e-mail"),
        pytest.param([row(1), row(2, filles=1.5, total=5.5)], id="fraction-in-integer"),
        pytest.param([row(1), row(2, jour=date(2019, 12, 31))], id="date-before-minimum"),
        pytest.param([row(1), [None] * len(HEADERS), row(3)], id="blank-row"),
        pytest.param([row(1), row(2, annee=24)], id="year-of-two-digits"),
        pytest.param([row(1), row(2, taux="12,5")], id="number-as-text"),
    ],
)
def test_a_faulty_sheet_is_left_to_the_cell_by_cell_engine(tmp_path, rows):
    path = workbook(tmp_path / "fautes.xlsx", rows)

    assert proof(path, SCHEMA) is None
    assert reference(path, SCHEMA).errors or reference(path, SCHEMA).warnings


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param([row(1), row(2, note="Lucas")], id="a-first-name-alone"),
        pytest.param([row(1), row(2, jour=datetime(2024, 3, 1, 14, 30))], id="a-time-in-a-date"),  # noqa: DTZ001
        pytest.param([row(1), row(2, note=" RAS")], id="spaces-around-a-text"),
    ],
)
def test_a_doubtful_sheet_goes_to_the_engine_even_when_it_turns_out_right(tmp_path, rows):
    path = workbook(tmp_path / "doute.xlsx", rows)

    assert proof(path, SCHEMA) is None
    assert reference(path, SCHEMA).valid


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(HEADERS[::-1], id="columns-in-another-order"),
        pytest.param([*HEADERS[:-1], "Annee"], id="label-spelt-without-accent"),
    ],
)
def test_a_header_in_another_order_or_spelling_is_still_proved(tmp_path, headers):
    rows = [row(n) for n in range(1, 4)]
    path = workbook(
        tmp_path / "ordre.xlsx",
        [r[::-1] for r in rows] if headers == HEADERS[::-1] else rows,
        headers=headers,
    )

    assert proof(path, SCHEMA) is not None
    assert proof(path, SCHEMA) == reference(path, SCHEMA)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param([*HEADERS[:-1], "Années"], id="unknown-label"),
        pytest.param([*HEADERS, "Remarque"], id="extra-column"),
        pytest.param([*HEADERS[:-1], "Total"], id="repeated-label"),
    ],
)
def test_a_header_that_is_not_the_specs_own_is_left_to_the_engine(tmp_path, headers):
    path = workbook(
        tmp_path / "entete.xlsx", [row(1) + ["x"] * (len(headers) - len(HEADERS))], headers=headers
    )

    assert proof(path, SCHEMA) is None


def test_a_number_far_down_a_text_column_is_not_missed(tmp_path):
    """fastexcel guesses a column's type from its first 1,000 rows unless told otherwise."""
    rows = [row(n) for n in range(1, 1_200)]
    rows[1_150][3] = 12  # « Note », a text column
    path = workbook(tmp_path / "loin.xlsx", rows)

    assert proof(path, SCHEMA) is None
    assert reference(path, SCHEMA).valid is False or reference(path, SCHEMA).warnings


def test_a_value_far_from_last_years_is_left_to_the_engine(tmp_path):
    path = workbook(tmp_path / "evolution.xlsx", [row(n) for n in range(20, 24)])
    previous = {("A020",): {"filles": 100}}

    assert proof(path, SCHEMA, previous) is None
    assert [finding.code for finding in reference(path, SCHEMA, previous).warnings] == ["value-change"]


CELL_VALUES = {
    "code": st.sampled_from(["A001", "A002", "B123", "a12", "", 12, "A001 "]),
    "territoire": st.sampled_from(["Forez", "Roannais", "Total", "total", "Loire", None]),
    "jour": st.sampled_from(
        [date(2024, 5, 1), date(2019, 1, 1), datetime(2024, 5, 1, 12), "2024-05-01", None]  # noqa: DTZ001
    ),
    "note": st.sampled_from(
        ["RAS", "Lucas", "Léo MARTIN", "0612345678", "", None, 3, "trop long pour la colonne"]
    ),
    "filles": st.sampled_from([0, 1, 5, 2.5, -1, None, "3", 1e13]),
    "garcons": st.sampled_from([0, 2, 1001, None, "x"]),
    "total": st.sampled_from([0, 1, 3, 7, None]),
    "taux": st.sampled_from([0.5, 12, 101, None, "12,5"]),
    "suivi": st.sampled_from([True, False, None, "oui", 1]),
    "annee": st.sampled_from([2024, 1999, 24, None, 2024.5]),
}
ROWS = st.lists(
    st.fixed_dictionaries(CELL_VALUES).map(lambda cells: list(cells.values())), min_size=1, max_size=6
)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=ROWS, schema=st.sampled_from([SCHEMA, WITH_TOTAL_ROW]), known=st.booleans())
def test_the_proof_is_never_given_where_the_engine_has_something_to_say(tmp_path, rows, schema, known):
    path = workbook(tmp_path / "au-hasard.xlsx", rows)
    previous = {("A001",): {"filles": 1, "garcons": 2}} if known else None

    answer = proof(path, schema, previous)

    assert answer is None or answer == reference(path, schema, previous)


def test_a_large_sheet_read_apart_gets_the_engines_report(tmp_path):
    right = workbook(tmp_path / "juste.xlsx", [row(n) for n in range(1, 30)])
    faulty = workbook(tmp_path / "fautes.xlsx", [row(1), row(2, total=9), row(2)])
    table = ExpectedTable(sheet_name="Données", schema=SCHEMA)

    for path in (right, faulty):
        assert validate_workbook(path, table, limits=APART) == validate_workbook(path, table)
    assert codes(validate_workbook(faulty, table, limits=APART)) == ["total-mismatch", "primary-key"]


def test_a_sheet_asking_the_reader_for_too_much_memory_is_refused_without_harm(tmp_path):
    """Two cells far apart make the reader allocate the whole grid between them: only the child dies."""
    far = '<row r="1"><c r="A1"><v>1</v></c></row><row r="400000"><c r="IV400000"><v>1</v></c></row>'
    path = rezip(xlsx_bytes(), tmp_path / "loin.xlsx", replace={"xl/worksheets/sheet1.xml": sheet_xml(far)})

    report = validate_workbook(
        path, TABLE, limits=Limits(read_apart_from_bytes=0, max_reader_bytes=64 * 1024**2)
    )

    assert codes(report) == ["file-dimensions"]
    assert "trop de données" in report.errors[0].message


def test_a_sheet_taking_the_reader_past_its_time_is_refused_for_that(tmp_path):
    path = workbook(tmp_path / "long.xlsx", [row(n) for n in range(1, 30)])

    report = validate_workbook(
        path,
        ExpectedTable(sheet_name="Données", schema=SCHEMA),
        limits=Limits(read_apart_from_bytes=0, max_reader_seconds=0),
    )

    assert codes(report) == ["file-dimensions"]
    assert "trop de calcul" in report.errors[0].message


def test_a_damaged_sheet_read_apart_is_refused_as_damaged(tmp_path):
    path = rezip(
        xlsx_bytes(),
        tmp_path / "abime.xlsx",
        replace={"xl/worksheets/sheet1.xml": "<worksheet><sheetData><row"},
    )

    assert codes(validate_workbook(path, TABLE, limits=APART)) == ["file-corrupt"]


def test_a_declaration_in_a_sheet_read_apart_is_still_refused(tmp_path):
    doctype = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>Territoire</t></is></c></row>').replace(
        "<worksheet", '<!DOCTYPE x [<!ENTITY a "b">]><worksheet'
    )
    path = rezip(xlsx_bytes(), tmp_path / "doctype.xlsx", replace={"xl/worksheets/sheet1.xml": doctype})

    report = validate_workbook(path, TABLE, limits=APART)

    assert codes(report) == ["file-corrupt"]
    assert "DOCTYPE" in report.errors[0].message


def test_a_workbook_written_by_hand_keeps_its_findings_when_read_apart(tmp_path):
    sheet = Workbook()
    sheet.active.title = "Enfants"
    sheet.active.append(["Territoire", "Filles", "Garçons", "Total"])
    sheet.active.append(["Forez", "douze", 10, 22])
    sheet.save(tmp_path / "main.xlsx")

    apart = validate_workbook(tmp_path / "main.xlsx", TABLE, limits=APART)

    assert apart == validate_workbook(tmp_path / "main.xlsx", TABLE)
    assert codes(apart) == ["type-error"]
