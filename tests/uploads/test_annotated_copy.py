"""The annotated copy is made once, by the worker that checks the upload, kept privately and served as kept;
a file refused as a whole gets its report alone; a partner's destroyed files take their copies with them."""

import io
import tarfile
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertRedirects

from conventions.models import DestructionCertificate
from conventions.services import record_withdrawal
from odpe.audit import Actor
from odpe.models import AuditEvent
from odpe.roof.withdrawals import apply_due_withdrawals
from tests.conventions.factories import ConventionFactory
from tests.uploads.factories import CampaignFactory, SubmissionFactory, TableRequirementFactory, xlsx_upload
from uploads import services
from uploads.models import SubmissionVersion

pytestmark = pytest.mark.django_db
FAULTY_ROWS = [["Forez", 12, "douze", 22], ["Roannais", 7, 9, 16]]


def send(submission, correspondent, capture, upload) -> SubmissionVersion:
    with capture(execute=True):
        version = services.receive_upload(
            submission, actor=Actor(user=correspondent), uploaded_file=upload, attested=True
        )
    version.refresh_from_db()
    return version


def stored_bytes(field) -> bytes:
    with field.open("rb") as stored:
        return stored.read()


def stored_reports() -> list[str]:
    try:
        return default_storage.listdir("reports")[1]
    except FileNotFoundError:
        return []


def download(client, version):
    return client.get(reverse("uploads:version_annotated", args=[version.pk]))


def test_the_annotated_copy_is_made_when_the_version_is_checked_and_served_as_stored(
    submission, correspondent, correspondent_client, django_capture_on_commit_callbacks
):
    version = send(submission, correspondent, django_capture_on_commit_callbacks, xlsx_upload(FAULTY_ROWS))

    assert version.status == SubmissionVersion.Status.INVALID
    assert version.annotated_copy.name.startswith("reports/")
    kept = stored_bytes(version.annotated_copy)
    assert "n'est pas un nombre entier" in load_workbook(io.BytesIO(kept))["Enfants"]["C2"].comment.text
    default_storage.delete(version.file.name)  # the partner's file is not read again to serve its copy

    response = download(correspondent_client, version)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == kept
    assert response["Content-Disposition"] == 'attachment; filename="tableau-rapport.xlsx"'
    assert AuditEvent.objects.filter(action="submission.downloaded", object_id=str(version.pk)).exists()


def test_a_version_checked_before_copies_were_kept_gets_a_message_then_its_copy_from_the_command(
    submission, correspondent, correspondent_client, django_capture_on_commit_callbacks
):
    version = send(submission, correspondent, django_capture_on_commit_callbacks, xlsx_upload(FAULTY_ROWS))
    default_storage.delete(version.annotated_copy.name)
    SubmissionVersion.objects.filter(pk=version.pk).update(annotated_copy="")

    response = download(correspondent_client, version)
    assertRedirects(response, version.get_absolute_url(), fetch_redirect_response=False)
    assert "pas encore prête" in correspondent_client.get(response.url).content.decode()

    call_command("annotate_checked_versions", stdout=io.StringIO())
    call_command("annotate_checked_versions", stdout=io.StringIO())  # twice: nothing more is made

    version.refresh_from_db()
    assert len(stored_reports()) == 1
    response = download(correspondent_client, version)
    assert b"".join(response.streaming_content) == stored_bytes(version.annotated_copy)


def test_a_file_refused_as_a_whole_is_not_opened_again_and_gets_its_report_alone(
    submission, correspondent, correspondent_client, django_capture_on_commit_callbacks
):
    upload = xlsx_upload(name="tableau.xlsx")
    upload.file = io.BytesIO(b"this is not a workbook at all")
    version = send(submission, correspondent, django_capture_on_commit_callbacks, upload)

    assert version.findings.file_refused
    assert not version.annotated_copy
    response = download(correspondent_client, version)
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Rapport"]


def test_a_file_with_personal_data_leaves_no_annotated_copy(
    submission, correspondent, django_capture_on_commit_callbacks
):
    upload = xlsx_upload([["1 85 05 42 218 123 45", 1, 2, 3]])

    version = send(submission, correspondent, django_capture_on_commit_callbacks, upload)

    assert version.findings.contains_personal_data
    assert not version.annotated_copy
    assert stored_reports() == []


def test_the_backup_holds_the_annotated_copies(
    submission, correspondent, django_capture_on_commit_callbacks, tmp_path
):
    version = send(submission, correspondent, django_capture_on_commit_callbacks, xlsx_upload(FAULTY_ROWS))

    call_command("backup", output=tmp_path / "backup.tar.gz")

    with tarfile.open(tmp_path / "backup.tar.gz") as backup:
        assert f"files/{version.annotated_copy.name}" in backup.getnames()


def test_destroying_a_partners_files_removes_their_annotated_copies_and_the_certificate_says_so(
    partner, correspondent, admin_user, admin_client, django_capture_on_commit_callbacks
):
    convention = ConventionFactory(data_transfer=True)
    requirement = TableRequirementFactory(partner=partner, convention=convention)
    submission = SubmissionFactory(
        campaign=CampaignFactory(data_year=2023), partner=partner, spec=requirement.spec
    )
    version = send(submission, correspondent, django_capture_on_commit_callbacks, xlsx_upload(FAULTY_ROWS))
    copy = version.annotated_copy.name
    assert default_storage.exists(copy)
    withdrawal = record_withdrawal(
        convention.signatories.get(partner=partner),
        actor=Actor(user=admin_user),
        letter_sent_on=date(2024, 6, 3),
        letter_received_on=date(2024, 6, 5),
    )

    with django_capture_on_commit_callbacks(execute=True):
        apply_due_withdrawals(withdrawal.effective_on)

    version.refresh_from_db()
    assert not version.annotated_copy
    assert not default_storage.exists(copy)
    certificate = DestructionCertificate.objects.get(partner=partner)
    [dataset] = certificate.datasets
    assert (dataset["file"], dataset["annotated_copy"]) == ("tableau.xlsx", True)
    text = admin_client.get(
        reverse("conventions:certificate_download", args=[certificate.pk])
    ).content.decode()
    assert "avec sa copie annotée" in text
