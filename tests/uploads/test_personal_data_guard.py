import io
import json
import re

from django.core.files.storage import default_storage
from openpyxl import load_workbook

from odpe.audit import Actor
from odpe.models import AuditEvent
from tests.uploads.factories import xlsx_upload
from uploads import services
from uploads.models import SubmissionVersion


def send(submission, correspondent, capture, **kwargs):
    with capture(execute=True):
        version = services.receive_upload(
            submission, actor=Actor(user=correspondent), uploaded_file=xlsx_upload(**kwargs), attested=True
        )
    version.refresh_from_db()
    return version


def test_a_social_security_number_gets_the_file_refused_and_its_bytes_deleted(
    submission, correspondent, django_capture_on_commit_callbacks
):
    version = send(
        submission,
        correspondent,
        django_capture_on_commit_callbacks,
        rows=[["1 85 05 42 218 123 45", 1, 2, 3]],
    )

    assert version.status == SubmissionVersion.Status.INVALID
    assert version.findings.contains_personal_data
    assert not version.file
    assert version.bytes_deleted_at is not None
    assert not default_storage.listdir("submissions")[1]
    # What remains: the fingerprint, the size and why.
    assert len(version.sha256) == 64 and version.size > 0
    assert any("sécurité sociale" in finding.message for finding in version.findings.errors)
    assert AuditEvent.objects.filter(
        action="submission.personal_data_refused", object_id=str(version.pk)
    ).exists()


def test_a_header_naming_people_gets_the_file_refused(
    submission, correspondent, django_capture_on_commit_callbacks
):
    version = send(
        submission,
        correspondent,
        django_capture_on_commit_callbacks,
        headers=["Territoire", "Filles", "Garçons", "Total", "Prénom"],
        rows=[["Forez", 1, 2, 3, "Léa"]],
    )

    assert version.findings.contains_personal_data
    assert not default_storage.listdir("submissions")[1]


def test_the_correspondent_is_told_why_and_can_still_see_the_report(
    correspondent_client, submission, correspondent, django_capture_on_commit_callbacks
):
    version = send(
        submission,
        correspondent,
        django_capture_on_commit_callbacks,
        rows=[["lea.martin@example.org", 1, 2, 3]],
    )

    page = correspondent_client.get(version.get_absolute_url()).content.decode()
    assert "anonymes" in page
    assert "version_file" not in page and f"/versions/{version.pk}/file/" not in page
    report = correspondent_client.get(f"/versions/{version.pk}/report/")
    assert report.status_code == 200


def test_first_names_under_a_harmless_header_get_the_file_refused_and_its_bytes_deleted(
    submission, correspondent, django_capture_on_commit_callbacks
):
    version = send(
        submission,
        correspondent,
        django_capture_on_commit_callbacks,
        headers=["Territoire", "Filles", "Garçons", "Total", "Remarques"],
        rows=[["Forez", 12, 10, 22, "Lucas"], ["Roannais", 7, 9, 16, "Emma"], ["Total", 19, 19, 38, "Léo"]],
    )

    assert version.status == SubmissionVersion.Status.INVALID
    assert version.findings.contains_personal_data
    assert not version.file and version.bytes_deleted_at is not None
    assert not default_storage.listdir("submissions")[1]
    stored = json.dumps(version.report, ensure_ascii=False)
    assert not {"Lucas", "Emma", "Léo"} & set(re.findall(r"\w+", stored))


def test_the_annotated_copy_of_a_file_naming_children_is_never_made(
    correspondent_client, submission, correspondent, django_capture_on_commit_callbacks
):
    version = send(
        submission,
        correspondent,
        django_capture_on_commit_callbacks,
        rows=[["Forez", 12, 10, 22], ["Roannais", 7, 9, 16], [], ["Suivis : Lucas, Emma et Léo"]],
    )

    response = correspondent_client.get(f"/versions/{version.pk}/report/")

    body = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["Rapport"]
    cells = " ".join(
        str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
    )
    assert "données personnelles" in cells
    assert not {"Lucas", "Emma", "Léo"} & set(re.findall(r"\w+", cells))
