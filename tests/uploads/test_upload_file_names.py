"""A file's name is the sender's: it never chooses where the bytes go, and is cleaned before anyone sees
it or downloads the file under it."""

import re

import pytest
from django.urls import reverse

from odpe.filenames import MAX_LENGTH, display_name
from tests.multipart import CONTENT_TYPE, multipart
from tests.uploads.factories import GOOD_ROWS, xlsx_bytes

STORED_NAME = re.compile(r"submissions/[0-9a-f]{32}\.xlsx")


@pytest.mark.parametrize(
    "parameter, shown",
    [
        (b'filename="../../etc/passwd.xlsx"', "passwd.xlsx"),
        (b'filename="C:\\Users\\x\\y.xlsx"', "y.xlsx"),
        (b'filename="rapport\x00annuel.xlsx"', "rapportannuel.xlsx"),
        (
            b"filename*=UTF-8''rapport%0D%0ASet-Cookie%3A%20x%3D1.xlsx",
            "rapportSet-Cookie: x=1.xlsx",
        ),
        (b"filename*=UTF-8''facture%E2%80%AEslx.xlsx", "factureslx.xlsx"),
        (b'filename="' + b"tableau " * 60 + b'.xlsx"', None),
    ],
    ids=["posix-path", "windows-path", "nul", "newlines", "bidi-override", "very-long"],
)
def test_an_uploaded_file_is_stored_under_a_random_name_and_its_own_is_cleaned(
    correspondent_client, submission, parameter, shown, django_capture_on_commit_callbacks
):
    body = multipart({"attested": b"on"}, [(parameter, xlsx_bytes(GOOD_ROWS))])

    with django_capture_on_commit_callbacks(execute=True):  # checked: only then is it handed over
        response = correspondent_client.post(
            reverse("uploads:submission_upload", args=[submission.pk]), body, content_type=CONTENT_TYPE
        )

    assert response.status_code == 302
    version = submission.versions.get()
    assert STORED_NAME.fullmatch(version.file.name)
    if shown is None:
        assert len(version.original_name) <= MAX_LENGTH and version.original_name.endswith(".xlsx")
    else:
        assert version.original_name == shown
    download = correspondent_client.get(reverse("uploads:version_file", args=[version.pk]))
    download.close()
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; filename")
    assert not set(disposition) & {"\r", "\n", "\x00", "/", "\\"}


@pytest.mark.parametrize(
    "name, shown",
    [
        ("../../etc/passwd.xlsx", "passwd.xlsx"),
        ("C:\\x\\y.xlsx", "y.xlsx"),
        ("ligne\nsuivante\x00.xlsx", "ligne suivante .xlsx"),
        ("\u202etableau.xlsx", "tableau.xlsx"),
        ("  ..  ", "fichier"),
        ("", "fichier"),
        ("é" * 200 + ".xlsx", "é" * (MAX_LENGTH - 5) + ".xlsx"),
        ("x" * 200, "x" * MAX_LENGTH),
    ],
)
def test_display_names_keep_the_last_segment_without_invisible_characters(name, shown):
    assert display_name(name) == shown


def test_a_download_named_with_quotes_and_accents_gets_a_well_formed_header(
    correspondent_client, submission, django_capture_on_commit_callbacks
):
    body = multipart(
        {"attested": b"on"}, [('filename="Données "2025".xlsx"'.encode(), xlsx_bytes(GOOD_ROWS))]
    )
    with django_capture_on_commit_callbacks(execute=True):
        correspondent_client.post(
            reverse("uploads:submission_upload", args=[submission.pk]), body, content_type=CONTENT_TYPE
        )
    version = submission.versions.get()

    download = correspondent_client.get(reverse("uploads:version_file", args=[version.pk]))
    download.close()

    assert (
        download["Content-Disposition"] == "attachment; filename*=utf-8''" + "Donn%C3%A9es%20%222025%22.xlsx"
    )
