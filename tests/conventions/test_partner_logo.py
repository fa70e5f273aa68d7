import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conventions.validators import validate_logo, validate_pdf
from dashboards.rendering import embedded_logo
from tests.conventions.factories import PartnerFactory


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


@pytest.mark.django_db
def test_a_png_named_logo_pdf_is_stored_as_a_png_and_served_as_one(member_client):
    partner = PartnerFactory(logo=SimpleUploadedFile("logo.pdf", image_bytes("PNG")))

    response = member_client.get(reverse("conventions:partner_logo", args=[partner.pk]))

    assert partner.logo.name.endswith(".png")
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == image_bytes("PNG")


@pytest.mark.django_db
@pytest.mark.parametrize("image_format, content_type", [("JPEG", "image/jpeg"), ("WEBP", "image/webp")])
def test_a_logo_is_served_with_the_type_read_from_its_bytes(member_client, image_format, content_type):
    partner = PartnerFactory(logo=SimpleUploadedFile("logo.png", image_bytes(image_format)))

    response = member_client.get(reverse("conventions:partner_logo", args=[partner.pk]))
    response.close()

    assert response["Content-Type"] == content_type


@pytest.mark.django_db
def test_a_stored_logo_that_is_not_an_image_is_not_served(member_client):
    partner = PartnerFactory(logo=SimpleUploadedFile("logo.png", b"%PDF-1.4 <script>"))

    response = member_client.get(reverse("conventions:partner_logo", args=[partner.pk]))

    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert "n’est pas une image" in response.content.decode()


@pytest.mark.django_db
def test_the_pdf_embeds_a_logo_with_the_type_read_from_its_bytes():
    partner = PartnerFactory(logo=SimpleUploadedFile("logo.pdf", image_bytes("PNG")))
    impostor = PartnerFactory(logo=SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>"))

    assert embedded_logo(partner.logo).startswith("data:image/png;base64,")
    assert embedded_logo(impostor.logo) == ""
