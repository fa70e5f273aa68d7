"""The checks of a pseudonymised dataset against the annex 2 Table Schema: keys, fields of the base,
no direct identifier, dates reduced to month and year; CSV in both separators and encodings, or xlsx."""

import datetime
from pathlib import Path

import pytest

from tests.uploads.transfers.factories import csv_bytes, person, xlsx_bytes
from uploads.transfers import checks
from uploads.transfers.tables import open_table
from uploads.validation.container import Refused

ROWS = [person("DUPONT", "MARIE"), person("MARTIN", "LEO", "14", "07", "2003")]


def check(tmp_path: Path, content: bytes, base: str = "iodas_ase", suffix: str = "csv") -> checks.Result:
    path = tmp_path / f"dataset.{suffix}"
    path.write_bytes(content)
    with open_table(path, max_bytes=10 * 1024 * 1024) as table:
        return checks.check_dataset(table, base)


def test_the_schema_lists_every_base_of_annex_2_with_both_keys():
    names = [name for name, _ in checks.bases()]

    assert names == ["iodas_ase", "webrsa", "nova_dpas", "iodas_dpas", "iodas_mdph", "externe"]
    for name in names:
        fields = [field["name"] for field in checks.schema_of(name)["fields"]]
        assert fields[:2] == ["cle_primaire", "cle_secondaire"]


@pytest.mark.parametrize(("delimiter", "encoding"), [(";", "utf-8"), (",", "utf-8-sig"), (";", "latin-1")])
def test_a_clean_csv_passes_in_either_separator_and_encoding(tmp_path, delimiter, encoding):
    rows = [{**row, "circonscription": "Saint-Étienne"} for row in ROWS]

    result = check(tmp_path, csv_bytes(rows, delimiter=delimiter, encoding=encoding))

    assert result.findings == []
    assert result.rows == 2


def test_a_clean_workbook_passes(tmp_path):
    result = check(
        tmp_path, xlsx_bytes([{**row, "date_debut_mesure": "03/2015"} for row in ROWS]), suffix="xlsx"
    )

    assert (result.findings, result.rows) == ([], 2)


def test_a_key_that_is_not_64_hex_characters_is_refused_without_repeating_it(tmp_path):
    rows = [ROWS[0], {**ROWS[1], "cle_primaire": "DUPONTMARIE01012000"}]

    result = check(tmp_path, csv_bytes(rows))

    assert result.findings == [
        "Ligne 3, colonne « cle_primaire » : la clé doit compter 64 caractères hexadécimaux (0-9, a-f)."
    ]


def test_a_missing_key_column_is_refused(tmp_path):
    rows = [{k: v for k, v in row.items() if k != "cle_secondaire"} for row in ROWS]

    result = check(tmp_path, csv_bytes(rows))

    assert "La colonne « cle_secondaire » manque" in result.findings[0]


@pytest.mark.parametrize("header", ["nom", "Prénom", "date_naissance", "NIR", "courriel"])
def test_a_column_announcing_a_direct_identifier_is_refused(tmp_path, header):
    rows = [{**row, header: "x"} for row in ROWS]

    result = check(tmp_path, csv_bytes(rows), base="externe")

    assert any(f"La colonne « {header} » annonce" in finding for finding in result.findings)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("14/07/2003", "date complète"),
        ("2003-07-14", "date complète"),
        ("1 03 07 42 218 123 45", "sécurité sociale"),
        ("leo.martin@example.org", "électronique"),
        ("06 12 34 56 78", "téléphone"),
        ("Léo MARTIN", "nom d'une personne"),
    ],
)
def test_a_value_that_identifies_someone_is_refused_and_not_repeated(tmp_path, value, reason):
    rows = [{**ROWS[0], "suite_donnee": "Classement"}, {**ROWS[1], "suite_donnee": value}]

    result = check(tmp_path, csv_bytes(rows))

    assert len(result.findings) == 1
    assert result.findings[0].startswith("Ligne 3, colonne « suite_donnee »")
    assert reason in result.findings[0]
    assert value not in result.findings[0]


def test_a_date_cell_in_a_workbook_is_a_full_date(tmp_path):
    rows = [{**ROWS[0], "date_ouverture_ip": datetime.date(2015, 3, 12)}]

    result = check(tmp_path, xlsx_bytes(rows), suffix="xlsx")

    assert "une date complète" in result.findings[0]


def test_a_month_field_wants_month_and_year(tmp_path):
    rows = [{**ROWS[0], "date_debut_mesure": "2015"}]

    result = check(tmp_path, csv_bytes(rows))

    assert "au format MM/AAAA" in result.findings[0]


def test_a_column_the_base_does_not_list_is_refused_but_an_external_partner_may_add_its_own(tmp_path):
    rows = [{**row, "situation_emploi": "en emploi"} for row in ROWS]

    assert "ne fait pas partie des champs" in check(tmp_path, csv_bytes(rows)).findings[0]
    assert check(tmp_path, csv_bytes(rows), base="externe").findings == []


def test_an_enumerated_field_keeps_to_its_list(tmp_path):
    rows = [{**ROWS[0], "statut_mna": "peut-être"}]

    assert "l'une de : oui, non" in check(tmp_path, csv_bytes(rows)).findings[0]


def test_findings_stop_being_listed_after_twenty(tmp_path):
    rows = [{**ROWS[0], "cle_primaire": "x"}] * 30

    result = check(tmp_path, csv_bytes(rows))

    assert len(result.findings) == checks.MAX_FINDINGS and result.more


def test_an_empty_file_and_a_pdf_are_refused_in_french(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(Refused, match="vide"), open_table(empty, max_bytes=100):
        pass
    assert check(tmp_path, b"%PDF-1.4\n").findings[0].startswith("La colonne « cle_primaire » manque")
