"""The referent opens a year's collection and follows who sent what; other partners see nothing of it."""

import csv
import io
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from odpe.audit import Actor
from tests.dashboards.factories import ConsentRequestFactory, DocumentFactory
from tests.uploads.factories import CampaignFactory, SubmissionFactory, TableRequirementFactory, xlsx_upload
from uploads import services


def test_referent_opens_a_campaign_and_follows_the_completeness_matrix(
    journey, referent, partner, other_partner
):
    TableRequirementFactory(partner=partner, spec__title="Allocataires par territoire")
    TableRequirementFactory(partner=other_partner, spec__title="Enfants reçus en UAPED")
    today = timezone.localdate()
    page = journey.page
    journey.sign_in(referent)

    journey.menu("Campagnes").click()
    journey.check("campaigns", heading="Campagnes de collecte")
    page.get_by_role("link", name="Nouvelle campagne").click()
    journey.check("new-campaign", heading="Nouvelle campagne")
    page.get_by_label("Année des données").fill("2025")
    page.get_by_label("Date d’ouverture").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("Date limite").fill(f"{today + timedelta(days=60):%Y-%m-%d}")
    page.get_by_role("button", name="Créer la campagne").click()

    journey.check("matrix", heading="Campagne 2025")
    matrix = page.get_by_role("table", name=re.compile("Partenaires × tableaux attendus"))
    expect(matrix).to_contain_text(partner.name)
    expect(matrix).to_contain_text(other_partner.name)
    expect(matrix.get_by_text("Aucun envoi")).to_have_count(2)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le tableau de complétude (CSV)").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig")), delimiter=";"))
    assert {row[0] for row in rows[1:]} == {partner.name, other_partner.name}


def test_a_correspondent_of_another_partner_is_refused_every_page_of_the_first(
    journey, correspondent, other_partner_correspondent, partner, django_capture_on_commit_callbacks
):
    requirement = TableRequirementFactory(partner=partner)
    submission = SubmissionFactory(campaign=CampaignFactory(), partner=partner, spec=requirement.spec)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.receive_upload(
            submission, actor=Actor(user=correspondent), uploaded_file=xlsx_upload(), attested=True
        )
    urls = {
        "submission": submission.get_absolute_url(),
        "version": version.get_absolute_url(),
        "file": f"{version.get_absolute_url()}file/",
        "report": f"{version.get_absolute_url()}report/",
        "template": f"/collection/{submission.campaign.pk}/template/{partner.pk}/",
        "consent-request": ConsentRequestFactory(partner=partner).get_absolute_url(),
        "shared-document": DocumentFactory(partner=partner).get_absolute_url(),
    }
    journey.sign_in(other_partner_correspondent)

    for step, url in urls.items():
        journey.visit(url, f"refused-{step}", status=404, heading="Page introuvable")
