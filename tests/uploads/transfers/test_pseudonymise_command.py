"""`manage.py pseudonymise`: the Département's IT pseudonymises an extract with the page's rules."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.uploads.transfers.nominative import csv_bytes, nominative_rows, writable_in, xlsx_bytes
from uploads.transfers.pseudonymisation import Mapping, pseudonymise_table

ROOT = Path(__file__).resolve().parents[3]
COLUMNS = ["--name", "Nom de naissance", "--first-name", "Prénom", "--birth-date", "Date de naissance"]
OPTIONS = [*COLUMNS, "--keep", "Commune", "--keep", "Genre", "--minimise-date", "Date début mesure"]
MAPPING = Mapping(
    name="Nom de naissance",
    first_name="Prénom",
    birth_date="Date de naissance",
    keep=["Commune", "Genre"],
    minimise=["Date début mesure"],
)


def pseudonymise(tmp_path, content: bytes, *options: str, name: str = "extraction.xlsx") -> list[list[str]]:
    source = tmp_path / name
    source.write_bytes(content)
    call_command("pseudonymise", str(source), str(tmp_path / "out.csv"), *options, stdout=io.StringIO())
    return read_output(tmp_path / "out.csv")


def read_output(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""), delimiter=";"))


def test_an_xlsx_extract_becomes_keys_birth_month_and_year_then_the_kept_columns(tmp_path):
    rows = nominative_rows(30)

    written = pseudonymise(tmp_path, xlsx_bytes(rows), *OPTIONS)

    header, table = pseudonymise_table(rows, MAPPING)
    assert written == [header, *table]
    assert written[0] == [
        "cle_primaire",
        "cle_secondaire",
        "mois_naissance",
        "annee_naissance",
        "Commune",
        "Genre",
        "Date début mesure",
    ]
    assert "Firminy; centre" in {row[4] for row in written}  # a value holding the separator is quoted


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "utf-8"), (",", "utf-8-sig"), (";", "cp1252"), (",", "latin-1")]
)
def test_a_csv_extract_gives_the_same_keys_whatever_its_separator_and_encoding(tmp_path, delimiter, encoding):
    rows = writable_in(encoding, nominative_rows(20, text_dates=True))
    assert rows[0][0] == "Nom de naissance" and len(rows) > 10

    written = pseudonymise(
        tmp_path, csv_bytes(rows, delimiter=delimiter, encoding=encoding), *OPTIONS, name="x.csv"
    )

    header, table = pseudonymise_table(rows, MAPPING)
    assert written == [header, *table]


def test_kept_columns_may_follow_one_option_or_repeat_it(tmp_path):
    content = xlsx_bytes(nominative_rows(5))

    one_option = pseudonymise(tmp_path, content, *COLUMNS, "--keep", "Commune", "Genre")
    repeated = pseudonymise(tmp_path, content, *COLUMNS, "--keep", "Commune", "--keep", "Genre")

    assert one_option == repeated
    assert one_option[0][4:] == ["Commune", "Genre"]


def test_the_keys_do_not_depend_on_whether_dates_are_cells_or_text(tmp_path):
    from_cells = pseudonymise(tmp_path, xlsx_bytes(nominative_rows(20)), *COLUMNS)
    from_text = pseudonymise(
        tmp_path, csv_bytes(nominative_rows(20, text_dates=True)), *COLUMNS, name="x.csv"
    )

    assert from_cells == from_text


def test_a_missing_column_is_refused_and_nothing_is_written(tmp_path):
    source = tmp_path / "extraction.xlsx"
    source.write_bytes(xlsx_bytes(nominative_rows(3)))

    with pytest.raises(CommandError, match="La colonne « Nom » n’est pas dans la première ligne"):
        call_command(
            "pseudonymise",
            str(source),
            str(tmp_path / "out.csv"),
            "--name",
            "Nom",
            *COLUMNS[2:],
            "--keep",
            "Genre",
        )
    assert not (tmp_path / "out.csv").exists()


def test_a_bad_birth_date_is_refused_with_its_line(tmp_path):
    rows = nominative_rows(5)
    rows[5][2] = "le 3 mai"
    source = tmp_path / "extraction.xlsx"
    source.write_bytes(xlsx_bytes(rows))

    with pytest.raises(CommandError, match=r"Ligne 6 : La date « le 3 mai » n’est pas écrite JJ/MM/AAAA"):
        call_command("pseudonymise", str(source), str(tmp_path / "out.csv"), *COLUMNS)
    assert not (tmp_path / "out.csv").exists()


def test_a_damaged_workbook_is_refused_with_a_sentence(tmp_path):
    source = tmp_path / "extraction.xlsx"
    source.write_bytes(b"PK\x03\x04" + b"\x00" * 200)

    with pytest.raises(CommandError, match="n’est pas un classeur lisible"):
        call_command("pseudonymise", str(source), str(tmp_path / "out.csv"), *COLUMNS)


def test_a_binary_file_is_refused_with_a_sentence(tmp_path):
    source = tmp_path / "extraction.pdf"
    source.write_bytes(b"%PDF-1.4\x00\x01\x02")

    with pytest.raises(CommandError, match="ni un classeur ni un fichier CSV"):
        call_command("pseudonymise", str(source), str(tmp_path / "out.csv"), *COLUMNS)


def test_from_the_shell_a_refusal_prints_a_french_sentence_exits_non_zero_without_traceback(tmp_path):
    rows = nominative_rows(2)
    rows[2][0] = "Иванов"
    source = tmp_path / "extraction.xlsx"
    source.write_bytes(xlsx_bytes(rows))
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}

    result = subprocess.run(
        [sys.executable, "manage.py", "pseudonymise", str(source), str(tmp_path / "out.csv"), *COLUMNS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )

    assert result.returncode == 1
    assert (
        "Ligne 3 : Le nom « Иванов » contient une lettre qui n’est pas de l’alphabet latin" in result.stderr
    )
    assert "Traceback" not in result.stderr
    missing = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "pseudonymise",
            str(tmp_path / "absent.csv"),
            str(tmp_path / "o.csv"),
            *COLUMNS,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert missing.returncode == 1
    assert "Impossible de lire" in missing.stderr and "Traceback" not in missing.stderr
