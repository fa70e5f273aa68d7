"""Forms sent by something other than our pages: too large, too many fields, broken, without their CSRF
token, not in UTF-8. Each gets a French 4xx page and saves nothing; none is a server error."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.multipart import CONTENT_TYPE, multipart
from tests.uploads.factories import xlsx_bytes, xlsx_upload
from uploads.models import Campaign, SubmissionVersion

UNREADABLE = "Le formulaire n’a pas pu être lu"


def campaign_form(**extra) -> dict:
    today = timezone.localdate()
    return {
        "data_year": 2031,
        "opens_on": today.isoformat(),
        "due_on": (today + timedelta(days=60)).isoformat(),
        **extra,
    }


def upload_url(submission) -> str:
    return reverse("uploads:submission_upload", args=[submission.pk])


def assert_french_page(response, status: int, text: str) -> None:
    assert response.status_code == status
    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert text in body
    assert "Traceback" not in body


def test_a_form_above_the_memory_limit_gets_the_400_page_and_creates_nothing(referent_client):
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = referent_client.post(reverse("uploads:campaign_create"), campaign_form(notes=padding))

    assert_french_page(response, 400, UNREADABLE)
    assert not Campaign.objects.exists()


def test_an_upload_whose_fields_exceed_the_memory_limit_gets_the_400_page_and_keeps_nothing(
    correspondent_client, submission
):
    comment = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = correspondent_client.post(
        upload_url(submission), {"file": xlsx_upload(), "attested": "on", "comment": comment}
    )

    assert_french_page(response, 400, UNREADABLE)
    assert not SubmissionVersion.objects.exists()


def test_a_form_with_too_many_fields_gets_the_400_page_and_creates_nothing(referent_client):
    fields = {f"f{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = referent_client.post(reverse("uploads:campaign_create"), campaign_form(**fields))

    assert_french_page(response, 400, UNREADABLE)
    assert not Campaign.objects.exists()


def test_an_upload_with_too_many_files_gets_the_400_page_and_keeps_nothing(correspondent_client, submission):
    files = [
        (f'filename="t{n}.xlsx"'.encode(), b"PK") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]

    response = correspondent_client.post(
        upload_url(submission), multipart({"attested": b"on"}, files), content_type=CONTENT_TYPE
    )

    assert_french_page(response, 400, UNREADABLE)
    assert not SubmissionVersion.objects.exists()


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("multipart/form-data", b'--x\r\nContent-Disposition: form-data; name="attested"\r\n\r\non\r\n--x--'),
        ("multipart/form-data; boundary=" + "b" * 80, b"--" + b"b" * 80 + b"\r\n"),
        (
            CONTENT_TYPE,
            b'--odpe-test-boundary\r\nContent-Disposition: form-data; name="file"; filename="t.xlsx"\r\n',
        ),
        (CONTENT_TYPE, b"not a multipart body at all"),
    ],
    ids=["no-boundary", "boundary-too-long", "truncated", "garbage"],
)
def test_a_broken_multipart_upload_gets_a_400_page_and_keeps_nothing(
    correspondent_client, submission, content_type, body
):
    response = correspondent_client.post(upload_url(submission), body, content_type=content_type)

    assert response.status_code == 400
    assert '<html lang="fr">' in response.content.decode()
    assert not SubmissionVersion.objects.exists()


def test_an_upload_without_its_csrf_token_gets_the_french_403_page_and_keeps_nothing(
    correspondent, submission
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(correspondent)

    response = client.post(upload_url(submission), {"file": xlsx_upload(), "attested": "on"})

    assert_french_page(response, 403, "Ce formulaire a expiré")
    assert not SubmissionVersion.objects.exists()


def test_a_form_not_sent_in_utf8_gets_the_400_page_and_creates_nothing(referent_client):
    body = f"data_year=2031&opens_on={timezone.localdate().isoformat()}&due_on={(timezone.localdate() + timedelta(days=60)).isoformat()}&note=%FF%FEcaf%E9"

    response = referent_client.post(
        reverse("uploads:campaign_create"), body, content_type="application/x-www-form-urlencoded"
    )

    assert_french_page(response, 400, "pas envoyé en UTF-8")
    assert not Campaign.objects.exists()


def test_an_upload_whose_comment_is_not_utf8_gets_the_400_page_and_keeps_nothing(
    correspondent_client, submission
):
    body = multipart(
        {"attested": b"on", "comment": b"Chiffres valid\xe9s"}, [(b'filename="tableau.xlsx"', xlsx_bytes([]))]
    )

    response = correspondent_client.post(upload_url(submission), body, content_type=CONTENT_TYPE)

    assert_french_page(response, 400, "pas envoyé en UTF-8")
    assert not SubmissionVersion.objects.exists()
