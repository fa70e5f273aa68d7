"""Ad-hoc data requests (Loire art. 3): the referent asks partners for specific data by a deadline, their
correspondents answer, the referent accepts or returns; homes, reminders, audit and withdrawals follow."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from conventions import services as convention_services
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from odpe.roof import withdrawals
from odpe.worklist import Urgency
from tests.conventions.factories import ConventionFactory, sign
from tests.uploads.factories import TableSpecFactory, xlsx_upload
from uploads.data_requests import services, worklist
from uploads.data_requests.models import Addressee, Answer

pytestmark = pytest.mark.django_db
Status = Addressee.Status


def pdf(name="reponse.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def asked(
    referent,
    partner,
    other_partner,
    correspondent,
    other_partner_correspondent,
    django_capture_on_commit_callbacks,
):
    """Two partners asked for a free document, due in ten days."""
    with django_capture_on_commit_callbacks(execute=True):
        request = services.send_data_request(
            actor=Actor(user=referent),
            title="Mesures en cours au 30 juin",
            message="Le nombre de mesures en cours au 30 juin, par territoire.",
            due_on=timezone.localdate() + timedelta(days=10),
            partners=[partner, other_partner],
        )
    return request.addressees.get(partner=partner)


def answer(addressee, user, capture, uploaded=None):
    with capture(execute=True):
        return services.answer_data_request(
            addressee, actor=Actor(user=user), uploaded_file=uploaded or pdf()
        )


def test_asking_two_partners_writes_to_each_ones_correspondents_and_is_audited(
    asked, correspondent, other_partner_correspondent
):
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [correspondent.email, other_partner_correspondent.email]
    )
    assert "Demande de données" in mail.outbox[0].subject
    event = AuditEvent.objects.get(action="data_request.sent")
    assert sorted(event.details["partners"]) == sorted(a.partner.name for a in asked.request.addressees.all())


def test_the_referent_sends_a_request_through_the_form(referent_client, partner):
    due_on = timezone.localdate() + timedelta(days=15)
    response = referent_client.post(
        reverse("data_requests:request_create"),
        {
            "title": "Délais",
            "message": "Les délais moyens.",
            "due_on": due_on.isoformat(),
            "partners": [partner.pk],
        },
    )

    addressee = Addressee.objects.get()
    assertRedirects(response, addressee.request.get_absolute_url(), fetch_redirect_response=False)
    assert (addressee.partner, addressee.status, addressee.request.due_on) == (
        partner,
        Status.WAITING,
        due_on,
    )


def test_a_deadline_in_the_past_is_refused_in_french_and_nothing_is_sent(referent_client, partner):
    response = referent_client.post(
        reverse("data_requests:request_create"),
        {"title": "Délais", "message": "Les délais.", "due_on": "2020-01-01", "partners": [partner.pk]},
    )

    assertContains(response, "Cette date est passée")
    assert not Addressee.objects.exists()


def test_the_correspondent_answers_and_the_referent_is_told(
    asked, correspondent, referent, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    sent = answer(asked, correspondent, django_capture_on_commit_callbacks)

    asked.refresh_from_db()
    assert asked.status == Status.TO_REVIEW
    assert sent.sha256 and sent.original_name == "reponse.pdf"
    assert [message.to for message in mail.outbox] == [[referent.email]]
    assert AuditEvent.objects.filter(action="data_request.answered", object_id=str(asked.pk)).exists()


def test_the_correspondent_answers_through_the_page(asked, correspondent_client):
    response = correspondent_client.post(
        reverse("data_requests:addressee_answer", args=[asked.pk]), {"file": pdf(), "comment": "Voici."}
    )

    assertRedirects(response, asked.get_absolute_url(), fetch_redirect_response=False)
    assert Answer.objects.get().comment == "Voici."


def test_another_partners_correspondent_gets_a_404(asked, other_partner_correspondent_client):
    response = other_partner_correspondent_client.get(asked.get_absolute_url())

    assert response.status_code == 404


def test_only_the_partners_own_correspondents_answer(asked, referent):
    with pytest.raises(Exception) as refused:
        services.answer_data_request(asked, actor=Actor(user=referent), uploaded_file=pdf())

    assert refused.type.__name__ == "PermissionDenied"
    assert not Answer.objects.exists()


def test_a_workbook_the_checks_refuse_is_not_kept_and_says_what_to_correct(
    referent, partner, correspondent, django_capture_on_commit_callbacks
):
    request = services.send_data_request(
        actor=Actor(user=referent),
        title="Enfants suivis",
        message="Le tableau habituel, au 30 juin.",
        due_on=timezone.localdate() + timedelta(days=10),
        partners=[partner],
        spec=TableSpecFactory(),
        data_year=2025,
    )
    addressee = request.addressees.get()

    with pytest.raises(TransitionError) as refused:
        answer(
            addressee,
            correspondent,
            django_capture_on_commit_callbacks,
            xlsx_upload([["Forez", "douze", 10, 22]]),
        )

    assert "Les contrôles ont refusé ce classeur" in str(refused.value)
    addressee.refresh_from_db()
    assert addressee.status == Status.WAITING
    assert not Answer.objects.exists()


def test_a_workbook_the_checks_pass_goes_to_review_with_its_report(
    referent, partner, correspondent, django_capture_on_commit_callbacks
):
    request = services.send_data_request(
        actor=Actor(user=referent),
        title="Enfants suivis",
        message="Le tableau habituel.",
        due_on=timezone.localdate() + timedelta(days=10),
        partners=[partner],
        spec=TableSpecFactory(),
        data_year=2025,
    )

    sent = answer(request.addressees.get(), correspondent, django_capture_on_commit_callbacks, xlsx_upload())

    assert sent.findings.valid


def test_the_template_of_a_request_with_a_spec_downloads(referent, partner, correspondent_client):
    request = services.send_data_request(
        actor=Actor(user=referent),
        title="Enfants suivis",
        message="Le tableau habituel.",
        due_on=timezone.localdate() + timedelta(days=10),
        partners=[partner],
        spec=TableSpecFactory(),
        data_year=2025,
    )

    response = correspondent_client.get(
        reverse("data_requests:template_download", args=[request.addressees.get().pk])
    )

    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_the_referent_accepts_an_answer(asked, correspondent, referent, django_capture_on_commit_callbacks):
    answer(asked, correspondent, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.accept_answer(asked, actor=Actor(user=referent))

    asked.refresh_from_db()
    assert (asked.status, asked.reviewed_by) == (Status.ACCEPTED, referent)
    assert "acceptée" in mail.outbox[0].subject


def test_a_returned_answer_shows_its_comment_at_the_top_and_takes_a_new_answer(
    asked, correspondent, referent, correspondent_client, django_capture_on_commit_callbacks
):
    answer(asked, correspondent, django_capture_on_commit_callbacks)
    services.return_answer(asked, actor=Actor(user=referent), comment="Il manque le Gier.")

    response = correspondent_client.get(asked.get_absolute_url())
    assertContains(response, "Renvoyée pour correction")
    assertContains(response, "Il manque le Gier.")

    answer(asked, correspondent, django_capture_on_commit_callbacks)
    asked.refresh_from_db()
    assert asked.status == Status.TO_REVIEW


def test_accepting_an_answer_not_yet_sent_is_a_french_message(asked, referent_client):
    response = referent_client.post(reverse("data_requests:addressee_accept", args=[asked.pk]), follow=True)

    assertContains(response, "ne peut pas être acceptée")


def test_the_correspondents_home_items_list_what_is_owed_until_answered(
    asked, correspondent, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    assert [item.url for item in worklist.requests_owed_by(correspondent, today)] == [
        asked.get_absolute_url()
    ]

    answer(asked, correspondent, django_capture_on_commit_callbacks)

    assert worklist.requests_owed_by(correspondent, today) == []


def test_the_referents_home_items_list_requests_overdue(asked):
    after_deadline = asked.request.due_on + timedelta(days=1)

    assert worklist.requests_overdue(asked.request.due_on) == []
    assert {item.urgency for item in worklist.requests_overdue(after_deadline)} == {Urgency.LATE}
    assert len(worklist.requests_overdue(after_deadline)) == 2


def test_an_answer_waits_on_the_referents_home_until_accepted(
    asked, correspondent, referent, django_capture_on_commit_callbacks
):
    assert worklist.answers_to_review() == []

    answer(asked, correspondent, django_capture_on_commit_callbacks)

    [item] = worklist.answers_to_review()
    assert item.url == asked.get_absolute_url()
    assert item.title == f"Mesures en cours au 30 juin — {asked.partner.short_name}"

    services.accept_answer(asked, actor=Actor(user=referent))

    assert worklist.answers_to_review() == []


def test_a_request_is_reminded_before_its_deadline_then_weekly_once_late(
    asked, correspondent, django_capture_on_commit_callbacks
):
    due_on = asked.request.due_on
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = [
            services.send_due_request_reminders(day)
            for day in (
                due_on - timedelta(days=5),
                due_on - timedelta(days=3),
                due_on,
                due_on + timedelta(days=4),
            )
        ]

    assert counts == [0, 2, 0, 2]
    assert "Relance" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="data_request.reminded").count() == 4


def test_an_answered_request_is_not_reminded(asked, correspondent, django_capture_on_commit_callbacks):
    answer(asked, correspondent, django_capture_on_commit_callbacks)

    assert (
        services.send_due_request_reminders(asked.request.due_on + timedelta(days=1)) == 1
    )  # the other partner


def test_a_withdrawal_taking_effect_closes_the_partners_open_requests(asked, partner, admin_user):
    convention = ConventionFactory(multipartite=True)
    signatory = sign(convention, partner)
    withdrawal = convention_services.record_withdrawal(
        signatory,
        actor=Actor(user=admin_user),
        letter_sent_on=date(2024, 11, 27),
        letter_received_on=date(2024, 11, 30),
    )

    withdrawals.apply_due_withdrawals(withdrawal.effective_on)

    asked.refresh_from_db()
    assert asked.status == Status.CLOSED
    assert AuditEvent.objects.filter(action="data_request.closed", object_id=str(asked.pk)).exists()
