"""Dates as French writes them: « 1er juillet 2026 », « 2 juillet 2026, 14:05 ». Loaded in every template."""

from django import template
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()


def _first_of_month(text: str, value) -> str:
    if get_language() == "fr" and value.day == 1 and text.startswith("1 "):
        return "1er " + text[2:]
    return text


@register.filter(expects_localtime=True)
def day(value, with_time: str = ""):
    """`{{ d|day }}` for the date, `{{ d|day:"time" }}` with the hour and minute."""
    if not value:
        return ""
    return _first_of_month(formats.date_format(value, "j F Y, H:i" if with_time else "j F Y"), value)


# A partner's name in a sentence (`conventions.models.Partner`): « du CHU », « de la CAF », « à l'ARS ».
# `{{ partner|of_partner }}` uses the short name when there is one, `{{ partner|of_partner:"full" }}` the name.


@register.filter
def the_partner(partner, full: str = "") -> str:
    return partner.with_article(full=bool(full))


@register.filter
def of_partner(partner, full: str = "") -> str:
    return partner.of_name(full=bool(full))


@register.filter
def to_partner(partner, full: str = "") -> str:
    return partner.to_name(full=bool(full))
