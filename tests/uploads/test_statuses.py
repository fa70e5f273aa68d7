"""Statuses that tell the truth: « en retard » only when something is owed, an accepted table stays accepted."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from odpe.audit import Actor
from tests.conventions.factories import ConventionFactory, PartnerFactory, sign
from tests.uploads.factories import CampaignFactory, SubmissionFactory, xlsx_upload
from uploads import services
from uploads.models import SubmissionVersion

Status = SubmissionVersion.Status
LATE_WARNING = "La date limite est dépassée"
NEWER_REFUSED = "Acceptée — un envoi plus récent a été refusé"


def sent(submission, correspondent, capture, rows=None) -> SubmissionVersion:
    with capture(execute=True):
        version = services.receive_upload(
            submission,
            actor=Actor(user=correspondent),
            uploaded_file=xlsx_upload(rows) if rows else xlsx_upload(),
            attested=True,
        )
    version.refresh_from_db()
    return version


@pytest.fixture
def past_campaign(db):
    today = timezone.localdate()
    return CampaignFactory(opens_on=today - timedelta(days=400), due_on=today - timedelta(days=300))


@pytest.fixture
def accepted_then_refused(submission, correspondent, referent, django_capture_on_commit_callbacks):
    accepted = sent(submission, correspondent, django_capture_on_commit_callbacks)
    services.accept_version(accepted, actor=Actor(user=referent))
    refused = sent(submission, correspondent, django_capture_on_commit_callbacks, rows=[["Forez", 1, "x", 2]])
    assert refused.status == Status.INVALID
    submission.refresh_from_db()
    return submission


def test_no_late_warning_for_a_past_year_whose_tables_were_all_accepted(
    correspondent_client,
    correspondent,
    referent,
    requirement,
    past_campaign,
    django_capture_on_commit_callbacks,
):
    submission = SubmissionFactory(campaign=past_campaign, partner=requirement.partner, spec=requirement.spec)
    version = sent(submission, correspondent, django_capture_on_commit_callbacks)
    services.accept_version(version, actor=Actor(user=referent))

    response = correspondent_client.get(reverse("uploads:collection"))

    assertContains(response, submission.spec.title)
    assertNotContains(response, LATE_WARNING)


def test_no_late_warning_for_a_partner_that_owes_nothing(correspondent_client, past_campaign, campaign):
    response = correspondent_client.get(reverse("uploads:collection"))

    assertNotContains(response, LATE_WARNING)
    assertContains(response, "Votre institution ne doit aucun tableau pour cette année.", count=2)
    assertNotContains(response, "Télécharger le modèle")


def test_late_warning_when_a_table_is_still_owed_after_the_due_date(
    correspondent_client, requirement, past_campaign
):
    SubmissionFactory(campaign=past_campaign, partner=requirement.partner, spec=requirement.spec)

    response = correspondent_client.get(reverse("uploads:collection"))

    assertContains(response, LATE_WARNING)
    assertContains(response, "1 tableau est encore dû")


def test_an_accepted_table_stays_accepted_in_the_list_when_a_newer_upload_is_refused(
    correspondent_client, accepted_then_refused
):
    response = correspondent_client.get(reverse("uploads:collection"))

    assertContains(response, NEWER_REFUSED)
    assertNotContains(response, "Refusée par les contrôles")
    assert not accepted_then_refused.is_waiting


def test_an_accepted_table_stays_accepted_in_the_matrix_when_a_newer_upload_is_refused(
    referent_client, accepted_then_refused
):
    response = referent_client.get(accepted_then_refused.campaign.get_absolute_url())

    assertContains(response, NEWER_REFUSED)
    assertNotContains(response, "Refusée par les contrôles")


def test_the_convention_counts_only_partners_taking_part_today(member_client):
    today = timezone.localdate()
    convention = ConventionFactory(takes_effect_on=date(today.year - 2, 1, 1))
    sign(convention, PartnerFactory())
    sign(convention, PartnerFactory(), joined_on=date(today.year + 1, 1, 1))

    response = member_client.get(reverse("conventions:convention_detail", args=[convention.pk]))

    assertContains(response, "1 partenaire participe actuellement")
