"""The referent asks a partner for specific data, the correspondent finds it on the home and answers it, the
referent accepts it and it is gone from the homes; then the referent reminds the partners still missing a
table after reading the e-mail's preview."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.dashboards.factories import PDF_BYTES
from tests.e2e.conftest import french_date
from tests.uploads.factories import CampaignFactory, SubmissionFactory, TableRequirementFactory
from uploads.data_requests.models import Addressee
from uploads.models import ReminderSent


@pytest.fixture
def missing_table(partner):
    """A 2025 table not sent, three days past its due date."""
    requirement = TableRequirementFactory(partner=partner)
    today = timezone.localdate()
    campaign = CampaignFactory(
        data_year=2025, opens_on=today - timedelta(days=40), due_on=today - timedelta(days=3)
    )
    return SubmissionFactory(campaign=campaign, partner=partner, spec=requirement.spec)


def test_referent_asks_for_data_the_correspondent_answers_and_the_referent_accepts(
    journey, second_page, referent, correspondent, partner, tmp_path
):
    page = journey.page
    journey.sign_in(referent)
    journey.menu("Demandes de données").click()
    journey.check("requests", heading="Demandes de données")
    page.get_by_role("link", name="Nouvelle demande de données").click()
    journey.check("new-request", heading="Nouvelle demande de données")
    page.get_by_label("Objet").fill("Mesures en cours au 30 juin")
    page.get_by_label("Message aux partenaires").fill(
        "Le nombre de mesures en cours au 30 juin, par territoire."
    )
    page.get_by_label("Réponse attendue au plus tard le").fill(
        (timezone.localdate() + timedelta(days=10)).isoformat()
    )
    page.get_by_label(partner.name).check()
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("status")).to_contain_text("Demande envoyée")
    journey.check("request-sent", heading="Mesures en cours au 30 juin")

    # The correspondent, in a browser of their own, finds the request and answers it.
    journey.page = second_page
    journey.sign_in(correspondent)
    journey.check("correspondent-home", heading="Bonjour")
    requests = second_page.get_by_role("list", name=re.compile("Demandes de données auxquelles répondre"))
    requests.get_by_role("link", name=re.compile("Mesures en cours au 30 juin")).click()
    journey.check("request", heading="Mesures en cours au 30 juin")
    answer = tmp_path / "mesures.pdf"
    answer.write_bytes(PDF_BYTES)
    second_page.get_by_label("Votre réponse (fichier)").set_input_files(answer)
    second_page.get_by_role("button", name="Envoyer la réponse").click()
    expect(second_page.get_by_role("status")).to_contain_text("Réponse envoyée")
    journey.check("answered")

    # The referent finds the answer on the home and accepts it: nothing is owed any more.
    journey.page = page
    journey.menu("Accueil").click()
    journey.check("referent-home", heading="Bonjour")
    answers = page.get_by_role("list", name=re.compile("Réponses aux demandes de données à examiner"))
    answers.get_by_role("link", name=re.compile("Mesures en cours au 30 juin")).click()
    page.get_by_role("button", name="Accepter la réponse").click()
    expect(page.get_by_role("status")).to_contain_text("Réponse acceptée")
    journey.check("accepted")
    assert Addressee.objects.get().status == Addressee.Status.ACCEPTED
    journey.menu("Accueil").click()
    journey.check("referent-home-after", heading="Bonjour")
    expect(page.get_by_role("main")).not_to_contain_text("Mesures en cours au 30 juin")
    expect(page.get_by_role("list", name=re.compile("Réponses aux demandes de données"))).to_have_count(0)

    journey.page = second_page
    journey.menu("Accueil").click()
    journey.check("correspondent-home-after", heading="Bonjour")
    expect(second_page.get_by_role("list", name=re.compile("Demandes de données"))).to_have_count(0)


def test_referent_reminds_those_still_missing_after_the_preview(
    journey, referent, correspondent, missing_table
):
    page = journey.page
    journey.sign_in(referent)
    journey.check("referent-home", heading="Bonjour")
    late = page.get_by_role("list", name=re.compile("Partenaires en retard"))
    expect(late).to_contain_text("en retard de 3 jours.")
    expect(late).not_to_contain_text("Dernière relance")
    late.get_by_role("link").first.click()
    journey.check("campaign")
    expect(page.get_by_role("table", name=re.compile("Partenaires"))).to_contain_text(correspondent.email)
    page.get_by_role("link", name="Relancer maintenant").click()
    journey.check("preview", heading="Relancer maintenant")
    expect(page.locator(".email-preview")).to_contain_text(missing_table.spec.title)
    mail.outbox.clear()
    page.get_by_role("button", name="Envoyer la relance").click()
    expect(page.get_by_role("status")).to_contain_text("ont été relancés")
    journey.check("reminded")
    expect(page.get_by_text("1 relance")).to_be_visible()
    assert ReminderSent.objects.filter(milestone=ReminderSent.MANUAL).count() == 1

    journey.menu("Accueil").click()
    journey.check("referent-home-after", heading="Bonjour")
    expect(late).to_contain_text(f"Dernière relance le {french_date(timezone.localdate())}.")
