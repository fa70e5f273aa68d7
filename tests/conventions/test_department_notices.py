"""Notices owed to the Département under a data-transfer convention (PIPASE art. 3.3 and 4.2): expected at
closure or at a reception, reminded while overdue, recorded from a form or a signed PDF, shown on the
convention, listed when overdue."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from conventions import notices, services
from conventions.models import DataRecipient, DepartmentNotice, NoticeReminder, Partner
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from odpe.roof import withdrawals
from odpe.roof.tasks import apply_due_withdrawals
from tests.conventions.factories import ConventionFactory, PartnerFactory, data_transfer_with_recipient

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def department(db):
    return PartnerFactory(name="Département de la Loire", kind=Partner.Kind.DEPARTMENT, article="le")


@pytest.fixture
def convention(partner, department):
    """PIPASE: the correspondent's partner receives the Département's data; ends on 31/12/2024."""
    return data_transfer_with_recipient(partner, department)


def close(convention):
    withdrawals.close_ended_convention(convention.pk, today=date(2025, 1, 1), actor=Actor.platform())
    return DepartmentNotice.objects.get(convention=convention, kind=DepartmentNotice.Kind.DELETION)


def test_closure_expects_the_deletion_notice_of_the_recipient_only(convention, partner, department):
    notice = close(convention)

    assert (notice.partner, notice.status) == (partner, DepartmentNotice.Status.EXPECTED)
    assert (notice.expected_since, notice.due_on) == (date(2025, 1, 1), date(2025, 1, 31))
    assert not DepartmentNotice.objects.filter(partner=department).exists()
    assert AuditEvent.objects.filter(action="notice.expected", object_id=str(notice.pk)).count() == 1


def test_the_daily_run_expects_the_notice_once_and_tells_the_correspondents(
    convention, correspondent, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2025, 1, 2)), django_capture_on_commit_callbacks(execute=True):
        apply_due_withdrawals()
        apply_due_withdrawals()

    assert DepartmentNotice.objects.count() == 1
    told = [m for m in mailoutbox if "suppression attendu" in m.subject]
    assert [m.to for m in told] == [[correspondent.email]]
    assert "article 3.3" in told[0].body


def test_the_recipients_withdrawal_taking_effect_expects_its_deletion_notice(convention, partner, admin_user):
    withdrawal = services.record_withdrawal(
        convention.signatories.get(partner=partner),
        actor=Actor(user=admin_user),
        letter_sent_on=date(2024, 3, 1),
        letter_received_on=date(2024, 3, 4),
    )
    withdrawals.apply_due_withdrawals(withdrawal.effective_on)

    notice = DepartmentNotice.objects.get()
    assert (notice.partner, notice.expected_since) == (partner, withdrawal.effective_on)


def test_a_convention_of_another_kind_expects_no_notice(partner):
    convention = ConventionFactory(multipartite=True, ends_on=date(2024, 12, 31), parties=[partner])
    DataRecipient.objects.create(convention=convention, partner=partner)

    withdrawals.close_ended_convention(convention.pk, today=date(2025, 1, 1), actor=Actor.platform())

    assert not DepartmentNotice.objects.exists()


def test_a_reception_expects_a_notice_of_each_recipient_once(convention, partner):
    for _ in range(2):
        notices.expect_reception_notices(
            convention,
            about="dataset-1",
            subject="Iodas-ASE 2024",
            received_on=date(2024, 5, 2),
            actor=Actor(),
        )

    notice = DepartmentNotice.objects.get()
    assert (notice.kind, notice.partner, notice.due_on) == ("reception", partner, date(2024, 5, 9))


def test_overdue_notices_are_reminded_weekly_with_their_history(
    convention, correspondent, mailoutbox, django_capture_on_commit_callbacks
):
    notice = close(convention)

    with django_capture_on_commit_callbacks(execute=True):
        assert notices.remind_overdue_notices(date(2025, 1, 31)) == []  # due that day, not late yet
        first = notices.remind_overdue_notices(date(2025, 2, 1))
        again = notices.remind_overdue_notices(date(2025, 2, 5))
        week_later = notices.remind_overdue_notices(date(2025, 2, 8))

    assert (len(first), again, len(week_later)) == (1, [], 1)
    assert NoticeReminder.objects.filter(notice=notice).count() == 2
    assert first[0].recipients == 1
    reminders = [m for m in mailoutbox if m.subject.startswith("Relance")]
    assert [m.to for m in reminders] == [[correspondent.email]] * 2
    assert AuditEvent.objects.filter(action="notice.reminded", object_id=str(notice.pk)).count() == 2


def test_a_recorded_notice_is_no_longer_reminded(convention, correspondent):
    notice = close(convention)
    notices.record_notice(
        notice,
        actor=Actor(user=correspondent),
        notified_on=date(2025, 1, 10),
        deleted_on=date(2025, 1, 5),
        bases_deleted="Iodas-ASE",
    )

    assert notices.remind_overdue_notices(date(2025, 3, 1)) == []


def test_recording_a_deletion_notice_keeps_its_date_and_bases_and_tells_the_referents(
    convention, correspondent, referent, mailoutbox, django_capture_on_commit_callbacks
):
    notice = close(convention)
    with django_capture_on_commit_callbacks(execute=True):
        notices.record_notice(
            notice,
            actor=Actor(user=correspondent),
            notified_on=date(2025, 1, 10),
            deleted_on=date(2025, 1, 8),
            bases_deleted="Iodas-ASE\nWebRSA",
        )

    notice.refresh_from_db()
    assert (notice.status, notice.deleted_on, notice.bases_deleted) == (
        "received",
        date(2025, 1, 8),
        "Iodas-ASE\nWebRSA",
    )
    assert notice.recorded_by == correspondent
    assert AuditEvent.objects.filter(action="notice.recorded", object_id=str(notice.pk)).count() == 1
    assert [m.to for m in mailoutbox if "reçu" in m.subject] == [[referent.email]]


def test_a_deletion_notice_without_its_date_is_refused(convention, correspondent):
    notice = close(convention)

    with pytest.raises(TransitionError, match="date of the deletion|date de la suppression"):
        notices.record_notice(notice, actor=Actor(user=correspondent), notified_on=date(2025, 1, 10))

    notice.refresh_from_db()
    assert notice.status == DepartmentNotice.Status.EXPECTED


def test_recording_twice_is_refused(convention, correspondent):
    notice = close(convention)
    fields = {"notified_on": date(2025, 1, 10), "deleted_on": date(2025, 1, 8), "bases_deleted": "Iodas-ASE"}
    notices.record_notice(notice, actor=Actor(user=correspondent), **fields)

    with pytest.raises(TransitionError):
        notices.record_notice(notice, actor=Actor(user=correspondent), **fields)


def test_designating_the_recipient_is_audited_and_checked(partner, department, admin_user):
    convention = ConventionFactory(data_transfer=True, parties=[partner, department])

    notices.designate_recipient(convention, partner, actor=Actor(user=admin_user))

    assert DataRecipient.objects.get(convention=convention).partner == partner
    assert AuditEvent.objects.filter(action="convention.recipient_designated").count() == 1
    with pytest.raises(TransitionError):
        notices.designate_recipient(convention, department, actor=Actor(user=admin_user))
    with pytest.raises(TransitionError):
        notices.designate_recipient(convention, partner, actor=Actor(user=admin_user))
    with pytest.raises(TransitionError):
        notices.designate_recipient(convention, PartnerFactory(), actor=Actor(user=admin_user))


# Pages ------------------------------------------------------------------------------------------------


def test_the_correspondent_records_the_notice_with_the_signed_pdf(convention, correspondent_client):
    notice = close(convention)
    url = reverse("conventions:notice_record", args=[notice.pk])

    response = correspondent_client.post(
        url,
        {
            "notified_on": "2025-01-10",
            "deleted_on": "2025-01-08",
            "signed_notice": SimpleUploadedFile("avis.pdf", PDF, content_type="application/pdf"),
        },
        follow=True,
    )

    assertContains(response, "Avis enregistré")
    notice.refresh_from_db()
    assert notice.status == "received" and notice.signed_notice
    download = correspondent_client.get(reverse("conventions:notice_document", args=[notice.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="notice.document_downloaded").count() == 1


def test_the_form_explains_what_a_deletion_notice_must_say(convention, correspondent_client):
    notice = close(convention)

    response = correspondent_client.post(
        reverse("conventions:notice_record", args=[notice.pk]),
        {"notified_on": "2025-01-10", "deleted_on": "2025-01-08"},
    )

    assertContains(response, "Indiquez les bases supprimées")
    notice.refresh_from_db()
    assert notice.status == DepartmentNotice.Status.EXPECTED


def test_a_notice_dated_in_the_future_is_refused(convention, correspondent_client):
    notice = close(convention)

    response = correspondent_client.post(
        reverse("conventions:notice_record", args=[notice.pk]),
        {"notified_on": "2999-01-10", "deleted_on": "2025-01-08", "bases_deleted": "Iodas-ASE"},
    )

    assertContains(response, "Cette date est dans le futur")


def test_another_partners_correspondent_gets_404(convention, other_partner_correspondent_client):
    notice = close(convention)

    for name in ("notice_detail", "notice_record"):
        assert (
            other_partner_correspondent_client.get(
                reverse(f"conventions:{name}", args=[notice.pk])
            ).status_code
            == 404
        )


def test_the_referent_follows_the_notice_but_does_not_record_it(convention, referent_client):
    notice = close(convention)

    assert referent_client.get(reverse("conventions:notice_detail", args=[notice.pk])).status_code == 200
    assert referent_client.get(reverse("conventions:notice_record", args=[notice.pk])).status_code == 403


@time_machine.travel(date(2025, 2, 10))
def test_overdue_notices_are_listed_for_the_referent_and_on_the_home(convention, referent_client):
    notice = close(convention)
    notices.remind_overdue_notices(date(2025, 2, 10))

    listing = referent_client.get(reverse("conventions:notice_list"))
    home = referent_client.get(reverse("home"))

    assertContains(listing, "10 jours de retard")
    assertContains(listing, "1 relance envoyée")
    assertContains(home, notice.get_absolute_url())


def test_the_convention_page_shows_the_notices_on_its_timeline(convention, member_client):
    notice = close(convention)
    notices.record_notice(
        notice,
        actor=Actor(),
        notified_on=date(2025, 1, 10),
        deleted_on=date(2025, 1, 8),
        bases_deleted="Iodas-ASE",
    )

    page = member_client.get(convention.get_absolute_url())

    assertContains(page, "attendu par le Département")
    assertContains(page, "reçu par le Département")


def test_the_admin_designates_the_recipient_from_the_convention(partner, department, admin_client):
    convention = ConventionFactory(data_transfer=True, parties=[partner, department])
    url = reverse("conventions:recipient_designate", args=[convention.pk])

    form = admin_client.get(url)
    assertNotContains(form, department.name)
    response = admin_client.post(url, {"partner": partner.pk}, follow=True)

    assertContains(response, "Destinataire désigné")
    assert DataRecipient.objects.filter(convention=convention, partner=partner).exists()
