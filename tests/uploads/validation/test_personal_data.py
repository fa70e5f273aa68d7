"""The personal-data guard in the engine: headers that name a person, values that are direct identifiers."""

from datetime import date

import pytest

from conventions.demo import LOIRE_PARTNERS
from tests.uploads.validation.workbooks import HEADERS, ROWS, TABLE, xlsx
from uploads.demo import INDICATORS, TERRITORIES
from uploads.validation import ExpectedTable, validate_workbook

FREE_TEXT = ExpectedTable(
    sheet_name="T",
    schema={"fields": [{"name": "territoire", "type": "string"}, {"name": "commentaire", "type": "string"}]},
)


def check_value(tmp_path, value):
    path = xlsx(
        tmp_path / "t.xlsx",
        [["Forez", "RAS"], ["Roannais", value]],
        headers=["territoire", "commentaire"],
        sheet="T",
    )
    return validate_workbook(path, FREE_TEXT)


@pytest.mark.parametrize(
    "header",
    [
        "Nom",
        "NOM DE FAMILLE",
        "nom_enfant",
        "Prénom",
        "prenoms",
        "Date de naissance",
        "date_naissance",
        "DDN",
        "Né le",
        "NIR",
        "N° de sécurité sociale",
        "Adresse",
        "adresse postale",
        "Téléphone",
        "Tél.",
        "Courriel",
        "E-mail",
        "Adresse mail",
    ],
)
def test_a_header_naming_a_person_refuses_the_file(tmp_path, header):
    path = xlsx(
        tmp_path / "t.xlsx",
        [["Forez", 12, 10, 22, "x"]],
        headers=["Territoire", "Filles", "Garçons", "Total", header],
    )

    report = validate_workbook(path, TABLE)

    assert report.contains_personal_data
    [finding] = [f for f in report.errors if f.code == "personal-data"]
    assert finding.cell == "E1"
    assert "statistiques anonymes" in finding.message


@pytest.mark.parametrize(
    "header",
    ["Nombre d'enfants", "Nom de la structure", "Code commune", "Naissances domiciliées", "Renommée"],
)
def test_headers_that_do_not_name_a_person_pass_the_guard(tmp_path, header):
    path = xlsx(
        tmp_path / "t.xlsx",
        [["Forez", 12, 10, 22, 3]],
        headers=["Territoire", "Filles", "Garçons", "Total", header],
    )

    report = validate_workbook(path, TABLE)

    assert not report.contains_personal_data
    assert [f.code for f in report.errors] == ["extra-label"]


@pytest.mark.parametrize(
    "value, what",
    [
        ("1 85 05 42 218 123 45", "sécurité sociale"),
        ("185054221812345", "sécurité sociale"),
        ("1850542218123", "sécurité sociale"),
        ("2 91 12 2A 004 012", "sécurité sociale"),
        ("lea.martin@example.org", "adresse électronique"),
        ("Contact : l.martin@caf.fr", "adresse électronique"),
        ("06 12 34 56 78", "téléphone"),
        ("0612345678", "téléphone"),
        ("+33 6 12 34 56 78", "téléphone"),
        ("04.77.12.34.56", "téléphone"),
        ("12/03/2015", "date complète"),
        ("2015-03-12", "date complète"),
    ],
)
def test_a_direct_identifier_among_the_values_refuses_the_file_without_repeating_it(tmp_path, value, what):
    report = check_value(tmp_path, value)

    [finding] = report.errors
    assert (finding.code, finding.cell) == ("personal-data", "B3")
    assert what in finding.message
    assert value not in finding.message


@pytest.mark.parametrize(
    "value", ["RAS", "Hausse de 12 % en 2023", "Données 2023-2024", "Total : 1 234 enfants", "Code 42218"]
)
def test_ordinary_comments_pass_the_guard(tmp_path, value):
    assert check_value(tmp_path, value).valid


def test_a_social_security_number_typed_as_a_number_is_caught(tmp_path):
    report = check_value(tmp_path, 185054221812345)

    assert report.contains_personal_data


def test_a_full_date_in_a_column_not_declared_as_a_date_is_caught(tmp_path):
    assert check_value(tmp_path, date(2015, 3, 12)).contains_personal_data


def test_dates_in_a_declared_date_column_are_not_personal_data(tmp_path):
    table = ExpectedTable(sheet_name="T", schema={"fields": [{"name": "au", "type": "date"}]})
    path = xlsx(tmp_path / "t.xlsx", [[date(2023, 12, 31)], ["31/12/2023"]], headers=["au"], sheet="T")

    assert validate_workbook(path, table).valid


def test_identifiers_in_an_unexpected_column_are_caught_and_no_other_finding_is_kept(tmp_path):
    path = xlsx(
        tmp_path / "t.xlsx",
        [["Forez", 12, 10, 22, "lea.martin@example.org"]],
        headers=["Territoire", "Filles", "Garçons", "Total", "Contact"],
    )

    report = validate_workbook(path, TABLE)

    # The file is refused whole: the other findings wait for the next version, and none can repeat a value.
    assert [(f.code, f.cell) for f in report.errors] == [("personal-data", "E2")]


CHILDREN = ["Lucas", "Emma", "Léo"]


def messages(report):
    return " ".join(finding.message for finding in [*report.errors, *report.warnings])


def assert_refused_without_naming(report, *names):
    assert report.contains_personal_data
    assert {finding.code for finding in report.errors} == {"personal-data"}
    for name in names:
        assert name not in messages(report)


def test_first_names_under_a_harmless_header_refuse_the_file(tmp_path):
    path = xlsx(
        tmp_path / "t.xlsx",
        [["Forez", 12, 10, 22, "Lucas"], ["Roannais", 7, 9, 16, "Emma"], ["Total", 19, 19, 38, "Léo"]],
        headers=["Territoire", "Filles", "Garçons", "Total", "Remarques"],
    )

    report = validate_workbook(path, TABLE)

    assert_refused_without_naming(report, *CHILDREN)
    assert [finding.cell for finding in report.errors] == ["E2", "E3", "E4"]


def test_first_names_written_below_the_table_refuse_the_file(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [*ROWS, [], [None, "Enfants suivis :"], *([None, n] for n in CHILDREN)])

    report = validate_workbook(path, TABLE)

    assert_refused_without_naming(report, *CHILDREN)
    assert [finding.cell for finding in report.errors] == ["B6", "B7", "B8"]


def test_first_names_written_beside_the_table_refuse_the_file(tmp_path):
    path = xlsx(
        tmp_path / "t.xlsx",
        [[*row, None, name] for row, name in zip([*ROWS, ROWS[0]], CHILDREN, strict=True)],
    )

    report = validate_workbook(path, TABLE)

    assert_refused_without_naming(report, *CHILDREN)
    assert [finding.cell for finding in report.errors] == ["F2", "F3", "F4"]


def test_first_names_that_fail_an_expected_columns_check_refuse_the_file(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [[name, 1, 1, 2] for name in CHILDREN])

    report = validate_workbook(path, TABLE)

    # Without the guard each would be « Lucas » n'est pas une valeur autorisée.
    assert_refused_without_naming(report, *CHILDREN)
    assert [finding.cell for finding in report.errors] == ["A2", "A3", "A4"]


@pytest.mark.parametrize(
    "note",
    [
        "Suivi assuré par Léa DURAND, éducatrice",
        "MOREAU Kylian : accueil provisoire",
        "Accueillis : Lucas, Emma et Inès",
    ],
)
def test_a_person_named_in_a_free_text_note_refuses_the_file(tmp_path, note):
    report = check_value(tmp_path, note)

    assert_refused_without_naming(report, note, "DURAND", "MOREAU", "Inès")
    assert [finding.cell for finding in report.errors] == ["B3"]


def test_a_person_named_in_a_title_above_the_table_refuses_the_file(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [HEADERS, *ROWS], headers=["Tableau rempli par Julie MOREAU"])

    report = validate_workbook(path, TABLE)

    assert_refused_without_naming(report, "Julie", "MOREAU")
    assert [finding.cell for finding in report.errors] == ["A1"]


def test_an_identifier_in_a_title_above_the_table_refuses_the_file(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [HEADERS, *ROWS], headers=["Contact : l.martin@caf.fr"])

    report = validate_workbook(path, TABLE)

    assert_refused_without_naming(report, "l.martin@caf.fr")
    assert [finding.cell for finding in report.errors] == ["A1"]


def test_a_dated_title_above_the_table_passes_the_guard(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [HEADERS, *ROWS], headers=["Situation au 31/12/2023, Loire"])

    assert validate_workbook(path, TABLE).valid


LOIRE = ["Saint-Étienne", "Saint-Just-Saint-Rambert", "Roannais", "Montbrison", "Firminy", "Roanne"]
TABLE_WORDS = ["Total", "Garçons", "Filles", "Ensemble", "Autre", "Non renseigné", "France", "Loire"]


@pytest.mark.parametrize("texts", [LOIRE, TABLE_WORDS], ids=["loire-communes", "table-words"])
def test_place_names_and_table_words_pass_the_guard(tmp_path, texts):
    path = xlsx(
        tmp_path / "t.xlsx",
        [[text, "Pierre et Rose"] for text in texts],
        headers=["territoire", "commentaire"],
    )

    assert validate_workbook(path, FREE_TEXT).valid


def test_the_demo_labels_and_territories_pass_the_guard(tmp_path):
    labels = [label for _, label, _, _, _ in INDICATORS]
    definitions = [definition for _, _, _, _, definition in INDICATORS]
    partners = [short_name for _, short_name, *_ in LOIRE_PARTNERS]
    texts = [*TERRITORIES, *labels, *definitions, *partners]
    path = xlsx(tmp_path / "t.xlsx", [[text, text] for text in texts], headers=["territoire", "commentaire"])

    assert validate_workbook(path, FREE_TEXT).valid
