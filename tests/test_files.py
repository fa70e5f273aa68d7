"""The intake of an uploaded file, shared by the collection and the documents library."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from dashboards.models import Document
from odpe import files

CONTENT = b"%PDF-1.4 an observatory study"


def test_intake_fingerprints_the_bytes_and_stores_them_under_a_random_name():
    document = Document()
    with files.intake(
        document.file, SimpleUploadedFile("étude finale.pdf", CONTENT), "étude finale.pdf"
    ) as got:
        pass
    assert got == files.Received(sha256=hashlib.sha256(CONTENT).hexdigest(), size=len(CONTENT))
    assert document.file.name.startswith("documents/") and "finale" not in document.file.name
    with default_storage.open(document.file.name, "rb") as stored:
        assert stored.read() == CONTENT


def test_stored_bytes_do_not_outlive_a_failed_intake():
    document = Document()
    with (
        pytest.raises(RuntimeError),
        files.intake(document.file, SimpleUploadedFile("a.pdf", CONTENT), "a.pdf"),
    ):
        stored = document.file.name
        assert default_storage.exists(stored)
        raise RuntimeError("the record could not be kept")
    assert not default_storage.exists(stored)
