"""Partners' logos: their type is read from their bytes (Pillow), never from the name they came with.

A PNG sent as « logo.pdf » is stored as .png and served as image/png; a stored file that is not a PNG,
JPEG or WebP image is not served at all.
"""

import uuid

from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from odpe.errors import ExplainedNotFound

# Pillow's format name -> the extension stored and the type served.
LOGO_TYPES = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "WEBP": ("webp", "image/webp")}


def image_format(file) -> str | None:
    """The image format Pillow reads from a file's bytes (« PNG »…), or None when they are no image."""
    from PIL import Image  # here: the models import this module, and every process would load Pillow

    try:
        file.seek(0)
        with Image.open(file) as image:
            found = image.format
            image.verify()
    except (OSError, SyntaxError, ValueError):  # Pillow's UnidentifiedImageError is an OSError
        return None
    finally:
        file.seek(0)
    return found


def logo_content_type(logo) -> str | None:
    """The type to serve a stored logo under, read from its bytes; None for anything but a logo image."""
    with logo.open("rb") as file:
        found = image_format(file)
    return LOGO_TYPES[found][1] if found in LOGO_TYPES else None


def logo_response(logo) -> FileResponse:
    content_type = logo_content_type(logo)
    if content_type is None:
        raise ExplainedNotFound(_("This logo is not a PNG, JPEG or WebP image: it is not shown."))
    return FileResponse(logo.open("rb"), content_type=content_type)


@deconstructible
class LogoUploadTo:
    """A random name in `folder`, with the extension of the image type read from the logo's bytes."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        try:
            found = image_format(instance.logo.file)
        except ValueError:  # saved without going through the model field: no file to read yet
            found = None
        extension = LOGO_TYPES[found][0] if found in LOGO_TYPES else "bin"
        return f"{self.folder}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other):
        return isinstance(other, LogoUploadTo) and other.folder == self.folder
