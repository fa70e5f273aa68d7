from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}


def _check_size(file, limit: int) -> None:
    if file.size > limit:
        raise ValidationError(
            _("This file weighs %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)}
        )


def validate_logo(file) -> None:
    """A logo is a real PNG, JPEG or WebP image (checked from its bytes) within the size limit."""
    _check_size(file, settings.LOGO_MAX_BYTES)
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not a readable image. Send a PNG, JPEG or WebP logo.")
        ) from None
    finally:
        file.seek(0)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(_("Logos must be PNG, JPEG or WebP images."))


def validate_pdf(file) -> None:
    _check_size(file, settings.SIGNED_DOCUMENT_MAX_BYTES)
    file.seek(0)
    header = file.read(5)
    file.seek(0)
    if header != b"%PDF-":
        raise ValidationError(_("This file is not a PDF document."))
