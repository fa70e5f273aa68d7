"""Table Schema conformance: header errors, unique and primary keys, foreign keys.

Cases ported from frictionless-py's tests (tests/resource/validate/test_schema.py and its header and row
tests: extra-label, blank-label, duplicate-label, missing-label, incorrect-label, unique-error,
primary-key, foreign-key), each written as a workbook.

Where the project differs on purpose, the case says so:
- Columns are found by their label in any order; frictionless compares labels position by position. A label
  the schema does not know is `incorrect-label` only when the field expected at its place is missing.
- An unexpected column is reported once, by its label (`extra-label`), not again in each row (`extra-cell`);
  `extra-cell` is kept for values in a column without a header, right of the table.
- `missing-cell` cannot arise: a spreadsheet row spans the sheet's width, so a cell left out is an empty
  cell, refused by `required` like any other empty cell.
"""

import pytest
from openpyxl import Workbook

from tests.uploads.validation.workbooks import xlsx
from uploads.validation import ExpectedTable, SchemaError, parse_schema, validate_workbook
from uploads.validation.container import Limits
from uploads.validation.findings import CODE_LABELS

ID_NAME = {"fields": [{"name": "id", "type": "integer"}, {"name": "code", "type": "string"}]}


def findings(tmp_path, schema, rows, headers, **kwargs):
    table = ExpectedTable(sheet_name="Feuille", schema=schema)
    path = xlsx(tmp_path / "t.xlsx", rows, headers=headers, sheet="Feuille", **kwargs)
    report = validate_workbook(path, table)
    assert not report.contains_personal_data
    return [(finding.code, finding.cell) for finding in report.errors]


def workbook(tmp_path, sheets: dict[str, list[list]]):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "t.xlsx"
    book.save(path)
    return path


# Header ---------------------------------------------------------------------------------------------


HEADERS = [
    # (header, rows, findings): schema fields id (integer) and code (string)
    (["id", "code"], [[1, "a"]], []),
    (["code", "id"], [["a", 1]], []),  # deliberate: any order
    (["id", None, "code"], [[1, None, "a"]], [("blank-label", "B1")]),
    (["id", "code", "code"], [[1, "a", "b"]], [("duplicate-label", "C1")]),
    (["id"], [[1]], [("missing-label", None)]),
    (["id", "cod"], [[1, "a"]], [("incorrect-label", "B1")]),
    (["id", "code", "autre"], [[1, "a", "x"]], [("extra-label", "C1")]),
    (["id", "autre", "code"], [[1, "x", "a"]], [("extra-label", "B1")]),
    (["id", "code", None], [[1, "a", "x"]], [("extra-cell", "C2")]),
]


@pytest.mark.parametrize(("header", "rows", "expected"), HEADERS)
def test_each_header_error_has_frictionless_code_at_its_cell(tmp_path, header, rows, expected):
    assert findings(tmp_path, ID_NAME, rows, header) == expected


def test_a_misspelt_label_names_the_column_expected_at_its_place(tmp_path):
    table = ExpectedTable(sheet_name="Feuille", schema=ID_NAME)
    path = xlsx(tmp_path / "t.xlsx", [[1, "a"]], headers=["id", "cod"], sheet="Feuille")

    [finding] = validate_workbook(path, table).errors

    assert finding.field == "code"
    assert finding.message == (
        "L'en-tête «\u00a0cod\u00a0» ne correspond à aucune colonne attendue\u00a0; à cette place, "
        "le modèle attend «\u00a0code\u00a0»\u00a0: reprenez cet en-tête du modèle."
    )


def test_labels_beyond_the_schema_fields_are_each_reported(tmp_path):
    rows = [[1, "a", "x", "y"]]

    assert findings(tmp_path, ID_NAME, rows, ["id", "code", "autre", "encore"]) == [
        ("extra-label", "C1"),
        ("extra-label", "D1"),
    ]


def test_a_row_short_of_cells_has_empty_cells_refused_by_required_not_a_missing_cell(tmp_path):
    """Deliberate: in a spreadsheet a row spans the sheet's width; the cell is empty, not missing."""
    schema = {
        "fields": [{"name": "id", "type": "integer"}, {"name": "code", "constraints": {"required": True}}]
    }

    assert findings(tmp_path, schema, [[1, "a"], [2]], ["id", "code"]) == [("constraint-error", "B3")]


# Unique and primary keys -------------------------------------------------------------------------------


def test_a_unique_field_reports_each_repetition_after_a_type_error(tmp_path):
    """frictionless: test_resource_validate_schema_unique_error_and_type_error."""
    schema = {
        "fields": [
            {"name": "id"},
            {"name": "unique_number", "type": "number", "constraints": {"unique": True}},
        ]
    }
    rows = [["a1", 100], ["a2", "bad"], ["a3", 100], ["a4", 0], ["a5", 0]]

    assert findings(tmp_path, schema, rows, ["id", "unique_number"]) == [
        ("type-error", "B3"),
        ("unique-error", "B4"),
        ("unique-error", "B6"),
    ]


def test_a_unique_field_repeated_in_a_later_chunk_names_the_first_row(tmp_path):
    schema = {"fields": [{"name": "n", "type": "integer", "constraints": {"unique": True}}]}
    table = ExpectedTable(sheet_name="Feuille", schema=schema)
    rows = [[number] for number in range(1, 2500)] + [[7]]
    path = xlsx(tmp_path / "t.xlsx", rows, headers=["n"], sheet="Feuille")

    [finding] = validate_workbook(path, table).errors

    assert (finding.code, finding.cell) == ("unique-error", "A2501")
    assert finding.message == (
        "«\u00a07\u00a0» figure déjà ligne 8\u00a0: chaque valeur de la colonne «\u00a0n\u00a0» doit être unique."
    )


def test_empty_cells_of_a_unique_field_are_not_repetitions(tmp_path):
    schema = {"fields": [{"name": "id"}, {"name": "n", "type": "integer", "constraints": {"unique": True}}]}
    rows = [["a", 1], ["b", None], ["c", None], ["d", 2]]

    assert findings(tmp_path, schema, rows, ["id", "n"]) == []


def test_a_unique_object_field_compares_the_objects(tmp_path):
    schema = {"fields": [{"name": "o", "type": "object", "constraints": {"unique": True}}]}
    rows = [['{"a": 1, "b": 2}'], ['{"b": 2, "a": 1}']]

    assert findings(tmp_path, schema, rows, ["o"]) == [("unique-error", "A3")]


def test_a_composite_primary_key_ignores_keys_with_an_empty_part(tmp_path):
    """frictionless: test_resource_validate_schema_primary_key_error_composite (codes, not names)."""
    schema = {
        "fields": [{"name": "id", "type": "integer"}, {"name": "code", "type": "string"}],
        "primaryKey": ["id", "code"],
    }
    rows = [[1, "a"], [1, "b"], [None, "c"], [1, "b"], [None, "c"]]

    assert findings(tmp_path, schema, rows, ["id", "code"]) == [("primary-key", "A5")]


def test_unique_keys_report_a_repeated_combination_and_accept_each_part_repeated(tmp_path):
    schema = {
        "fields": [{"name": "annee", "type": "year"}, {"name": "code", "type": "string"}],
        "uniqueKeys": [["annee", "code"], ["code"]],
    }
    rows = [[2023, "a"], [2024, "b"], [2023, "c"], [2023, "a"]]

    report_findings = findings(tmp_path, schema, rows, ["annee", "code"])

    assert report_findings == [("unique-error", "A5"), ("unique-error", "B5")]


def test_a_unique_key_citing_an_unknown_field_is_refused():
    with pytest.raises(SchemaError, match="uniqueKeys.*inconnu"):
        parse_schema({**ID_NAME, "uniqueKeys": [["id", "inconnu"]]})


# Foreign keys -------------------------------------------------------------------------------------------

TERRITOIRES = {
    "fields": [{"name": "departement", "type": "integer"}, {"name": "effectif", "type": "integer"}],
    "foreignKeys": [{"fields": "departement", "reference": {"resource": "territoires", "fields": "code"}}],
    "referenceLists": {"territoires": [{"code": "42", "libelle": "Loire"}, {"code": "43"}, {"code": 69}]},
}


def test_a_foreign_key_to_a_reference_list_reads_the_list_as_the_field_type(tmp_path):
    rows = [[42, 1], ["43", 2], [69, 3], [1, 4], [None, 5]]

    assert findings(tmp_path, TERRITOIRES, rows, ["departement", "effectif"]) == [("foreign-key", "A5")]


def test_a_value_missing_from_the_reference_list_is_named_in_french(tmp_path):
    table = ExpectedTable(sheet_name="Feuille", schema=TERRITOIRES)
    path = xlsx(tmp_path / "t.xlsx", [[1, 4]], headers=["departement", "effectif"], sheet="Feuille")

    [finding] = validate_workbook(path, table).errors

    assert finding.message == (
        "«\u00a01\u00a0» ne figure pas dans la liste de référence «\u00a0territoires\u00a0»\u00a0: "
        "choisissez une valeur qui y figure."
    )


def test_a_reference_list_value_unreadable_as_the_field_type_is_refused_with_the_schema():
    schema = {**TERRITOIRES, "referenceLists": {"territoires": [{"code": "2A"}]}}

    with pytest.raises(SchemaError, match="territoires"):
        parse_schema(schema)


def test_a_composite_foreign_key_matches_whole_combinations(tmp_path):
    schema = {
        "fields": [{"name": "annee", "type": "year"}, {"name": "code", "type": "string"}],
        "foreignKeys": [
            {"fields": ["annee", "code"], "reference": {"resource": "campagnes", "fields": ["an", "code"]}}
        ],
        "referenceLists": {"campagnes": [{"an": 2023, "code": "a"}, {"an": 2024, "code": "b"}]},
    }
    rows = [[2023, "a"], [2024, "b"], [2023, "b"]]

    assert findings(tmp_path, schema, rows, ["annee", "code"]) == [("foreign-key", "A4")]


def test_a_self_referencing_foreign_key_accepts_a_parent_given_further_down(tmp_path):
    """frictionless: test_resource_validate_schema_foreign_key_error_self_referencing(_invalid)."""
    schema = {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "parent", "type": "integer"},
            {"name": "code", "type": "string"},
        ],
        "foreignKeys": [{"fields": "parent", "reference": {"resource": "", "fields": "id"}}],
    }
    rows = [[1, None, "a"], [2, 3, "b"], [3, 1, "c"], [4, 5, "d"]]

    assert findings(tmp_path, schema, rows, ["id", "parent", "code"]) == [("foreign-key", "B5")]


SHEET_KEY = {
    "fields": [{"name": "commune", "type": "string"}, {"name": "effectif", "type": "integer"}],
    "foreignKeys": [{"fields": "commune", "reference": {"resource": "Communes", "fields": "code"}}],
}


def test_a_foreign_key_to_another_sheet_reads_its_column_under_a_title(tmp_path):
    path = workbook(
        tmp_path,
        {
            "Feuille": [["commune", "effectif"], ["42218", 3], [42100.0, 2], ["42999", 1]],
            "Communes": [
                ["Liste des communes"],
                ["code", "libellé"],
                [42218, "Saint-Étienne"],
                ["42100", "x"],
            ],
        },
    )

    report = validate_workbook(path, ExpectedTable(sheet_name="Feuille", schema=SHEET_KEY))

    assert [(finding.code, finding.cell) for finding in report.errors] == [("foreign-key", "A4")]
    assert report.errors[0].message == (
        "«\u00a042999\u00a0» ne figure pas dans la colonne «\u00a0code\u00a0» de la feuille "
        "«\u00a0Communes\u00a0»\u00a0: choisissez une valeur qui y figure."
    )


def test_a_foreign_key_to_a_missing_sheet_is_reported_once(tmp_path):
    path = workbook(tmp_path, {"Feuille": [["commune", "effectif"], ["42218", 3], ["42100", 2]]})

    report = validate_workbook(path, ExpectedTable(sheet_name="Feuille", schema=SHEET_KEY))

    assert [finding.code for finding in report.errors] == ["foreign-key"]
    assert "«\u00a0Communes\u00a0», où la colonne «\u00a0commune\u00a0»" in report.errors[0].message


def test_a_foreign_key_to_a_sheet_without_the_column_is_reported_once(tmp_path):
    path = workbook(
        tmp_path,
        {"Feuille": [["commune", "effectif"], ["42218", 3]], "Communes": [["numéro"], ["42218"]]},
    )

    report = validate_workbook(path, ExpectedTable(sheet_name="Feuille", schema=SHEET_KEY))

    assert [finding.code for finding in report.errors] == ["foreign-key"]
    assert "n'a pas de colonne «\u00a0code\u00a0»" in report.errors[0].message


def test_a_referenced_sheet_beyond_the_size_bounds_gets_the_file_refused(tmp_path):
    path = workbook(
        tmp_path,
        {
            "Feuille": [["commune", "effectif"], ["1", 3]],
            "Communes": [["code"]] + [[str(n)] for n in range(50)],
        },
    )
    table = ExpectedTable(sheet_name="Feuille", schema=SHEET_KEY)

    report = validate_workbook(path, table, limits=Limits(max_rows=20))

    assert [finding.code for finding in report.errors] == ["file-dimensions"]


def test_a_foreign_key_citing_an_unknown_field_is_refused():
    schema = {
        **SHEET_KEY,
        "foreignKeys": [{"fields": "inconnu", "reference": {"resource": "", "fields": "id"}}],
    }

    with pytest.raises(SchemaError, match="inconnu"):
        parse_schema(schema)


@pytest.mark.parametrize("code", ["blank-label", "incorrect-label", "unique-error", "foreign-key"])
def test_each_new_code_is_shown_in_french_words(code):
    assert code in CODE_LABELS
