"""A file sent as a table that is not a workbook is refused, and its bytes are not kept."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from odpe.models import AuditEvent
from tests.uploads.factories import GOOD_ROWS, xlsx_bytes
from uploads.models import SubmissionVersion

pytestmark = pytest.mark.django_db

WRONG_CELLS = [["Forez", "douze", 10, 22]]

Status = SubmissionVersion.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_WORKBOOKS = {
    "evil.exe": (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "application/x-msdownload"),
    "evil.html": (b"<html><script>alert(document.cookie)</script></html>", "text/html"),
}


def send(client, submission, file, capture):
    with capture(execute=True):
        client.post(
            reverse("uploads:submission_upload", args=[submission.pk]), {"file": file, "attested": "on"}
        )
    return submission.versions.latest("number")


@pytest.mark.parametrize("name", NOT_WORKBOOKS)
def test_a_file_that_is_not_a_workbook_is_refused_and_only_its_fingerprint_and_size_are_kept(
    correspondent_client, submission, django_capture_on_commit_callbacks, name
):
    content, content_type = NOT_WORKBOOKS[name]
    uploads_before = (
        set(default_storage.listdir("submissions")[1]) if default_storage.exists("submissions") else set()
    )

    version = send(
        correspondent_client,
        submission,
        SimpleUploadedFile(name, content, content_type=content_type),
        django_capture_on_commit_callbacks,
    )

    assert version.status == Status.INVALID
    assert version.findings.errors[0].code == "file-not-xlsx"
    assert not version.has_bytes and version.bytes_deleted_at is not None
    assert (version.sha256, version.size) == (hashlib.sha256(content).hexdigest(), len(content))
    stored_now = (
        set(default_storage.listdir("submissions")[1]) if default_storage.exists("submissions") else set()
    )
    assert stored_now == uploads_before
    assert AuditEvent.objects.filter(action="submission.file_refused", object_id=str(version.pk)).exists()


@pytest.mark.parametrize("name", NOT_WORKBOOKS)
def test_the_referent_gets_a_french_404_instead_of_a_refused_file(
    correspondent_client, referent_client, submission, django_capture_on_commit_callbacks, name
):
    content, content_type = NOT_WORKBOOKS[name]
    version = send(
        correspondent_client,
        submission,
        SimpleUploadedFile(name, content, content_type=content_type),
        django_capture_on_commit_callbacks,
    )

    response = referent_client.get(reverse("uploads:version_file", args=[version.pk]))

    assert response.status_code == 404
    assert content not in response.content
    assert "n’est pas disponible" in response.content.decode()
    page = referent_client.get(reverse("uploads:version_detail", args=[version.pk])).content.decode()
    assert reverse("uploads:version_file", args=[version.pk]) not in page


def test_a_workbook_with_wrong_cells_is_kept_for_the_referent(
    correspondent_client, referent_client, submission, django_capture_on_commit_callbacks
):
    sent = xlsx_bytes(WRONG_CELLS)  # openpyxl stamps the time: compare with these very bytes
    version = send(
        correspondent_client,
        submission,
        SimpleUploadedFile("tableau.xlsx", sent, content_type=XLSX),
        django_capture_on_commit_callbacks,
    )

    response = referent_client.get(reverse("uploads:version_file", args=[version.pk]))

    assert version.status == Status.INVALID and version.has_bytes
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == sent


def test_a_workbook_named_as_a_web_page_is_handed_over_as_a_workbook(
    correspondent_client, referent_client, submission, django_capture_on_commit_callbacks
):
    version = send(
        correspondent_client,
        submission,
        SimpleUploadedFile("page.html", xlsx_bytes(GOOD_ROWS), content_type="text/html"),
        django_capture_on_commit_callbacks,
    )

    response = referent_client.get(reverse("uploads:version_file", args=[version.pk]))
    response.close()

    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="page.html.xlsx"'


def test_a_file_whose_check_has_not_ended_is_not_handed_over(
    correspondent_client, referent_client, submission
):
    correspondent_client.post(
        reverse("uploads:submission_upload", args=[submission.pk]),
        {"file": SimpleUploadedFile("evil.html", NOT_WORKBOOKS["evil.html"][0]), "attested": "on"},
    )
    version = submission.versions.get()

    response = referent_client.get(reverse("uploads:version_file", args=[version.pk]))

    assert version.status == Status.RECEIVED
    assert response.status_code == 404
