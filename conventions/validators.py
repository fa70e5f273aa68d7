from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from conventions.logos import LOGO_TYPES, image_format


def _check_size(file, limit: int) -> None:
    if file.size > limit:
        raise ValidationError(
            _("This file weighs %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)}
        )


def validate_logo(file) -> None:
    """A logo is a real PNG, JPEG or WebP image (checked from its bytes) within the size limit."""
    _check_size(file, settings.LOGO_MAX_BYTES)
    found = image_format(file)
    if found is None:
        raise ValidationError(_("This file is not a readable image. Send a PNG, JPEG or WebP logo."))
    if found not in LOGO_TYPES:
        raise ValidationError(_("Logos must be PNG, JPEG or WebP images."))


def validate_pdf(file) -> None:
    _check_size(file, settings.SIGNED_DOCUMENT_MAX_BYTES)
    file.seek(0)
    header = file.read(5)
    file.seek(0)
    if header != b"%PDF-":
        raise ValidationError(_("This file is not a PDF document."))
