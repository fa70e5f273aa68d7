import csv
import io
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertRedirects

from conventions import services as convention_services
from odpe.audit import Actor
from odpe.roof import withdrawals
from tests.conventions.factories import ConventionFactory, PartnerFactory, sign
from tests.uploads.factories import CampaignFactory, TableRequirementFactory, TableSpecFactory
from uploads.models import Campaign
from uploads.selectors import completeness_matrix, expected_pairs
from uploads.services import open_submissions
from uploads.tasks import send_collection_reminders


def test_a_requirement_under_a_convention_in_force_makes_the_table_expected(db):
    requirement = TableRequirementFactory()
    campaign = CampaignFactory()

    assert expected_pairs(campaign) == {(requirement.partner_id, requirement.spec_id)}


def test_a_requirement_of_an_application_convention_counts_for_parties_of_its_framework(db):
    partner = PartnerFactory()
    framework = ConventionFactory(parties=[partner])
    application = ConventionFactory(bilateral=True, parent=framework)
    requirement = TableRequirementFactory(convention=application, partner=partner, signed=False)

    assert expected_pairs(CampaignFactory()) == {(partner.pk, requirement.spec_id)}


def test_a_partner_whose_withdrawal_took_effect_is_no_longer_expected(db, admin_user):
    requirement = TableRequirementFactory()
    signatory = requirement.convention.signatories.get(partner=requirement.partner)
    today = timezone.localdate()
    withdrawal = convention_services.record_withdrawal(
        signatory,
        actor=Actor(user=admin_user),
        letter_sent_on=today - timedelta(days=200),
        letter_received_on=today - timedelta(days=199),
    )
    withdrawals.apply_due_withdrawals(withdrawal.effective_on)

    assert expected_pairs(CampaignFactory()) == set()


def test_an_ended_convention_expects_nothing(db):
    requirement = TableRequirementFactory(convention=ConventionFactory(ends_on=date(2021, 12, 31)))

    assert expected_pairs(CampaignFactory()) == set()
    assert requirement.pk


def test_an_amendment_adds_a_table_from_its_effective_date(db, admin_user):
    partner = PartnerFactory()
    convention = ConventionFactory(parties=[partner])
    later = timezone.localdate() + timedelta(days=100)
    amendment = convention_services.record_amendment(
        convention,
        actor=Actor(user=admin_user),
        signed_on=later - timedelta(days=5),
        takes_effect_on=later,
        subject="Nouveau tableau",
        effect="other",
    )
    TableRequirementFactory(convention=convention, partner=partner, amendment=amendment, signed=False)

    assert expected_pairs(CampaignFactory()) == set()
    assert len(expected_pairs(CampaignFactory(), on=later)) == 1


def test_referent_creates_a_campaign_and_the_expected_tables_are_opened(referent_client, db):
    requirement = TableRequirementFactory()
    today = timezone.localdate()

    response = referent_client.post(
        reverse("uploads:campaign_create"),
        {
            "data_year": 2025,
            "opens_on": today.isoformat(),
            "due_on": (today + timedelta(days=60)).isoformat(),
        },
    )

    campaign = Campaign.objects.get(data_year=2025)
    assertRedirects(response, campaign.get_absolute_url())
    submission = campaign.submissions.get()
    assert (submission.partner, submission.spec) == (requirement.partner, requirement.spec)


def test_a_campaign_due_before_it_opens_is_refused_with_a_message(referent_client, db):
    response = referent_client.post(
        reverse("uploads:campaign_create"),
        {"data_year": 2025, "opens_on": "2026-03-01", "due_on": "2026-02-01"},
    )

    assert response.status_code == 200
    assert not Campaign.objects.exists()


def test_completeness_matrix_shows_status_and_lateness(db):
    late_partner, other = PartnerFactory(name="Tribunal"), PartnerFactory(name="Association")
    convention = ConventionFactory(parties=[late_partner, other])
    spec = TableSpecFactory(title="Mesures")
    for partner in (late_partner, other):
        TableRequirementFactory(convention=convention, partner=partner, spec=spec, signed=False)
    campaign = CampaignFactory(opens_on=date(2025, 1, 1), due_on=date(2025, 3, 31))

    specs, rows = completeness_matrix(campaign, today=date(2025, 4, 10))

    assert specs == [spec]
    assert [(row.partner.name, row.cells[0].status, row.cells[0].late) for row in rows] == [
        ("Association", "missing", True),
        ("Tribunal", "missing", True),
    ]


def test_completeness_matrix_page_and_csv(referent_client, submission):
    page = referent_client.get(submission.campaign.get_absolute_url())
    assertContains(page, escape(submission.partner.name))

    response = referent_client.get(reverse("uploads:campaign_matrix_csv", args=[submission.campaign.pk]))

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert (
        text.splitlines()[0] == "Partenaire;Tableau;Date limite;Statut;En retard;Dernière version;Envoyée le"
    )
    due_on = submission.campaign.due_on.strftime("%d/%m/%Y")
    assert f"{submission.partner.name};{submission.spec.title};{due_on};Aucun envoi;non;;" in text


def test_a_partner_name_that_looks_like_a_formula_is_neutralised_in_the_csv(referent_client, submission):
    submission.partner.name = '=HYPERLINK("http://example.org")'
    submission.partner.save(update_fields=["name"])

    response = referent_client.get(reverse("uploads:campaign_matrix_csv", args=[submission.campaign.pk]))

    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    assert rows[1][0] == '\'=HYPERLINK("http://example.org")'


def test_collection_page_lists_the_correspondents_tables_and_template(correspondent_client, submission):
    response = correspondent_client.get(reverse("uploads:collection"))

    assertContains(response, submission.spec.title)
    assertContains(
        response, reverse("uploads:template_download", args=[submission.campaign.pk, submission.partner.pk])
    )


def test_new_partner_joining_mid_campaign_gets_its_submission_opened(db):
    campaign = CampaignFactory()
    assert open_submissions(campaign) == 0
    partner = PartnerFactory()
    convention = ConventionFactory()
    sign(convention, partner)
    TableRequirementFactory(convention=convention, partner=partner, signed=False)

    assert open_submissions(campaign) == 1
    assert open_submissions(campaign) == 0


def test_the_daily_run_opens_the_table_of_a_partner_that_joined_after_the_campaign_was_created(db):
    campaign = CampaignFactory(opens_on=timezone.localdate() - timedelta(days=3))
    partner = PartnerFactory()
    convention = ConventionFactory()
    sign(convention, partner)
    requirement = TableRequirementFactory(convention=convention, partner=partner, signed=False)

    send_collection_reminders()

    assert campaign.submissions.filter(partner=partner, spec=requirement.spec).exists()


def test_the_template_of_a_partner_that_owes_no_table_is_a_french_404(referent_client, campaign):
    partner = PartnerFactory(name="Maison d’enfants sans tableau")

    response = referent_client.get(reverse("uploads:template_download", args=[campaign.pk, partner.pk]))

    assert response.status_code == 404
    assert "Maison d’enfants sans tableau ne doit aucun tableau pour" in response.content.decode()
