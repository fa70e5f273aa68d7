"""A correspondent pseudonymises a nominative extract in the browser (PIPASE annex 1): every request the
page makes is recorded and none carries a name, a first name or a birth date, and the file saved is,
byte for byte, the one `manage.py pseudonymise` writes from the same extract. A correspondent designated
on a data-transfer convention sends that file from the page: the upload carries the keys, no name."""

import io
from datetime import date
from pathlib import Path
from urllib.parse import unquote_plus

import pytest
from django.core.management import call_command
from django.core.signals import request_started
from playwright.sync_api import expect

from tests.uploads.transfers.factories import department, designate, transfer_convention
from tests.uploads.transfers.nominative import csv_bytes, nominative_rows, writable_in, xlsx_bytes
from uploads.transfers import services
from uploads.transfers.models import Dataset
from uploads.transfers.pseudonymisation import normalise_name, parse_date

MENU = "Pseudonymiser un fichier nominatif"
MENU_LINK = "Pseudonymiser"  # the menu's short name: the correspondent's header stays on one row
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


class Tee:
    """A request's input stream that keeps a copy of every byte the server reads from it."""

    def __init__(self, stream, copy: bytearray):
        self.stream, self.copy = stream, copy

    def read(self, *args):
        data = self.stream.read(*args)
        self.copy.extend(data)
        return data

    def readline(self, *args):
        line = self.stream.readline(*args)
        self.copy.extend(line)
        return line


@pytest.fixture
def bodies_received():
    """Each request body as the server read it. The browser's recorder cannot see a file sent in a
    multipart form (Chromium hands over no file data), so the upload's body is recorded where it lands."""
    bodies: list[bytearray] = []

    def tee(sender, environ, **kwargs):
        bodies.append(bytearray())
        environ["wsgi.input"] = Tee(environ["wsgi.input"], bodies[-1])

    request_started.connect(tee, weak=False)
    yield bodies
    request_started.disconnect(tee)


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
    journey.menu(MENU_LINK).click()
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


def test_designated_correspondent_pseudonymises_a_workbook_and_sends_only_the_keys(
    journey, correspondent, partner, tmp_path, bodies_received
):
    convention = transfer_convention(partner, department())
    designate(convention, partner, correspondent)
    rows = nominative_rows(40)
    source = tmp_path / "extraction-ase.xlsx"
    source.write_bytes(xlsx_bytes(rows))
    secrets = identifying_strings(rows)
    requests = record_requests(journey.page)
    page = journey.page

    journey.sign_in(correspondent)
    journey.visit("/transfers/pseudonymise/", "page", heading=MENU)
    saved = pseudonymise_in_the_page(
        journey, source, {"Genre": "Transmettre telle quelle", "Commune": "Transmettre telle quelle"}
    )
    sent = page.get_by_role("form", name="Envoyer ce fichier pseudonymisé")
    expect(sent.get_by_label("Convention")).to_have_text(f"{convention.reference}, au nom de {partner.name}")
    sent.get_by_label("Base (annexe 2)").select_option("externe")
    sent.get_by_label("Intitulé").fill("Extraction ASE pseudonymisée")
    sent.get_by_role("button", name="Envoyer ce fichier pseudonymisé").click()

    expect(page.get_by_role("status")).to_contain_text("Jeu de données reçu, vérifié et conservé chiffré")
    journey.check("sent", heading="Extraction ASE pseudonymisée")
    assert len([text for text in requests if text.startswith("POST ") and "/datasets/new/" in text]) == 1
    received = [body.decode("utf-8", "replace") for body in bodies_received]
    uploads = [body for body in received if 'name="file"' in body]
    assert len(uploads) == 1
    assert saved.decode("utf-8") in uploads[0], "the recorder sees the file sent, whole"
    assert leaks(requests, secrets) == []
    assert leaks(received, secrets) == []
    dataset = Dataset.objects.get(convention=convention)
    with services.open_dataset(dataset) as table:
        stored = [table.header, *table.rows]
    assert stored[0] == [
        "cle_primaire",
        "cle_secondaire",
        "mois_naissance",
        "annee_naissance",
        "Commune",
        "Genre",
    ]
    sent_keys = [line.split(";")[:2] for line in saved.decode("utf-8").splitlines()[1:]]
    assert [row[:2] for row in stored[1:]] == sent_keys
