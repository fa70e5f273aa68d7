"""A correspondent of partner A gets 404 on every submission, report and file URL of partner B."""

import pytest
from django.urls import reverse

from odpe.audit import Actor
from tests.uploads.factories import xlsx_upload
from uploads import services


@pytest.fixture
def other_version(other_submission, other_partner_correspondent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.receive_upload(
            other_submission,
            actor=Actor(user=other_partner_correspondent),
            uploaded_file=xlsx_upload(),
            attested=True,
        )
    return version


@pytest.mark.parametrize(
    "name", ["uploads:version_detail", "uploads:version_file", "uploads:version_annotated"]
)
def test_correspondent_gets_404_for_other_partners_version(correspondent_client, other_version, name):
    assert correspondent_client.get(reverse(name, args=[other_version.pk])).status_code == 404


def test_correspondent_gets_404_for_other_partners_submission(correspondent_client, other_submission):
    assert correspondent_client.get(other_submission.get_absolute_url()).status_code == 404


def test_correspondent_gets_404_when_uploading_to_other_partners_submission(
    correspondent_client, other_submission
):
    response = correspondent_client.post(
        reverse("uploads:submission_upload", args=[other_submission.pk]),
        {"file": xlsx_upload(), "attested": "on"},
    )
    assert response.status_code == 404
    assert not other_submission.versions.exists()


def test_correspondent_gets_404_for_other_partners_template(correspondent_client, campaign, other_partner):
    url = reverse("uploads:template_download", args=[campaign.pk, other_partner.pk])
    assert correspondent_client.get(url).status_code == 404


def test_referent_downloads_any_partners_file_as_sent(referent_client, other_version):
    response = referent_client.get(reverse("uploads:version_file", args=[other_version.pk]))

    assert response.status_code == 200
    with other_version.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()
    response.close()


def test_member_gets_403_on_collection_pages(member_client, other_version):
    assert member_client.get(reverse("uploads:version_detail", args=[other_version.pk])).status_code == 403
    assert member_client.get(reverse("uploads:review_queue")).status_code == 403
