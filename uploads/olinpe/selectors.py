"""Reads of the OLINPE area."""

from uploads.olinpe.dictionary import Dictionary, shipped
from uploads.olinpe.models import VariableDictionary


def current_dictionary() -> Dictionary:
    """The latest dictionary the referent imported, or the one shipped with the platform."""
    latest = VariableDictionary.objects.first()
    return latest.read() if latest is not None else shipped()
