"""Reads of the OLINPE area."""

from django.db.models import Case, QuerySet, When
from django.http import Http404

from odpe.accounts import access
from uploads.olinpe.dictionary import Dictionary, shipped
from uploads.olinpe.models import VariableDictionary, YearlyBase


def current_dictionary() -> Dictionary:
    """The latest dictionary the referent imported, or the one shipped with the platform."""
    latest = VariableDictionary.objects.first()
    return latest.read() if latest is not None else shipped()


def yearly_bases_visible_to(user) -> QuerySet[YearlyBase]:
    return YearlyBase.objects.all() if access.reads_olinpe(user) else YearlyBase.objects.none()


def get_base_for(user, year: int) -> YearlyBase:
    """The year's base kept (checked or being checked), else its latest refused import; 404 otherwise."""
    bases = (
        yearly_bases_visible_to(user)
        .filter(year=year)
        .order_by(Case(When(status=YearlyBase.Status.REFUSED, then=1), default=0), "-imported_at")
    )
    found = bases.first()
    if found is None:
        raise Http404
    return found
