"""A correspondent pseudonymises a nominative extract in the browser (PIPASE annex 1): every request the
page makes is recorded and none carries a name, a first name or a birth date, and the file saved is,
byte for byte, the one `manage.py pseudonymise` writes from the same extract."""

import io
from datetime import date
from pathlib import Path
from urllib.parse import unquote_plus

from django.core.management import call_command
from playwright.sync_api import expect

from tests.uploads.transfers.nominative import csv_bytes, nominative_rows, writable_in, xlsx_bytes
from uploads.transfers.pseudonymisation import normalise_name, parse_date

MENU = "Pseudonymiser un fichier nominatif"
KEYS = ["--name", "Nom de naissance", "--first-name", "Prénom", "--birth-date", "Date de naissance"]


def identifying_strings(rows) -> set[str]:
    """Every name and first name as written and as normalised, every birth date in every shape."""
    found = set()
    for name, first_name, born, *_ in rows[1:]:
        found |= {name, first_name, normalise_name(name), normalise_name(first_name)}
        day = parse_date(born)
        found |= {
            day.strftime("%d/%m/%Y"),
            day.strftime("%d-%m-%Y"),
            day.isoformat(),
            day.strftime("%d%m%Y"),
            f"{day.year}/{day.day:02d}/{day.month:02d}",
            str(born),
        }
    return found


def record_requests(page) -> list[str]:
    """Each request as one text: method, URL, headers and body (as sent, and URL-decoded)."""
    seen = []

    def record(request):
        body = request.post_data_buffer or b""
        seen.append(
            " ".join(
                [request.method, request.url, *request.headers.values(), body.decode("utf-8", "replace")]
            )
        )

    page.on("request", record)
    return seen


def leaks(requests: list[str], secrets: set[str]) -> list[str]:
    return sorted(
        {secret for text in requests for secret in secrets if secret in text or secret in unquote_plus(text)}
    )


def command_output(tmp_path: Path, source: Path, *options: str) -> bytes:
    output = tmp_path / "par-la-commande.csv"
    call_command("pseudonymise", str(source), str(output), *options, stdout=io.StringIO())
    return output.read_bytes()


def pseudonymise_in_the_page(journey, source: Path, columns: dict[str, str]) -> bytes:
    page = journey.page
    page.get_by_label("Fichier nominatif").set_input_files(source)
    expect(page.get_by_label("Colonne du nom de naissance")).to_have_value("Nom de naissance")
    expect(page.get_by_label("Colonne du prénom")).to_have_value("Prénom")
    expect(page.get_by_label("Colonne de la date de naissance")).to_have_value("Date de naissance")
    for column, choice in columns.items():
        page.get_by_label(column, exact=True).select_option(label=choice)
    journey.check("mapped")
    page.get_by_role("button", name="Pseudonymiser").click()
    expect(
        page.get_by_role("heading", name="Vérifiez et enregistrez le fichier pseudonymisé")
    ).to_be_focused()
    journey.check("pseudonymised")
    with page.expect_download() as download:
        page.get_by_role("link", name="Enregistrer le fichier pseudonymisé").click()
    assert download.value.suggested_filename == f"{source.stem}-pseudonymise.csv"
    return Path(download.value.path()).read_bytes()


def test_correspondent_pseudonymises_a_workbook_without_a_name_leaving_the_browser(
    journey, correspondent, tmp_path
):
    rows = nominative_rows(40)
    source = tmp_path / "extraction-ase.xlsx"
    source.write_bytes(xlsx_bytes(rows))
    secrets = identifying_strings(rows)
    assert {"Œuvrard", "Lætitia", "de La Fontaine", "N’Diaye", "Jean-Baptiste"} <= secrets
    assert any(isinstance(row[2], date) for row in rows[1:]), "the workbook holds date cells"
    requests = record_requests(journey.page)

    journey.sign_in(correspondent)
    journey.menu(MENU).click()
    journey.check("page", heading=MENU)
    saved = pseudonymise_in_the_page(
        journey,
        source,
        {
            "Commune": "Transmettre telle quelle",
            "Genre": "Transmettre telle quelle",
            "Date début mesure": "Transmettre en mois et année (une date)",
        },
    )

    expected = command_output(
        tmp_path,
        source,
        *KEYS,
        "--keep",
        "Commune",
        "--keep",
        "Genre",
        "--minimise-date",
        "Date début mesure",
    )
    assert saved == expected
    assert saved.decode("utf-8").count("\r\n") == 41
    preview = journey.page.get_by_role("table")
    expect(preview.locator("tbody tr")).to_have_count(10)
    # The watch sees bodies: the sign-in form's e-mail address is found in them.
    assert leaks(requests, {correspondent.email}) == [correspondent.email]
    assert leaks(requests, secrets) == []
    assert leaks([saved.decode("utf-8")], secrets) == []


def test_correspondent_pseudonymises_a_latin1_csv_after_two_refusals(journey, correspondent, tmp_path):
    rows = writable_in("cp1252", nominative_rows(25, text_dates=True))
    rows[3][2] = "31/02/2001"
    source = tmp_path / "extraction-caf.csv"
    source.write_bytes(csv_bytes(rows, delimiter=",", encoding="cp1252"))
    requests = record_requests(journey.page)
    page = journey.page

    journey.sign_in(correspondent)
    journey.visit("/transfers/pseudonymise/", "page", heading=MENU)
    page.get_by_label("Fichier nominatif").set_input_files(source)
    page.get_by_label("Genre", exact=True).select_option(label="Transmettre telle quelle")
    page.get_by_label("Nom d'usage", exact=True).select_option(label="Transmettre telle quelle")
    page.get_by_role("button", name="Pseudonymiser").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Ligne 3, colonne « Nom d'usage » : elle répète le nom, le prénom ou la date de naissance"
    )
    page.get_by_label("Nom d'usage", exact=True).select_option(label="Ne pas transmettre")
    page.get_by_role("button", name="Pseudonymiser").click()
    expect(page.get_by_role("alert")).to_have_text("Ligne 4 : La date « 31/02/2001 » n’existe pas.")
    journey.check("refused")

    rows[3][2] = "28/02/2001"
    source = tmp_path / "extraction-caf-corrigee.csv"
    source.write_bytes(csv_bytes(rows, delimiter=",", encoding="cp1252"))
    saved = pseudonymise_in_the_page(journey, source, {"Genre": "Transmettre telle quelle"})

    assert saved == command_output(tmp_path, source, *KEYS, "--keep", "Genre")
    assert leaks(requests, identifying_strings(rows)) == []
