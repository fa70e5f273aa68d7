"""The page where a correspondent pseudonymises a nominative file in their browser, then, when a
data-transfer convention designates them, sends the pseudonymised file to that convention's upload page."""

import html
import io
import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import signed_in
from tests.uploads.transfers.factories import department, designate, transfer_convention, upload
from tests.uploads.transfers.nominative import nominative_rows, xlsx_bytes
from uploads.transfers import services
from uploads.transfers.models import Dataset
from uploads.transfers.pseudonymisation import (
    Mapping,
    PseudonymisationError,
    pseudonymise_table,
)

URL = reverse("transfers:pseudonymise")


def browser_messages(response) -> dict[str, str]:
    found = re.search(
        r'<script id="pseudonymise-messages" type="application/json">(.*?)</script>', response.text
    )
    return json.loads(found.group(1))


@pytest.mark.django_db
def test_correspondent_reaches_the_page_from_the_menu_and_it_sends_nothing(correspondent_client):
    home = correspondent_client.get(reverse("home"))
    response = correspondent_client.get(URL)

    assert f'href="{URL}"' in home.text
    assert ">Pseudonymiser</a>" in home.text
    assert response.status_code == 200
    assert "n’est jamais envoyé à la plateforme" in response.text
    assert "js/pseudonymise.js" in response.text
    assert "method=" not in response.text.split('<main id="main"')[1].split("</main>")[0]


@pytest.mark.django_db
def test_member_is_refused_the_page(member_client):
    assert member_client.get(URL).status_code == 403


def refusal(rows, mapping) -> str:
    with pytest.raises(PseudonymisationError) as caught:
        pseudonymise_table(rows, mapping)
    return str(caught.value)


@pytest.mark.django_db
def test_the_browser_refuses_with_the_same_french_sentences_as_python(correspondent_client):
    messages = browser_messages(correspondent_client.get(URL))
    mapping = Mapping("Nom", "Prénom", "Naissance", minimise=["Début"])
    header = ["Nom", "Prénom", "Naissance", "Début", "Autre"]

    def say(key, **values):
        return re.sub(r"%\((\w+)\)s", lambda found: str(values[found.group(1)]), messages[key])

    assert refusal([header, ["Dupont", "Marie", "31/02/2001", ""]], mapping) == say(
        "line", line=2, error=say("date_impossible", value="31/02/2001")
    )
    assert refusal([header, ["Dupont", "Marie", "le 3 mai", ""]], mapping) == say(
        "line", line=2, error=say("date_shape", value="le 3 mai")
    )
    assert refusal([header, ["Dupont", "Marie", "", ""]], mapping) == say(
        "line", line=2, error=say("date_empty")
    )
    assert refusal([header, [], ["Иванов", "Marie", "01/01/2000", ""]], mapping) == say(
        "line", line=3, error=say("not_latin", what=messages["name"], value="Иванов", letter="И")
    )
    assert refusal([header, ["Dupont", "--", "01/01/2000", ""]], mapping) == say(
        "line", line=2, error=say("no_letter", what=messages["first_name"], value="--")
    )
    assert refusal([header, ["Dupont", "Marie", "01/01/2000", "mai"]], mapping) == say(
        "line_column", line=2, column="Début", error=say("date_shape", value="mai")
    )
    assert refusal([header], Mapping("Nom", "Prénom", "Naissance", keep=["Nom"])) == say(
        "shared", column="Nom"
    )
    assert refusal([], mapping) == say("empty_file")
    assert refusal(
        [header, ["Dupont", "Marie", "01/01/2000", "", "Marie"]],
        Mapping("Nom", "Prénom", "Naissance", keep=["Autre"]),
    ) == say("reveals", line=2, column="Autre")


def upload_form(response) -> str:
    found = re.search(r"<form [^>]*data-pseudonymise-upload.*?</form>", response.text, re.S)
    return html.unescape(found.group(0)) if found else ""


@pytest.mark.django_db
def test_a_designated_correspondent_is_offered_to_send_the_file_to_their_conventions(partner, correspondent):
    partner.article = "la"
    partner.save()
    in_force = transfer_convention(partner, department())
    closed = transfer_convention(partner, department(), closed_at=timezone.now() - timedelta(days=1))
    designate(in_force, partner, correspondent)
    designate(closed, partner, correspondent)

    form = upload_form(signed_in(correspondent).get(URL))

    assert 'enctype="multipart/form-data"' in form
    assert reverse("transfers:dataset_upload", args=[in_force.pk]) in form
    assert reverse("transfers:dataset_upload", args=[closed.pk]) not in form
    assert f"{in_force.reference}, au nom de la Caisse d'Allocations Familiales de la Loire" in form
    assert 'name="base"' in form and 'name="label"' in form and 'name="file"' in form


@pytest.mark.django_db
def test_a_correspondent_designated_nowhere_is_offered_no_upload(correspondent_client):
    assert upload_form(correspondent_client.get(URL)) == ""


@pytest.mark.django_db
def test_the_file_pseudonymised_from_a_nominative_workbook_is_accepted_by_the_upload(
    partner, correspondent, tmp_path
):
    convention = transfer_convention(partner, department())
    designate(convention, partner, correspondent)
    source = tmp_path / "extraction.xlsx"
    source.write_bytes(xlsx_bytes(nominative_rows(40)))
    output = tmp_path / "pseudonymise.csv"
    call_command(
        "pseudonymise",
        str(source),
        str(output),
        *["--name", "Nom de naissance", "--first-name", "Prénom", "--birth-date", "Date de naissance"],
        *["--keep", "Commune", "--keep", "Genre", "--minimise-date", "Date début mesure"],
        stdout=io.StringIO(),
    )

    response = signed_in(correspondent).post(
        reverse("transfers:dataset_upload", args=[convention.pk]),
        {
            "partner": partner.pk,
            "base": "externe",
            "label": "Extraction pseudonymisée",
            "file": upload(output.read_bytes(), "extraction-pseudonymise.csv"),
        },
        follow=True,
    )

    assert "Jeu de données reçu, vérifié et conservé chiffré" in response.text
    dataset = Dataset.objects.get()
    assert dataset.rows == 40
    with services.open_dataset(dataset) as table:
        assert table.header[:2] == ["cle_primaire", "cle_secondaire"]
        assert all(re.fullmatch(r"[0-9a-f]{64}", row[0]) for row in table.rows)
