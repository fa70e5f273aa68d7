"""A shared document's type comes from its bytes: names lie, magic numbers and zip directories do not."""

import io

import pytest

from dashboards import filetypes
from dashboards.filetypes import NotAccepted
from tests.dashboards.factories import PDF_BYTES, docx_bytes, opendocument_bytes, xlsx_bytes, zip_bytes

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
LEGACY_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def identify(content: bytes):
    return filetypes.identify(io.BytesIO(content))


@pytest.mark.parametrize(
    ("content", "extension"),
    [
        (PDF_BYTES, "pdf"),
        (docx_bytes(), "docx"),
        (xlsx_bytes(), "xlsx"),
        (opendocument_bytes("application/vnd.oasis.opendocument.text"), "odt"),
        (opendocument_bytes("application/vnd.oasis.opendocument.spreadsheet"), "ods"),
    ],
)
def test_each_accepted_type_is_recognised_from_its_bytes(content, extension):
    assert identify(content).extension == extension


@pytest.mark.parametrize(
    "content",
    [EXECUTABLE, HTML, SVG, b"", b"Territoire;Enfants\nForez;12\n", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32],
)
def test_anything_else_is_refused_whatever_its_name(content):
    with pytest.raises(NotAccepted) as refusal:
        identify(content)

    assert refusal.value.reason == NotAccepted.UNKNOWN


def test_a_pdf_header_placed_after_html_does_not_make_a_pdf():
    with pytest.raises(NotAccepted):
        identify(b"<html>" + PDF_BYTES)


def test_legacy_and_password_protected_office_files_are_refused_with_their_own_reason():
    with pytest.raises(NotAccepted) as refusal:
        identify(LEGACY_WORD)

    assert refusal.value.reason == NotAccepted.LEGACY_OFFICE


def test_office_files_with_macros_are_refused():
    with pytest.raises(NotAccepted) as refusal:
        identify(docx_bytes(macros=True))

    assert refusal.value.reason == NotAccepted.MACROS


def test_an_opendocument_with_basic_scripts_is_refused():
    content = zip_bytes(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "Basic/Standard/Module1.xml": b"<x/>"},
        stored_first=True,
    )

    with pytest.raises(NotAccepted) as refusal:
        identify(content)

    assert refusal.value.reason == NotAccepted.MACROS


@pytest.mark.parametrize(
    "content",
    [
        zip_bytes({"index.html": HTML}),  # a zip, but no office document
        zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}),
        zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.presentation"}, stored_first=True),
    ],
)
def test_other_zips_are_refused(content):
    with pytest.raises(NotAccepted) as refusal:
        identify(content)

    assert refusal.value.reason == NotAccepted.UNKNOWN


def test_a_truncated_zip_is_damaged():
    with pytest.raises(NotAccepted) as refusal:
        identify(docx_bytes()[:40])

    assert refusal.value.reason == NotAccepted.DAMAGED


def test_the_stream_is_left_at_its_start():
    stream = io.BytesIO(docx_bytes())

    filetypes.identify(stream)

    assert stream.tell() == 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Étude 2024.pdf", "Étude 2024.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\moi\\rapport.PDF", "rapport.pdf"),
        ('rapport"; filename="virus.exe.pdf', "rapport__ filename=_virus.exe.pdf"),
        ("ligne\r\nX-Injected: oui.pdf", "ligneX-Injected_ oui.pdf"),
        (".cache.pdf", "cache.pdf"),
        ("...pdf", "document.pdf"),
        ("rapport", "rapport.pdf"),
        ("x" * 400 + ".pdf", "x" * 150 + ".pdf"),
    ],
)
def test_names_given_back_are_safe_and_end_with_the_real_type(name, expected):
    assert filetypes.safe_filename(name, filetypes.PDF) == expected
