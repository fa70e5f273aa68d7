"""The page where a correspondent pseudonymises a nominative file in their browser."""

import json
import re

import pytest
from django.urls import reverse

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
    assert "Pseudonymiser un fichier nominatif" in home.text
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
