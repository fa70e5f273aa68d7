"""The table-spec page says each column's rules in French, not in Table Schema's words."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.uploads.factories import COUNTS_SCHEMA, TableSpecFactory
from uploads.workbooks.template import describe_field

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("field", "rules"),
    [
        (
            {"name": "n", "type": "integer", "constraints": {"required": True, "minimum": 0}},
            "nombre entier, obligatoire, au moins 0",
        ),
        ({"name": "t"}, "texte, facultatif"),
        (
            {"name": "r", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
            "nombre décimal, facultatif, entre 0 et 100",
        ),
        (
            {"name": "s", "type": "string", "constraints": {"enum": ["F", "M"]}},
            f"texte, facultatif, valeurs possibles{NBSP}: «{NBSP}F{NBSP}», «{NBSP}M{NBSP}»",
        ),
        (
            {"name": "c", "constraints": {"minLength": 5, "maxLength": 5}},
            "texte, facultatif, exactement 5 caractères",
        ),
    ],
)
def test_a_column_s_rules_read_as_a_french_sentence(field, rules):
    assert describe_field(field) == rules


def test_the_spec_page_shows_no_schema_vocabulary(referent_client):
    schema = {
        **COUNTS_SCHEMA,
        "fields": [
            *COUNTS_SCHEMA["fields"],
            {"name": "sexe", "title": "Sexe", "type": "string", "constraints": {"enum": ["F", "M"]}},
        ],
    }
    spec = TableSpecFactory(schema=schema)

    response = referent_client.get(reverse("uploads:spec_detail", args=[spec.pk]))

    assertContains(response, "nombre entier, obligatoire, au moins 0")
    page = response.content.decode()
    columns = page[page.index("<caption>") : page.index("</table>")]
    for technical in ("required", "True", "integer", "minimum", "[&#x27;F&#x27;, &#x27;M&#x27;]"):
        assert technical not in columns
