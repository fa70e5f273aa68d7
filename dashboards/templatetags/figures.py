"""How a dashboard's figures read in French: values with their unit, masked cells, changes, sources, charts."""

from django import template
from django.conf import settings
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from dashboards import charts, maps

register = template.Library()

UNIT_SUFFIXES = {"rate": " %", "per_thousand": " ‰", "amount": " €", "days": " j"}
RATES = {"rate", "per_thousand"}
DIMENSIONS = {
    "territory": gettext_lazy("By territory"),
    "sex": gettext_lazy("By sex"),
    "age_group": gettext_lazy("By age group"),
}


def _number(value: float, unit: str) -> str:
    decimals = 0 if float(value).is_integer() else (1 if unit in RATES else 2)
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True) + UNIT_SUFFIXES.get(
        unit, ""
    )


@register.simple_tag
def cell(value_cell: dict | None, unit: str, internal: bool = False):
    """A cell's value; a masked one says so (and, for the ODPE team only, still shows its raw value)."""
    if not value_cell:  # also a snapshot made before breakdowns kept the previous year
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


@register.simple_tag
def reference_label(reference: dict) -> str:
    """« Référence France (DREES, 2023) »: whose figure it is, who publishes it, for which year."""
    scopes = {"france": _("France"), "region": _("region")}
    return _("Reference %(scope)s (%(source)s, %(year)s)") % {
        "scope": scopes.get(reference["scope"], reference["scope"]),
        "source": reference["source"],
        "year": reference["year"],
    }


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
    if any(point.masked and point.value is not None for point in points):
        return _("Dashed: masked outside the ODPE team")
    return ""


@register.simple_tag
def difference(value_cell: dict | None, previous: dict | None, unit: str) -> str:
    """The change from the previous year in the figure's unit (« +120 », « −3,5 ‰ »); a dash when either
    year is masked or missing."""
    if not value_cell or not previous or value_cell.get("masked") or previous.get("masked"):
        return "—"
    if value_cell["value"] is None or previous["value"] is None:
        return "—"
    delta = value_cell["value"] - previous["value"]
    sign = "+" if delta > 0 else ("−" if delta < 0 else "")
    return sign + _number(abs(delta), unit)


def _ident(figure: dict, kind: str) -> str:
    return f"chart-{figure['indicator']}-{kind}"


def _extremes(points: list[charts.Point]) -> str:
    """The lowest and the highest value in words, for a chart's description."""
    shown = [point for point in points if point.value is not None and not point.masked]
    if len(shown) < 2:
        return ""
    low = min(shown, key=lambda point: point.value)
    high = max(shown, key=lambda point: point.value)
    return _(" Lowest: %(low)s (%(low_label)s); highest: %(high)s (%(high_label)s).") % {
        "low": low.text,
        "low_label": low.label,
        "high": high.text,
        "high_label": high.label,
    }


@register.simple_tag
def trend_chart(figure: dict, internal: bool = False):
    """The figure's years as a line with its values; the table under it gives each year's value."""
    points = [_point(str(point["year"]), point, figure["unit"], internal) for point in figure["trend"]]
    first, last = figure["trend"][0], figure["trend"][-1]
    description = _(
        "Line chart of %(indicator)s from %(first)s to %(last)s: %(first_value)s in %(first)s, "
        "%(last_value)s in %(last)s.%(extremes)s Masked years are hatched. The table below gives every value."
    ) % {
        "indicator": figure["label"],
        "first": first["year"],
        "last": last["year"],
        "first_value": _in_words(first, figure["unit"], internal),
        "last_value": _in_words(last, figure["unit"], internal),
        "extremes": _extremes(points),
    }
    svg = charts.line_chart(
        points,
        title=_("%(indicator)s over the years") % {"indicator": figure["label"]},
        description=description,
        ident=_ident(figure, "trend"),
        colour=settings.OBSERVATORY["primary_colour"],
        masked_text=_("masked"),
        legend=_legend(points),
    )
    return mark_safe(svg)  # noqa: S308 (every text in it is escaped by charts)


@register.simple_tag
def breakdown_chart(figure: dict, breakdown: dict, year, internal: bool = False):
    """A breakdown's rows as bars, the year's beside the previous year's when it is known; the table under
    it gives every value and the difference."""
    rows = breakdown["rows"]
    unit = figure["unit"]
    context = {"indicator": figure["label"], "dimension": dimension_label(breakdown["dimension"]).lower()}
    series = [charts.Series(str(year), [_point(row["label"], row, unit, internal) for row in rows])]
    if any(row.get("previous") for row in rows):
        missing = {"value": None, "masked": None}
        series.insert(
            0,
            charts.Series(
                str(int(year) - 1),
                [_point(row["label"], row.get("previous") or missing, unit, internal) for row in rows],
            ),
        )
    description = _(
        "Bar chart of %(indicator)s, %(dimension)s, in %(years)s.%(extremes)s Masked cells are hatched. "
        "The table below gives every value."
    ) % {
        **context,
        "years": _(" and ").join(item.name for item in series),
        "extremes": _extremes(list(series[-1].points)),
    }
    svg = charts.grouped_bar_chart(
        [row["label"] for row in rows],
        series,
        title=_("%(indicator)s, %(dimension)s") % context,
        description=description,
        ident=_ident(figure, breakdown["dimension"]),
        colour=settings.OBSERVATORY["primary_colour"],
        masked_text=_("masked"),
    )
    return mark_safe(svg)  # noqa: S308 (every text in it is escaped by charts)


@register.simple_tag
def territory_multiples(figure: dict, breakdown: dict, internal: bool = False):
    """Each territory over the years, one small chart each on a shared scale; none for a single year."""
    panels = [
        (row["label"], [_point(str(cell["year"]), cell, figure["unit"], internal) for cell in row["history"]])
        for row in breakdown["rows"]
        if len(row.get("history", ())) > 1
    ]
    if not panels:
        return ""
    svg = charts.small_multiples(
        panels,
        title=_("%(indicator)s, each territory over the years") % {"indicator": figure["label"]},
        description=_(
            "One small line chart per territory, on the same scale, with the last year's value written "
            "out. Masked years are hatched. The table gives the values of the last two years."
        ),
        ident=_ident(figure, "territories"),
        colour=settings.OBSERVATORY["primary_colour"],
        masked_text=_("masked"),
    )
    return mark_safe(svg)  # noqa: S308 (every text in it is escaped by charts)


def _area(row: dict, unit: str, internal: bool) -> maps.Area:
    point = _point(row["label"], row, unit, internal)
    return maps.Area(point.label, None if point.masked else point.value, point.text, point.masked)


@register.simple_tag
def territory_map(figure: dict, breakdown: dict, content: dict, internal: bool = False):
    """The territories coloured by class of value: their shapes when the snapshot has a drawing of them,
    otherwise a tile map. Each territory is focusable, named by its name and value."""
    areas = [_area(row, figure["unit"], internal) for row in breakdown["rows"]]
    drawing = content.get("map")
    context = {
        "indicator": figure["label"],
        "year": content["data_year"],
    }
    common = {
        "title": _("%(indicator)s by territory in %(year)s: map") % context,
        "ident": _ident(figure, "map"),
        "legend_title": _("Classes of values"),
        "masked_text": _("masked"),
    }
    if drawing and any(area.label in drawing["paths"] for area in areas):
        svg = maps.choropleth(
            areas,
            drawing,
            description=_(
                "Map of the territories, shaded and patterned by class of value, the darkest the highest. "
                "Each territory can be reached with the keyboard; the table beside gives every value."
            ),
            **common,
        )
    else:
        svg = maps.tile_map(
            areas,
            description=_(
                "One square per territory with its value, shaded and patterned by class of value, the "
                "darkest the highest. The table beside gives every value."
            ),
            **common,
        )
    return mark_safe(svg)  # noqa: S308 (every text in it is escaped by maps)


@register.simple_tag
def shapes_preview(drawing: dict):
    """The uploaded shapes, unshaded, each named: what the admin checks before generating a dashboard."""
    areas = [maps.Area(name, None, "") for name in drawing["paths"]]
    svg = maps.choropleth(
        areas,
        drawing,
        title=_("The territories as uploaded"),
        description=_("Each territory's outline; its name is its accessible name."),
        ident="shapes-preview",
        legend_title=_("Classes of values"),
        masked_text=_("masked"),
    )
    return mark_safe(svg)  # noqa: S308 (every text in it is escaped by maps)
