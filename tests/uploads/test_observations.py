"""Accepting a table writes its figures into the observatory's data base, all or nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from conventions.models import DestructionCertificate
from conventions.services import record_withdrawal
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.roof.withdrawals import apply_due_withdrawals
from tests.conventions.factories import ConventionFactory
from tests.uploads.factories import (
    CampaignFactory,
    SubmissionFactory,
    TableRequirementFactory,
    map_counts_spec,
    xlsx_upload,
)
from uploads import services
from uploads.models import Observation, SubmissionVersion

ROWS = [["Forez", 12, 10, 22], ["Roannais", 7, 9, 16]]


@pytest.fixture
def submission(partner):
    requirement = TableRequirementFactory(partner=partner)
    return SubmissionFactory(campaign=CampaignFactory(data_year=2023), partner=partner, spec=requirement.spec)


def send(submission, user, capture, rows=ROWS):
    upload = xlsx_upload(rows, headers=list(submission.spec.column_labels.values()))
    with capture(execute=True):
        version = services.receive_upload(
            submission, actor=Actor(user=user), uploaded_file=upload, attested=True
        )
    version.refresh_from_db()
    assert version.status == SubmissionVersion.Status.TO_REVIEW, version.report
    return version


def test_accepting_writes_each_value_with_its_breakdown_source_and_version(
    submission, correspondent, referent, django_capture_on_commit_callbacks
):
    indicator = map_counts_spec(submission.spec)
    version = send(submission, correspondent, django_capture_on_commit_callbacks)

    services.accept_version(version, actor=Actor(user=referent))

    assert sorted(
        Observation.objects.values_list("indicator", "data_year", "territory", "value", "source", "version")
    ) == [
        (indicator.pk, 2023, "Forez", Decimal("22"), submission.partner_id, version.pk),
        (indicator.pk, 2023, "Roannais", Decimal("16"), submission.partner_id, version.pk),
    ]


def test_a_later_accepted_version_replaces_the_sources_values(
    submission, correspondent, referent, django_capture_on_commit_callbacks
):
    map_counts_spec(submission.spec)
    services.accept_version(
        send(submission, correspondent, django_capture_on_commit_callbacks), actor=Actor(user=referent)
    )

    second = send(submission, correspondent, django_capture_on_commit_callbacks, rows=[["Forez", 1, 2, 3]])
    services.accept_version(second, actor=Actor(user=referent))

    assert list(Observation.objects.values_list("territory", "value", "version")) == [
        ("Forez", Decimal("3"), second.pk)
    ]


def test_the_total_row_is_the_whole_departement(
    partner, correspondent, referent, django_capture_on_commit_callbacks
):
    requirement = TableRequirementFactory(
        partner=partner,
        spec__schema={
            "fields": [{"name": "territoire"}, {"name": "total", "type": "integer"}],
            "totalRow": {"field": "territoire", "value": "Total"},
        },
    )
    submission = SubmissionFactory(campaign=CampaignFactory(), partner=partner, spec=requirement.spec)
    map_counts_spec(submission.spec)
    version = send(
        submission, correspondent, django_capture_on_commit_callbacks, rows=[["Forez", 5], ["Total", 5]]
    )

    services.accept_version(version, actor=Actor(user=referent))

    assert sorted(Observation.objects.values_list("territory", flat=True)) == ["", "Forez"]


def test_a_table_giving_two_values_for_one_breakdown_is_not_accepted(
    partner, correspondent, referent, django_capture_on_commit_callbacks
):
    requirement = TableRequirementFactory(
        partner=partner,
        spec__schema={
            "fields": [{"name": "territoire"}, {"name": "sexe"}, {"name": "total", "type": "integer"}],
            "primaryKey": ["territoire", "sexe"],
        },
    )
    submission = SubmissionFactory(campaign=CampaignFactory(), partner=partner, spec=requirement.spec)
    map_counts_spec(submission.spec)  # sexe left unmapped: two values per territory
    version = send(
        submission,
        correspondent,
        django_capture_on_commit_callbacks,
        rows=[["Forez", "F", 1], ["Forez", "M", 2]],
    )

    with pytest.raises(TransitionError, match="plusieurs valeurs"):
        services.accept_version(version, actor=Actor(user=referent))

    version.refresh_from_db()
    assert version.status == SubmissionVersion.Status.TO_REVIEW
    assert not Observation.objects.exists()


def test_the_database_keeps_one_value_per_breakdown_and_source(
    submission, correspondent, referent, django_capture_on_commit_callbacks
):
    map_counts_spec(submission.spec)
    services.accept_version(
        send(submission, correspondent, django_capture_on_commit_callbacks), actor=Actor(user=referent)
    )
    existing = Observation.objects.first()
    existing.pk = None

    with pytest.raises(IntegrityError), transaction.atomic():
        existing.save()


def test_a_withdrawal_under_a_destroy_policy_removes_the_values_and_lists_them(
    partner, correspondent, referent, admin_user, django_capture_on_commit_callbacks
):
    convention = ConventionFactory(data_transfer=True)
    requirement = TableRequirementFactory(partner=partner, convention=convention)
    submission = SubmissionFactory(
        campaign=CampaignFactory(data_year=2023), partner=partner, spec=requirement.spec
    )
    map_counts_spec(submission.spec)
    version = send(submission, correspondent, django_capture_on_commit_callbacks)
    services.accept_version(version, actor=Actor(user=referent))
    withdrawal = record_withdrawal(
        convention.signatories.get(partner=partner),
        actor=Actor(user=admin_user),
        letter_sent_on=date(2024, 6, 3),
        letter_received_on=date(2024, 6, 5),
    )

    with django_capture_on_commit_callbacks(execute=True):
        apply_due_withdrawals(withdrawal.effective_on)

    assert not Observation.objects.exists()
    version.refresh_from_db()
    assert not version.has_bytes
    [dataset] = DestructionCertificate.objects.get(partner=partner).datasets
    assert (dataset["data_year"], dataset["values"], dataset["file"]) == (2023, 2, "tableau.xlsx")
