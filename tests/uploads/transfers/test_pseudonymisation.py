"""The PIPASE annex 1 protocol in Python: normalisation, keys, birth dates, minimisation, refusals."""

import hashlib
from datetime import date, datetime

import pytest

from tests.uploads.transfers.nominative import HEADER, nominative_rows
from uploads.transfers.pseudonymisation import (
    KEY_COLUMNS,
    Mapping,
    PseudonymisationError,
    minimise_date,
    normalise_name,
    parse_date,
    pseudonymise,
    pseudonymise_table,
)

MAPPING = Mapping(
    name="Nom de naissance",
    first_name="Prénom",
    birth_date="Date de naissance",
    keep=["Commune", "Genre"],
    minimise=["Date début mesure"],
)


def test_the_annex_test_vector_gives_the_sha256_of_its_concatenations():
    pseudonym = pseudonymise("DUPONT", "MARIE", "01/01/2000")

    assert pseudonym.primary_key == "3a4211183a3fff23afd73a6f827371c6eb7fbcb9cb2f7c4fc4a44c6ac51ab7ff"
    assert pseudonym.primary_key == hashlib.sha256(b"DUPONTMARIE01012000").hexdigest()
    assert pseudonym.secondary_key == "c21dcd7a7b79f64943ce58ca4dff0d4b4f7abc49edad8cbd4651e3d98adde44c"
    assert pseudonym.secondary_key == hashlib.sha256(b"DUPONT012000").hexdigest()
    assert (pseudonym.birth_month, pseudonym.birth_year) == ("01", "2000")


def test_the_way_a_name_is_written_does_not_change_its_keys():
    assert pseudonymise(" Dupont ", "marie", date(2000, 1, 1)) == pseudonymise(
        "DUPONT", "MARIE", "01/01/2000"
    )


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Hélène", "HELENE"),
        ("Noël", "NOEL"),
        ("Çelik", "CELIK"),
        ("Núñez y Peña", "NUNEZYPENA"),
        ("Jean-Baptiste", "JEANBAPTISTE"),
        ("D'Artagnan", "DARTAGNAN"),
        ("N’Diaye", "NDIAYE"),
        ("de La Fontaine", "DELAFONTAINE"),
        ("Le Goff", "LEGOFF"),
        ("van der Berg", "VANDERBERG"),
        ("Œuvrard", "OEUVRARD"),
        ("Cœur-de-Lion", "COEURDELION"),
        ("Lætitia", "LAETITIA"),
        ("ÆNÉAS", "AENEAS"),
        ("Straße", "STRASSE"),
        ("Ørsted", "ORSTED"),
        ("Łukasz", "LUKASZ"),
        ("Saint-Exupéry 2", "SAINTEXUPERY"),
        ("ﬁlou", "FILOU"),
    ],
)
def test_names_keep_their_letters_without_accents_in_upper_case(written, normalised):
    assert normalise_name(written) == normalised


@pytest.mark.parametrize("written", ["Иванов", "Παπαδόπουλος", "محمد"])
def test_a_name_outside_the_latin_alphabet_is_refused(written):
    with pytest.raises(PseudonymisationError, match="lettres latines"):
        normalise_name(written)


@pytest.mark.parametrize("written", ["", "  ", "'-", None, "123"])
def test_a_name_without_a_letter_is_refused(written):
    with pytest.raises(PseudonymisationError, match="aucune lettre"):
        normalise_name(written, what="Le prénom")


@pytest.mark.parametrize(
    "written",
    [
        date(2002, 12, 31),
        datetime(2002, 12, 31, 0, 0),  # noqa: DTZ001 (a workbook's date cell has no time zone)
        "31/12/2002",
        "31-12-2002",
        "2002-12-31",
        "2002/31/12",
        " 31/12/2002 ",
    ],
)
def test_every_accepted_shape_of_a_birth_date_reads_the_same_day(written):
    assert parse_date(written) == date(2002, 12, 31)


def test_the_annex_slash_example_reads_day_before_month():
    assert parse_date("2002/05/06") == date(2002, 6, 5)
    assert parse_date("5/6/2002") == date(2002, 6, 5)


@pytest.mark.parametrize("written", ["31.12.2002", "31122002", "31 décembre 2002", "2002-12"])
def test_a_birth_date_in_another_shape_is_refused_naming_the_formats(written):
    with pytest.raises(PseudonymisationError, match="JJ/MM/AAAA, JJ-MM-AAAA, AAAA-MM-JJ ou AAAA/JJ/MM"):
        parse_date(written)


@pytest.mark.parametrize("written", ["30/02/2001", "12/31/2002", "2002/12/31"])
def test_a_date_that_does_not_exist_is_refused(written):
    with pytest.raises(PseudonymisationError, match="n’existe pas"):
        parse_date(written)


def test_other_dates_are_reduced_to_month_and_year_and_empty_ones_stay_empty():
    assert minimise_date(date(2021, 5, 6)) == "2021-05"
    assert minimise_date("06/05/2021") == "2021-05"
    assert minimise_date("") == ""
    assert minimise_date(None) == ""


def test_the_table_holds_keys_birth_month_and_year_then_the_kept_columns_and_no_name():
    header, rows = pseudonymise_table(nominative_rows(40), MAPPING)

    assert header == [*KEY_COLUMNS, "Commune", "Genre", "Date début mesure"]
    assert len(rows) == 40
    for row in rows:
        assert len(row[0]) == len(row[1]) == 64
        assert int(row[0], 16) >= 0 and row[0] == row[0].lower()
        assert len(row[6]) == 7 and row[6][4] == "-"
    text = repr(rows)
    assert "Dupont" not in text and "DUPONT" not in text and "Marie" not in text


def test_the_table_takes_the_columns_in_any_order_and_skips_blank_lines():
    rows = [
        ["Genre", "Date de naissance", "Prénom", "Nom de naissance"],
        ["F", "01/01/2000", "Marie", "Dupont"],
    ]
    rows.append([None, None, None, None])

    header, table = pseudonymise_table(
        rows, Mapping("Nom de naissance", "Prénom", "Date de naissance", keep=["Genre"])
    )

    pseudonym = pseudonymise("DUPONT", "MARIE", "01/01/2000")
    assert header == [*KEY_COLUMNS, "Genre"]
    assert table == [[pseudonym.primary_key, pseudonym.secondary_key, "01", "2000", "F"]]


def test_a_bad_birth_date_is_refused_with_its_line():
    rows = nominative_rows(3)
    rows[3][2] = "32/01/2000"

    with pytest.raises(PseudonymisationError, match=r"^Ligne 4 : La date « 32/01/2000 » n’existe pas\.$"):
        pseudonymise_table(rows, MAPPING)


def test_a_bad_date_to_minimise_is_refused_with_its_line_and_column():
    rows = nominative_rows(3)
    rows[2][4] = "bientôt"

    with pytest.raises(
        PseudonymisationError, match=r"^Ligne 3, colonne « Date début mesure » : La date « bientôt »"
    ):
        pseudonymise_table(rows, MAPPING)


def test_a_missing_column_is_refused_naming_the_columns_found():
    with pytest.raises(
        PseudonymisationError, match="La colonne « Nom marital » n’est pas dans la première ligne"
    ):
        pseudonymise_table([HEADER], Mapping("Nom marital", "Prénom", "Date de naissance"))


@pytest.mark.parametrize(
    "repeated", ["DUPONT", "d'upont", "Marie", "01/01/2000", "2000-01-01", date(2000, 1, 1)]
)
def test_a_kept_column_repeating_the_name_first_name_or_birth_date_is_refused(repeated):
    rows = [["Nom", "Prénom", "Naissance", "Nom d’usage"], ["Dupont", "Marie", "01/01/2000", repeated]]

    with pytest.raises(
        PseudonymisationError, match=r"^Ligne 2, colonne « Nom d’usage » : elle répète le nom"
    ):
        pseudonymise_table(rows, Mapping("Nom", "Prénom", "Naissance", keep=["Nom d’usage"]))


def test_a_kept_column_with_other_names_or_dates_is_sent():
    rows = [["Nom", "Prénom", "Naissance", "Nom d’usage"], ["Dupont", "Marie", "01/01/2000", "Martin"]]
    rows.append(["Durand", "Léa", "02/01/2000", "01/01/2000"])

    header, table = pseudonymise_table(rows, Mapping("Nom", "Prénom", "Naissance", keep=["Nom d’usage"]))

    assert [row[-1] for row in table] == ["Martin", "01/01/2000"]


def test_a_column_used_for_the_keys_cannot_also_be_kept():
    with pytest.raises(PseudonymisationError, match="« Prénom » sert aux clés"):
        pseudonymise_table(
            nominative_rows(1), Mapping("Nom de naissance", "Prénom", "Date de naissance", keep=["Prénom"])
        )


def test_an_empty_file_is_refused():
    with pytest.raises(PseudonymisationError, match="Le fichier est vide"):
        pseudonymise_table([], MAPPING)
