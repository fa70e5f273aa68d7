"""A convention reaching its end date closes like a withdrawal taking effect, in the daily run."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from conventions.models import DestructionCertificate
from odpe.accounts.models import User
from odpe.models import AuditEvent
from odpe.roof import tasks
from tests.conventions.factories import ConventionFactory

pytestmark = pytest.mark.django_db

NEW_YEAR = datetime(2025, 1, 1, 6, tzinfo=ZoneInfo("Europe/Paris"))
SUBMIT = "conventions.submit_partner_data"


def can_submit(user, partner) -> bool:
    return User.objects.get(pk=user.pk).has_perm(SUBMIT, partner)


@pytest.fixture
def pipase(partner, correspondent):
    return ConventionFactory(data_transfer=True, parties=[partner])  # ends on 31/12/2024, destroy policy


def test_the_daily_run_closes_an_ended_destroy_convention_with_a_certificate_e_mailed_to_correspondents(
    pipase, partner, correspondent, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(NEW_YEAR), django_capture_on_commit_callbacks(execute=True):
        tasks.apply_due_withdrawals()

    pipase.refresh_from_db()
    assert pipase.closed_at is not None
    assert pipase.signatories.get().left_on == date(2025, 1, 1)
    assert not can_submit(correspondent, partner)
    certificate = DestructionCertificate.objects.get(convention=pipase, partner=partner)
    assert certificate.destroyed_on == date(2025, 1, 1)
    assert AuditEvent.objects.filter(action="convention.ended", object_id=str(pipase.pk)).exists()
    assert [m.to for m in mailoutbox] == [[correspondent.email]]
    assert reverse("conventions:certificate_download", args=[certificate.pk]) in mailoutbox[0].body


def test_the_convention_stays_in_force_on_its_last_day(pipase, partner, correspondent):
    with time_machine.travel(datetime(2024, 12, 31, 23, tzinfo=ZoneInfo("Europe/Paris"))):
        tasks.apply_due_withdrawals()

    pipase.refresh_from_db()
    assert pipase.closed_at is None
    assert can_submit(correspondent, partner)


def test_running_twice_closes_once_and_issues_one_certificate(pipase, django_capture_on_commit_callbacks):
    with time_machine.travel(NEW_YEAR):
        tasks.apply_due_withdrawals()
        tasks.apply_due_withdrawals()

    assert DestructionCertificate.objects.count() == 1
    assert AuditEvent.objects.filter(action="convention.ended").count() == 1


def test_rights_held_by_another_convention_in_force_are_kept(pipase, partner, correspondent):
    ConventionFactory(multipartite=True, parties=[partner])

    with time_machine.travel(NEW_YEAR):
        tasks.apply_due_withdrawals()

    assert can_submit(correspondent, partner)
    assert DestructionCertificate.objects.filter(partner=partner).exists()


def test_a_retain_convention_ends_without_destroying(partner, correspondent):
    convention = ConventionFactory(multipartite=True, ends_on=date(2024, 12, 31), parties=[partner])

    with time_machine.travel(NEW_YEAR):
        tasks.apply_due_withdrawals()

    convention.refresh_from_db()
    assert convention.closed_at is not None
    assert not DestructionCertificate.objects.exists()


def test_the_correspondent_sees_the_certificate_and_another_partner_gets_404(
    pipase, correspondent_client, other_partner_correspondent_client
):
    with time_machine.travel(NEW_YEAR):
        tasks.apply_due_withdrawals()
    certificate = DestructionCertificate.objects.get()

    listing = correspondent_client.get(reverse("conventions:certificate_list"))
    download = correspondent_client.get(reverse("conventions:certificate_download", args=[certificate.pk]))
    other = other_partner_correspondent_client.get(
        reverse("conventions:certificate_download", args=[certificate.pk])
    )

    assert certificate in listing.context["certificates"]
    assert download.status_code == 200
    assert pipase.reference in download.content.decode()
    assert other.status_code == 404
    assert (
        list(
            other_partner_correspondent_client.get(reverse("conventions:certificate_list")).context[
                "certificates"
            ]
        )
        == []
    )
