"""The referent's OLINPE pages: import, background check, encrypted storage, report, observations."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from odpe import encryption
from odpe.models import AuditEvent
from uploads.models import Observation
from uploads.olinpe.models import YearlyBase
from uploads.olinpe.services import SOURCE_NAME
from uploads.olinpe.synthetic import write_csv

pytestmark = pytest.mark.django_db


def upload(frame, tmp_path, name="olinpe.csv", **options) -> SimpleUploadedFile:
    path = tmp_path / name
    write_csv(frame, path, **options)
    return SimpleUploadedFile(name, path.read_bytes())


def import_year(client, year, file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("olinpe:base_import"), {"year": year, "file": file})


def test_referent_imports_a_base_which_is_checked_in_the_background(
    referent_client, synthetic, tmp_path, django_capture_on_commit_callbacks
):
    file = upload(synthetic.bases[2022], tmp_path, encoding="latin-1", separator=",")
    response = import_year(referent_client, 2022, file, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("olinpe:year", args=[2022])
    base = YearlyBase.objects.get(year=2022)
    assert base.status == YearlyBase.Status.CHECKED
    assert base.records == synthetic.bases[2022].height
    findings = {f["code"]: f["count"] for f in base.report["findings"]}
    assert findings["duplicates"] == synthetic.planted[2022]["duplicates"]
    assert {"olinpe.base_received", "olinpe.base_checked"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_the_file_is_kept_encrypted_and_reads_back_as_received(
    referent_client, synthetic, tmp_path, django_capture_on_commit_callbacks
):
    file = upload(synthetic.bases[2022], tmp_path)
    received = file.read()
    file.seek(0)
    import_year(referent_client, 2022, file, django_capture_on_commit_callbacks)
    base = YearlyBase.objects.get(year=2022)
    with base.file.open("rb") as stored:
        kept = stored.read()
    assert synthetic.bases[2022]["NUMANONYM"][0].encode() not in kept
    assert b"".join(encryption.decrypted_chunks(base.file)) == received


def test_indicators_become_observations_of_the_departement_source(
    referent_client, synthetic, tmp_path, django_capture_on_commit_callbacks
):
    import_year(
        referent_client, 2022, upload(synthetic.bases[2022], tmp_path), django_capture_on_commit_callbacks
    )
    import_year(
        referent_client, 2023, upload(synthetic.bases[2023], tmp_path), django_capture_on_commit_callbacks
    )
    observations = Observation.objects.filter(data_year=2023)
    assert {o.source.name for o in observations} == {SOURCE_NAME}
    total = observations.get(indicator__code="olinpe-enfants-31-decembre", territory="", sex="", age_group="")
    assert total.value > 0
    assert observations.filter(indicator__code="olinpe-parcours-retours-12-mois").exists()
    page = referent_client.get(reverse("olinpe:year", args=[2023]))
    assert "Retours dans la protection de l&#x27;enfance dans les 12 mois" in page.content.decode()


def test_a_file_with_an_identity_is_refused_and_not_kept(
    referent_client, synthetic, tmp_path, django_capture_on_commit_callbacks
):
    frame = synthetic.bases[2022].head(50)
    frame = frame.with_columns(frame["TERRITOIRE"].alias("Prénom"))
    import_year(referent_client, 2022, upload(frame, tmp_path), django_capture_on_commit_callbacks)
    base = YearlyBase.objects.get(year=2022)
    assert base.status == YearlyBase.Status.REFUSED
    assert not base.file
    assert "prénom" in base.refusal_reason
    page = referent_client.get(reverse("olinpe:year", args=[2022]))
    assert "prénom" in page.content.decode()


def test_a_second_base_for_the_same_year_is_refused_with_a_message(
    referent_client, synthetic, tmp_path, django_capture_on_commit_callbacks
):
    import_year(
        referent_client, 2022, upload(synthetic.bases[2022], tmp_path), django_capture_on_commit_callbacks
    )
    response = import_year(
        referent_client, 2022, upload(synthetic.bases[2022], tmp_path), django_capture_on_commit_callbacks
    )
    assert response["Location"] == reverse("olinpe:index")
    follow = referent_client.get(reverse("olinpe:index"))
    assert "La base de 2022 est déjà importée." in follow.content.decode()
    assert YearlyBase.objects.count() == 1


def test_a_pdf_is_refused_before_anything_is_kept(referent_client, django_capture_on_commit_callbacks):
    file = SimpleUploadedFile("base.pdf", b"%PDF-1.4")
    import_year(referent_client, 2022, file, django_capture_on_commit_callbacks)
    assert not YearlyBase.objects.exists()


def test_report_downloads_as_a_workbook(
    referent_client, synthetic, tmp_path, django_capture_on_commit_callbacks
):
    import_year(
        referent_client, 2022, upload(synthetic.bases[2022], tmp_path), django_capture_on_commit_callbacks
    )
    response = referent_client.get(reverse("olinpe:report_download", args=[2022]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Cohérence"


def test_every_page_read_is_audited(referent_client, synthetic, tmp_path, django_capture_on_commit_callbacks):
    import_year(
        referent_client, 2022, upload(synthetic.bases[2022], tmp_path), django_capture_on_commit_callbacks
    )
    referent_client.get(reverse("olinpe:index"))
    referent_client.get(reverse("olinpe:year", args=[2022]))
    referent_client.get(reverse("olinpe:report_download", args=[2022]))
    paths = list(AuditEvent.objects.filter(action="olinpe.page_read").values_list("details__path", flat=True))
    assert sorted(paths) == ["/olinpe/", "/olinpe/2022/", "/olinpe/2022/report.xlsx"]


@pytest.mark.parametrize("role", ["admin", "member", "correspondent"])
def test_anyone_but_the_referent_finds_nothing(request, role):
    client = request.getfixturevalue(f"{role}_client")
    assert client.get(reverse("olinpe:index")).status_code == 404
    assert not AuditEvent.objects.filter(action="olinpe.page_read").exists()


def test_referent_imports_a_newer_dictionary_from_the_page(referent_client):
    descriptor = io.BytesIO(b'{"fields": [{"name": "NUMANONYM"}], "version": "2026.1"}')
    descriptor.name = "olinpe-2026.json"
    response = referent_client.post(reverse("olinpe:dictionary_import"), {"file": descriptor}, follow=True)
    assert "il manque" in response.content.decode()
