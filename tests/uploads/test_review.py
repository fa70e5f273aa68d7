import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.uploads.factories import xlsx_upload
from uploads import services
from uploads.models import SubmissionVersion

Status = SubmissionVersion.Status


def checked_version(submission, correspondent, capture, rows=None):
    with capture(execute=True):
        version = services.receive_upload(
            submission,
            actor=Actor(user=correspondent),
            uploaded_file=xlsx_upload(rows) if rows else xlsx_upload(),
            attested=True,
        )
    version.refresh_from_db()
    return version


def test_referent_sees_the_queue_and_a_preview_of_the_data(
    referent_client, submission, correspondent, django_capture_on_commit_callbacks
):
    version = checked_version(submission, correspondent, django_capture_on_commit_callbacks)

    assertContains(referent_client.get(reverse("uploads:review_queue")), version.get_absolute_url())
    response = referent_client.get(version.get_absolute_url())
    assertContains(response, "Roannais")
    assertContains(response, reverse("uploads:version_accept", args=[version.pk]))


def test_referent_accepts_and_correspondents_are_told(
    referent_client, referent, submission, correspondent, django_capture_on_commit_callbacks
):
    version = checked_version(submission, correspondent, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = referent_client.post(reverse("uploads:version_accept", args=[version.pk]))

    assertRedirects(response, version.get_absolute_url())
    version.refresh_from_db()
    submission.refresh_from_db()
    assert version.status == Status.ACCEPTED
    assert version.reviewed_by == referent
    assert submission.accepted_version == version
    assert AuditEvent.objects.filter(action="submission.accepted", object_id=str(version.pk)).exists()
    assert [message.to for message in mail.outbox] == [[correspondent.email]]
    assert "accepté" in mail.outbox[0].subject


def test_accepting_twice_shows_a_message_not_an_error(
    referent_client, submission, correspondent, django_capture_on_commit_callbacks
):
    version = checked_version(submission, correspondent, django_capture_on_commit_callbacks)
    url = reverse("uploads:version_accept", args=[version.pk])
    referent_client.post(url)

    response = referent_client.post(url, follow=True)

    assertContains(response, "ne peut pas être acceptée")
    assert SubmissionVersion.objects.filter(status=Status.ACCEPTED).count() == 1


def test_referent_returns_with_a_comment_the_correspondent_sees(
    referent_client, correspondent_client, submission, correspondent, django_capture_on_commit_callbacks
):
    version = checked_version(submission, correspondent, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        referent_client.post(
            reverse("uploads:version_return", args=[version.pk]), {"comment": "Le total du Forez est faux."}
        )

    version.refresh_from_db()
    assert version.status == Status.RETURNED
    assert "Le total du Forez est faux." in mail.outbox[0].body
    assertContains(correspondent_client.get(submission.get_absolute_url()), "Le total du Forez est faux.")


def test_a_returned_tables_page_shows_the_comment_in_full_at_the_top(
    correspondent_client, referent, submission, correspondent, django_capture_on_commit_callbacks
):
    version = checked_version(submission, correspondent, django_capture_on_commit_callbacks)
    comment = "Le total du Forez est faux.\nReprenez la ligne 3."
    services.return_version(version, actor=Actor(user=referent), comment=comment)

    page = correspondent_client.get(submission.get_absolute_url()).content.decode()

    top = page.index("Renvoyée pour correction")
    assert (
        top
        < page.index("Le total du Forez est faux.<br>Reprenez la ligne 3.")
        < page.index("Versions envoyées")
    )


def test_returning_needs_a_comment(
    referent_client, submission, correspondent, django_capture_on_commit_callbacks
):
    version = checked_version(submission, correspondent, django_capture_on_commit_callbacks)

    response = referent_client.post(reverse("uploads:version_return", args=[version.pk]), {"comment": ""})

    assert response.status_code == 200
    version.refresh_from_db()
    assert version.status == Status.TO_REVIEW


def test_invalid_version_cannot_be_accepted(
    submission, correspondent, referent, django_capture_on_commit_callbacks
):
    version = checked_version(
        submission, correspondent, django_capture_on_commit_callbacks, rows=[["Forez", -1, 2, 1]]
    )
    assert version.status == Status.INVALID

    with pytest.raises(TransitionError):
        services.accept_version(version, actor=Actor(user=referent))


def test_accepting_a_correction_supersedes_the_earlier_accepted_version(
    submission, correspondent, referent, django_capture_on_commit_callbacks
):
    first = checked_version(submission, correspondent, django_capture_on_commit_callbacks)
    services.accept_version(first, actor=Actor(user=referent))
    second = checked_version(submission, correspondent, django_capture_on_commit_callbacks)

    services.accept_version(second, actor=Actor(user=referent))

    first.refresh_from_db()
    submission.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert submission.accepted_version == second


def test_correspondent_cannot_accept(
    correspondent_client, submission, correspondent, django_capture_on_commit_callbacks
):
    version = checked_version(submission, correspondent, django_capture_on_commit_callbacks)

    assert correspondent_client.post(reverse("uploads:version_accept", args=[version.pk])).status_code == 403
