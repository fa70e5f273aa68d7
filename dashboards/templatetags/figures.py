"""How a dashboard's figures read in French: values with their unit, masked cells, changes, sources."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

register = template.Library()

UNIT_SUFFIXES = {"rate": " %", "amount": " €", "days": " j"}
DIMENSIONS = {
    "territory": gettext_lazy("By territory"),
    "sex": gettext_lazy("By sex"),
    "age_group": gettext_lazy("By age group"),
}


def _number(value: float, unit: str) -> str:
    decimals = 0 if float(value).is_integer() else (1 if unit == "rate" else 2)
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True) + UNIT_SUFFIXES.get(
        unit, ""
    )


@register.simple_tag
def cell(value_cell: dict | None, unit: str, internal: bool = False):
    """A cell's value; a masked one says so (and, for the ODPE team only, still shows its raw value)."""
    if value_cell is None:
        return "—"
    reason = value_cell.get("masked")
    if not reason:
        return _number(value_cell["value"], unit) if value_cell["value"] is not None else "—"
    why = masked_reason(reason)
    if internal and value_cell["value"] is not None:
        return format_html(
            '<span class="masked masked--internal" title="{}">{} <span class="masked__label">({})</span></span>',
            why,
            _number(value_cell["value"], unit),
            pgettext("cell", "masked"),
        )
    return format_html('<span class="masked" title="{}">{}</span>', why, _("statistical confidentiality"))


@register.filter
def masked_reason(reason: str) -> str:
    if reason == "small_count":
        return _("Masked: a small count, which could identify children or families.")
    return _("Masked so that a small count cannot be worked out from the totals.")


@register.filter
def change(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    percent = round(ratio * 100)
    sign = "+" if percent > 0 else ("−" if percent < 0 else "")
    return f"{sign}{number_format(abs(percent))} %"


@register.filter
def dimension_label(dimension: str) -> str:
    return str(DIMENSIONS.get(dimension, dimension))


@register.simple_tag
def source_line(figure: dict, sources: dict) -> str:
    names = [sources[source]["name"] for source in figure["sources"] if source in sources]
    return ", ".join(names)
