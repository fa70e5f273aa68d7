import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conventions.validators import validate_logo, validate_pdf


def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "navy").save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP"])
def test_logo_accepts_real_png_jpeg_and_webp_images(image_format):
    validate_logo(SimpleUploadedFile("logo.img", image_bytes(image_format)))


def test_logo_refuses_a_file_that_is_not_an_image_whatever_its_name():
    with pytest.raises(ValidationError):
        validate_logo(SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image"))


def test_logo_refuses_other_image_formats():
    with pytest.raises(ValidationError):
        validate_logo(SimpleUploadedFile("logo.gif", image_bytes("GIF")))


def test_logo_refuses_a_file_over_the_size_limit(settings):
    settings.LOGO_MAX_BYTES = 100

    with pytest.raises(ValidationError):
        validate_logo(SimpleUploadedFile("logo.png", image_bytes("PNG") + b"\0" * 200))


def test_signed_document_must_be_a_pdf():
    validate_pdf(SimpleUploadedFile("c.pdf", b"%PDF-1.7\n..."))
    with pytest.raises(ValidationError):
        validate_pdf(SimpleUploadedFile("c.pdf", b"PK\x03\x04 a zip"))
