"""A partner's name with its article: « du Centre hospitalier », « de la CAF », « de l'ARS », never « de Le »."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from conventions.models import Partner
from conventions.names import of_name, split_article, to_name, with_article
from tests.conventions.factories import PartnerFactory
from tests.uploads.factories import CampaignFactory, SubmissionFactory, TableRequirementFactory
from uploads.reminders import send_due_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def requirement(partner):
    return TableRequirementFactory(partner=partner)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Le Centre Hospitalier de Roanne", ("le", "Centre Hospitalier de Roanne")),
        (
            "La Caisse d'Allocations Familiales de la Loire",
            ("la", "Caisse d'Allocations Familiales de la Loire"),
        ),
        ("L'Agence Régionale de Santé (ARS)", ("l'", "Agence Régionale de Santé (ARS)")),
        ("L’Ordre des Avocats", ("l'", "Ordre des Avocats")),
        ("Les services d'Hospitalisation à Domicile", ("les", "Services d'Hospitalisation à Domicile")),
        ("Lycée Claude Fauriel", ("", "Lycée Claude Fauriel")),
        ("Laboratoire Max Weber", ("", "Laboratoire Max Weber")),
    ],
)
def test_the_article_is_taken_out_of_a_name_as_the_convention_writes_it(name, expected):
    assert split_article(name) == expected


@pytest.mark.parametrize(
    ("article", "name", "the", "of", "to"),
    [
        ("le", "CHU", "le CHU", "du CHU", "au CHU"),
        ("la", "CAF", "la CAF", "de la CAF", "à la CAF"),
        ("l'", "ARS", "l'ARS", "de l'ARS", "à l'ARS"),
        ("les", "Centres", "les Centres", "des Centres", "aux Centres"),
        ("", "Enedis", "Enedis", "d'Enedis", "à Enedis"),
        (
            "",
            "Saint-Etienne Métropole",
            "Saint-Etienne Métropole",
            "de Saint-Etienne Métropole",
            "à Saint-Etienne Métropole",
        ),
    ],
)
def test_a_name_in_a_french_sentence(article, name, the, of, to):
    assert (with_article(article, name), of_name(article, name), to_name(article, name)) == (the, of, to)


def test_a_partner_speaks_french_with_its_short_name_or_its_full_name():
    partner = PartnerFactory(
        article=Partner.Article.LE, name="Centre Hospitalier de Firminy", short_name="CH"
    )

    assert (partner.of_name(), partner.of_name(full=True)) == ("du CH", "du Centre Hospitalier de Firminy")
    with translation.override("en"):
        assert partner.of_name() == "of CH"


def test_the_template_link_says_de_la_caf(correspondent_client, partner, requirement):
    Partner.objects.filter(pk=partner.pk).update(article="la")
    SubmissionFactory(campaign=CampaignFactory(), partner=partner, spec=requirement.spec)

    response = correspondent_client.get(reverse("uploads:collection"))

    assertContains(response, "Télécharger le modèle de la CAF (.xlsx)")


def test_the_reminder_says_which_tables_are_expected_du_centre_hospitalier(
    correspondent, partner, requirement
):
    Partner.objects.filter(pk=partner.pk).update(article="le", short_name="Centre hospitalier")
    campaign = CampaignFactory(opens_on=date(2026, 1, 5), due_on=date(2026, 3, 31))
    SubmissionFactory(campaign=campaign, partner=partner, spec=requirement.spec)

    send_due_reminders(date(2026, 1, 5))

    assert "Les tableaux suivants du Centre hospitalier sont encore attendus" in " ".join(
        mail.outbox[0].body.split()
    )


def test_the_partner_page_says_par_l_ars(member_client):
    partner = PartnerFactory(article="l'", name="Agence régionale de santé", short_name="ARS")

    response = member_client.get(reverse("conventions:partner_detail", args=[partner.pk]))

    assertContains(response, "Conventions signées par l&#x27;Agence régionale de santé")


def test_a_short_name_already_in_the_name_is_not_repeated_on_the_correspondents_home(client, correspondent):
    Partner.objects.filter(name__contains="Caisse").update(name="Caisse d'allocations familiales (CAF)")
    client.force_login(correspondent)

    response = client.get(reverse("home"))

    assertContains(response, "Caisse d&#x27;allocations familiales (CAF)")
    assertNotContains(response, "(CAF) (CAF)")


def test_the_admin_gives_a_partner_its_article_on_the_partner_page(admin_client, partner):
    data = {"article": "la", "name": partner.name, "short_name": "CAF", "kind": partner.kind}

    response = admin_client.post(reverse("conventions:partner_edit", args=[partner.pk]), data)

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.of_name() == "de la CAF"


def test_the_django_admin_partner_form_has_the_article(admin_client, partner):
    response = admin_client.get(reverse("admin:conventions_partner_change", args=[partner.pk]))

    assertContains(response, 'name="article"')
