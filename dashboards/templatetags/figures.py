"""How a dashboard's figures read in French: values with their unit, masked cells, changes, sources, charts."""

from django import template
from django.conf import settings
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from dashboards import charts

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
    if internal and value_cell["value"] is not None:
        return format_html(
            '<span class="masked masked--internal" title="{}">{} <span class="masked__label">({})</span></span>',
            masked_reason(reason),
            _number(value_cell["value"], unit),
            pgettext("cell", "masked, internal"),
        )
    # Outside the team every masked cell reads the same, whatever the snapshot says of it: a reader who
    # could tell the small count from its complements would know the small count's interval.
    return format_html('<span class="masked">{}</span>', _("statistical confidentiality"))


def masked_reason(reason: str) -> str:
    """Why a cell is masked, for the ODPE team's internal preview only."""
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
def source_line(figure: dict, sources: dict, short: bool = False) -> str:
    """The partners a figure comes from; `short` uses their short names (a summary table, next to the
    contributors' list that names them in full)."""
    names = [
        (short and sources[source].get("short_name")) or sources[source]["name"]
        for source in figure["sources"]
        if source in sources
    ]
    return ", ".join(names)


def _in_words(value_cell: dict | None, unit: str, internal: bool) -> str:
    """A cell as a sentence says it: the value, or why it is not given."""
    if value_cell is None or (value_cell["value"] is None and not value_cell.get("masked")):
        return _("not available")
    if value_cell.get("masked"):
        if internal and value_cell["value"] is not None:
            return _("%(value)s (masked outside the ODPE team)") % {
                "value": _number(value_cell["value"], unit)
            }
        return _("statistical confidentiality")
    return _number(value_cell["value"], unit)


def _point(label: str, value_cell: dict, unit: str, internal: bool) -> charts.Point:
    value = value_cell["value"]
    masked = bool(value_cell.get("masked"))
    if masked and not internal:
        value = None
    text = _number(value, unit) if value is not None else ""
    return charts.Point(label=label, value=value, text=text, masked=masked)


def _legend(points: list[charts.Point]) -> str:
    if any(point.masked and point.value is None for point in points):
        return _("s: statistical confidentiality")
    if any(point.masked for point in points):
        return _("Dashed: masked outside the ODPE team")
    return ""


def _values_in_words(pairs: list[tuple[str, str]]) -> str:
    return _("; ").join(
        _("%(label)s: %(value)s") % {"label": label, "value": value} for label, value in pairs
    )


@register.simple_tag
def trend_chart(figure: dict, internal: bool = False):
    """The figure's years as columns; the chart's name says every value in words."""
    points = [_point(str(point["year"]), point, figure["unit"], internal) for point in figure["trend"]]
    words = _values_in_words(
        [(str(point["year"]), _in_words(point, figure["unit"], internal)) for point in figure["trend"]]
    )
    svg = charts.column_chart(
        points,
        title=_("%(indicator)s over the years") % {"indicator": figure["label"]},
        label=_("Chart: %(indicator)s over the years. %(values)s.")
        % {"indicator": figure["label"], "values": words},
        colour=settings.OBSERVATORY["primary_colour"],
        legend=_legend(points),
    )
    return mark_safe(svg)  # noqa: S308 (every text in it is escaped by charts)


@register.simple_tag
def breakdown_chart(figure: dict, breakdown: dict, year, internal: bool = False):
    """A breakdown's rows as horizontal bars; the chart's name says every value in words."""
    rows = breakdown["rows"]
    points = [_point(row["label"], row, figure["unit"], internal) for row in rows]
    words = _values_in_words([(row["label"], _in_words(row, figure["unit"], internal)) for row in rows])
    context = {"indicator": figure["label"], "dimension": dimension_label(breakdown["dimension"]).lower()}
    svg = charts.bar_chart(
        points,
        title=_("%(indicator)s, %(dimension)s") % context,
        label=_("Chart: %(indicator)s, %(dimension)s, in %(year)s. %(values)s.")
        % {**context, "year": year, "values": words},
        colour=settings.OBSERVATORY["primary_colour"],
        legend=_legend([point for point in points if point.value is not None]),
        masked_text=_("statistical confidentiality"),
    )
    return mark_safe(svg)  # noqa: S308 (every text in it is escaped by charts)
