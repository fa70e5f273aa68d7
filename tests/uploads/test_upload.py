import hashlib

from django.core.files.storage import default_storage
from django.urls import reverse
from guardian.shortcuts import remove_perm
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from odpe.accounts.services import add_correspondent
from odpe.audit import Actor
from odpe.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.uploads.factories import xlsx_upload
from uploads.models import SubmissionVersion

Status = SubmissionVersion.Status


def upload(client, submission, file=None, attested="on", comment=""):
    data = {"file": file or xlsx_upload(), "comment": comment}
    if attested:
        data["attested"] = attested
    return client.post(reverse("uploads:submission_upload", args=[submission.pk]), data)


def test_correspondent_upload_is_kept_as_a_version_then_checked(
    correspondent_client, correspondent, submission, django_capture_on_commit_callbacks
):
    sent = xlsx_upload()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(correspondent_client, submission, file=sent, comment="Chiffres provisoires")

    version = submission.versions.get()
    assertRedirects(response, submission.get_absolute_url())
    assert version.status == Status.TO_REVIEW
    assert version.original_name == "tableau.xlsx"
    assert version.uploaded_by == correspondent
    assert version.comment == "Chiffres provisoires"
    sent.seek(0)
    content = sent.read()
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.size == len(content)
    with version.file.open("rb") as stored:
        assert stored.read() == content
    # Random stored name: the partner's file name never reaches the storage.
    assert "tableau" not in version.file.name
    assert default_storage.exists(version.file.name)
    assert AuditEvent.objects.filter(action="submission.uploaded", object_id=str(version.pk)).exists()
    assert list(version.events.values_list("status", flat=True)) == [
        Status.RECEIVED,
        Status.VALIDATING,
        Status.TO_REVIEW,
    ]


def test_each_upload_is_a_new_version_and_replaces_the_one_waiting_for_review(
    correspondent_client, submission, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(correspondent_client, submission)
        upload(correspondent_client, submission, file=xlsx_upload(name="corrige.xlsx"))

    first, second = submission.versions.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert first.status == Status.SUPERSEDED
    assert second.status == Status.TO_REVIEW
    submission.refresh_from_db()
    assert submission.latest_version == second


def test_faulty_cells_are_named_in_french_on_the_result_page(
    correspondent_client, submission, django_capture_on_commit_callbacks
):
    rows = [["Forez", 12, "douze", 22], ["Roannais", 7, 9, 15]]
    with django_capture_on_commit_callbacks(execute=True):
        upload(correspondent_client, submission, file=xlsx_upload(rows))

    version = submission.versions.get()
    assert version.status == Status.INVALID
    cells = {finding.cell for finding in version.findings.errors}
    assert {"C2", "D3"} <= cells
    response = correspondent_client.get(version.get_absolute_url())
    assertContains(response, "C2")
    assertContains(response, "D3")


def test_upload_without_attestation_is_refused_and_nothing_is_kept(correspondent_client, submission):
    response = upload(correspondent_client, submission, attested=None)

    assert response.status_code == 400
    assertContains(response, "Votre institution doit avoir validé les chiffres", status_code=400)
    assert not submission.versions.exists()


def test_file_over_the_size_limit_is_refused_before_storage(correspondent_client, submission, settings):
    settings.UPLOAD_MAX_BYTES = 1000

    response = upload(correspondent_client, submission)

    assert response.status_code == 400
    assertContains(response, "la limite est de", status_code=400)
    assert not submission.versions.exists()


def test_htmx_upload_answers_with_the_page_that_follows_the_check(correspondent_client, submission):
    url = reverse("uploads:submission_upload", args=[submission.pk])
    response = correspondent_client.post(
        url, {"file": xlsx_upload(), "attested": "on"}, headers={"HX-Request": "true"}
    )

    version = submission.versions.get()
    assertContains(response, f'id="version-status-{version.pk}"')
    # Still being checked (the task runs after commit): the page refreshes itself until the result.
    assertContains(response, f'hx-get="{submission.get_absolute_url()}" hx-trigger="every 1s"')


def test_htmx_upload_with_a_mistake_in_the_form_shows_it_inline(correspondent_client, submission):
    url = reverse("uploads:submission_upload", args=[submission.pk])
    response = correspondent_client.post(url, {"file": xlsx_upload()}, headers={"HX-Request": "true"})

    assert response.status_code == 200  # htmx swaps only successful answers
    assertContains(response, "Votre institution doit avoir validé les chiffres")
    assert not submission.versions.exists()


def test_the_page_stops_refreshing_once_checked(
    correspondent_client, submission, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(correspondent_client, submission)
    version = submission.versions.get()

    for url in (submission.get_absolute_url(), version.get_absolute_url()):
        response = correspondent_client.get(url, headers={"HX-Request": "true"})
        assertContains(response, "badge--to_review")
        assert "hx-trigger" not in response.content.decode()


def test_correspondent_whose_partner_withdrew_cannot_upload(client, submission):
    user = UserFactory()
    add_correspondent(user, submission.partner, actor=Actor.platform())
    remove_perm("conventions.submit_partner_data", user, submission.partner)
    client.force_login(user)

    assert upload(client, submission).status_code == 403
    response = client.get(submission.get_absolute_url())
    assert response.status_code == 200
    assert "upload-form" not in response.content.decode()


def test_correspondent_downloads_own_file_and_the_download_is_audited(
    correspondent_client, submission, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(correspondent_client, submission)
    version = submission.versions.get()

    response = correspondent_client.get(reverse("uploads:version_file", args=[version.pk]))

    with version.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()
    assert 'filename="tableau.xlsx"' in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="submission.downloaded", object_id=str(version.pk)).exists()


def test_a_table_sent_many_times_lists_its_latest_versions_and_says_how_many_are_not_shown(
    correspondent_client, submission, django_capture_on_commit_callbacks
):
    for _ in range(22):
        with django_capture_on_commit_callbacks(execute=True):
            upload(correspondent_client, submission)

    page = correspondent_client.get(submission.get_absolute_url())

    assertContains(page, "Version 22")
    assertContains(page, "2 versions plus anciennes ne sont pas listées.")
    assertNotContains(page, f'href="{submission.versions.get(number=1).get_absolute_url()}"')
