"""Charts of a dashboard as inline SVG, drawn on the server. Pure Python: no Django, no script, no CDN.

Two shapes a person reads at a glance: columns for a figure's years, horizontal bars for a breakdown.
The caller gives every text already written out (values in French, the sentence that says the values in
words, the legend), so that this module only draws. A chart is an image (`role="img"`) named by that
sentence; the table printed next to it stays the accessible source of the figures.

No `style` attribute anywhere (the Content-Security-Policy refuses inline styles): colours and fonts are
SVG presentation attributes, which the policy does not govern and WeasyPrint reads for the PDF.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

TEXT = "#1a1a1a"
AXIS = "#6b7178"
FONT = "system-ui, 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif"
CHAR_WIDTH = 6.6  # average width of a character at FONT_SIZE, to size the labels' room
FONT_SIZE = 12
MASKED_MARK = "s"  # the statisticians' mark for "secret statistique", explained by the legend


@dataclass(frozen=True)
class Point:
    """One value of a chart. `value` None with `masked` is a masked cell published without its value;
    a masked cell that still has its value (the ODPE team's internal preview) is drawn dashed."""

    label: str
    value: float | None
    text: str
    masked: bool = False


def _attributes(**attributes) -> str:
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(str(value))}"' for name, value in attributes.items()
    )


def _element(tag: str, content: str = "", **attributes) -> str:
    attrs = _attributes(**attributes)
    return f"<{tag} {attrs}>{escape(content)}</{tag}>" if content else f"<{tag} {attrs}/>"


def _svg(width: float, height: float, label: str, title: str, body: list[str], css_class: str) -> str:
    head = _attributes(
        xmlns="http://www.w3.org/2000/svg",
        class_=css_class,
        width=round(width),
        height=round(height),
        viewBox=f"0 0 {round(width)} {round(height)}",
        role="img",
        aria_label=label,
        focusable="false",
        font_family=FONT,
        font_size=FONT_SIZE,
    )
    return f"<svg {head}><title>{escape(title)}</title>{''.join(body)}</svg>"


def _scale(points: Sequence[Point]) -> tuple[float, float]:
    values = [point.value for point in points if point.value is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    return low, (high - low) or 1.0


def _legend(y: float, legend: str) -> str:
    return _element("text", legend, x=0, y=y, fill=TEXT, font_size=FONT_SIZE - 1)


def column_chart(
    points: Sequence[Point], *, title: str, label: str, colour: str, legend: str = "", height: int = 170
) -> str:
    """Columns, one per point (a figure's years), each with its value written above it."""
    longest = max([len(point.text) for point in points] + [len(point.label) for point in points] + [4])
    slot = max(64.0, longest * CHAR_WIDTH + 16)
    top, bottom = 22.0, 24.0
    legend_room = 22.0 if legend else 0.0
    width = max(slot * len(points), 320.0)
    plot = height - top - bottom - legend_room
    low, span = _scale(points)
    zero = top + plot * (1 - (0 - low) / span)
    body = [_element("line", x1=0, x2=width, y1=zero, y2=zero, stroke=AXIS, stroke_width=1)]
    for index, point in enumerate(points):
        centre = slot * index + slot / 2
        bar = slot * 0.6
        body.append(
            _element(
                "text", point.label, x=centre, y=height - legend_room - 6, text_anchor="middle", fill=TEXT
            )
        )
        if point.value is None:
            mark = MASKED_MARK if point.masked else "—"
            body.append(_element("text", mark, x=centre, y=zero - 6, text_anchor="middle", fill=TEXT))
            continue
        y = top + plot * (1 - (point.value - low) / span)
        rect_y, rect_height = min(y, zero), max(abs(zero - y), 1.0)
        body.append(_bar(centre - bar / 2, rect_y, bar, rect_height, colour, point.masked))
        body.append(_element("text", point.text, x=centre, y=rect_y - 6, text_anchor="middle", fill=TEXT))
    if legend:
        body.append(_legend(height - 4, legend))
    return _svg(width, height, label, title, body, "chart chart--columns")


def bar_chart(
    points: Sequence[Point], *, title: str, label: str, colour: str, legend: str = "", masked_text: str = ""
) -> str:
    """Horizontal bars, one per point (a breakdown's rows), the value written after each bar."""
    row, gap = 22.0, 6.0
    label_width = min(max(len(point.label) for point in points) * CHAR_WIDTH + 12, 220.0)
    value_width = max(len(point.text) for point in points) * CHAR_WIDTH + 16
    track = 300.0
    width = label_width + track + value_width
    legend_room = 22.0 if legend else 0.0
    height = len(points) * (row + gap) + gap + legend_room
    low, span = _scale(points)
    zero = label_width + track * (0 - low) / span
    body = [_element("line", x1=zero, x2=zero, y1=0, y2=height - legend_room, stroke=AXIS, stroke_width=1)]
    for index, point in enumerate(points):
        y = gap + index * (row + gap)
        middle = y + row / 2 + FONT_SIZE / 3
        body.append(_element("text", point.label, x=label_width - 8, y=middle, text_anchor="end", fill=TEXT))
        if point.value is None:
            text = (masked_text or MASKED_MARK) if point.masked else "—"
            body.append(_element("text", text, x=zero + 6, y=middle, fill=TEXT, font_style="italic"))
            continue
        end = label_width + track * (point.value - low) / span
        x, length = min(zero, end), max(abs(end - zero), 1.0)
        body.append(_bar(x, y, length, row, colour, point.masked))
        body.append(_element("text", point.text, x=max(zero, end) + 6, y=middle, fill=TEXT))
    if legend:
        body.append(_legend(height - 6, legend))
    return _svg(width, height, label, title, body, "chart chart--bars")


def _bar(x: float, y: float, width: float, height: float, colour: str, masked: bool) -> str:
    if masked:  # internal preview only: the raw value of a masked cell, outlined, never filled
        return _element(
            "rect",
            x=round(x, 1),
            y=round(y, 1),
            width=round(width, 1),
            height=round(height, 1),
            fill="#ffffff",
            stroke=colour,
            stroke_width=2,
            stroke_dasharray="4 3",
        )
    return _element(
        "rect", x=round(x, 1), y=round(y, 1), width=round(width, 1), height=round(height, 1), fill=colour
    )


# Charts people read (issue 17): full card width, axes and gridlines, French numbers, direct labels,
# masked cells drawn as hatched gaps with a word, named by a title and a description (the table printed
# under a chart is its accessible alternative, so the description says what the chart shows, not every
# value again).

WIDE = 720.0  # viewBox width of a full-card chart; the stylesheet stretches it to the card
GRID = "#d5d8dc"
HATCH = "#6b7178"
SECOND_SERIES = "#4a4f55"  # a second series differs by pattern and by its direct labels, not by hue alone
THIN_SPACE = "\u202f"  # French thousands separator: narrow no-break space


def french_number(value: float, decimals: int | None = None) -> str:
    """12 345,6 — a narrow no-break space between thousands, a comma before decimals."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    text = f"{abs(value):,.{decimals}f}".replace(",", THIN_SPACE).replace(".", ",")
    return f"−{text}" if value < 0 and text.strip("0,\u202f") else text


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values from `low` (or below) to `high` (or above) for an axis: steps of 1, 2 or 5 × 10ⁿ."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(factor * magnitude for factor in (1, 2, 2.5, 5, 10) if factor * magnitude >= raw)
    ticks = [round(math.floor(low / step) * step, 10)]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _tick_decimals(ticks: list[float]) -> int:
    return 0 if all(float(tick).is_integer() for tick in ticks) else 1


def _described_svg(
    width: float, height: float, *, title: str, description: str, ident: str, body: list[str], css_class: str
) -> str:
    """An image named by its title and described by its description; it scales to the card (viewBox)."""
    head = _attributes(
        xmlns="http://www.w3.org/2000/svg",
        class_=css_class,
        viewBox=f"0 0 {round(width)} {round(height)}",
        preserveAspectRatio="xMinYMin meet",
        role="img",
        aria_labelledby=f"{ident}-title",
        aria_describedby=f"{ident}-desc",
        focusable="false",
        font_family=FONT,
        font_size=FONT_SIZE,
    )
    return (
        f'<svg {head}><title id="{escape(ident)}-title">{escape(title)}</title>'
        f'<desc id="{escape(ident)}-desc">{escape(description)}</desc>{"".join(body)}</svg>'
    )


def _hatch_defs(ident: str, colour: str) -> str:
    """Two patterns: grey hatching for a masked cell, the chart's colour in stripes for a second series."""
    return (
        "<defs>"
        f'<pattern id="{escape(ident)}-masked" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="{HATCH}" '
        'stroke-width="2"/></pattern>'
        f'<pattern id="{escape(ident)}-striped" patternUnits="userSpaceOnUse" width="5" height="5" '
        'patternTransform="rotate(-45)">'
        f'<rect width="5" height="5" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="5" '
        f'stroke="{escape(colour)}" stroke-width="3"/></pattern>'
        "</defs>"
    )


def _masked_gap(ident: str, x: float, y: float, width: float, height: float) -> str:
    return _element(
        "rect",
        x=round(x, 1),
        y=round(y, 1),
        width=round(max(width, 1.0), 1),
        height=round(max(height, 1.0), 1),
        fill=f"url(#{ident}-masked)",
        stroke=HATCH,
        stroke_width=1,
        class_="chart__masked",
    )


def _value_axis(ticks: list[float], to_y, left: float, right: float) -> list[str]:
    """Horizontal gridlines with their values at the left, the zero line darker."""
    decimals = _tick_decimals(ticks)
    body = []
    for tick in ticks:
        y = round(to_y(tick), 1)
        colour = AXIS if tick == 0 else GRID
        body.append(_element("line", x1=left, x2=right, y1=y, y2=y, stroke=colour, stroke_width=1))
        body.append(
            _element(
                "text",
                french_number(tick, decimals),
                x=left - 6,
                y=y + FONT_SIZE / 3,
                text_anchor="end",
                fill=AXIS,
            )
        )
    return body


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    description: str,
    ident: str,
    colour: str,
    masked_text: str = "masqué",
    legend: str = "",
    height: float = 230.0,
) -> str:
    """A trend over the years: a line with a marker and its value at each year, gridlines and a value
    axis. A masked year breaks the line and shows a hatched band with `masked_text`."""
    values = [point.value for point in points if point.value is not None]
    ticks = nice_ticks(min(values, default=0.0), max(values, default=1.0))
    decimals = _tick_decimals(ticks)
    left = max(len(french_number(tick, decimals)) for tick in ticks) * CHAR_WIDTH + 14
    top, right = 24.0, 16.0
    bottom = 30.0 + (22.0 if legend else 0.0)
    plot_height = height - top - bottom
    low, high = ticks[0], ticks[-1]

    def to_y(value: float) -> float:
        return top + plot_height * (1 - (value - low) / ((high - low) or 1.0))

    slot = (WIDE - left - right) / max(len(points), 1)
    body = [_hatch_defs(ident, colour), *_value_axis(ticks, to_y, left, WIDE - right)]
    segments: list[list[str]] = [[]]
    labelled = {0, len(points) - 1}
    if all(len(point.text) * CHAR_WIDTH < slot - 6 for point in points):
        labelled = set(range(len(points)))
    for index, point in enumerate(points):
        x = left + slot * (index + 0.5)
        body.append(
            _element(
                "text", point.label, x=round(x, 1), y=top + plot_height + 18, text_anchor="middle", fill=TEXT
            )
        )
        if point.value is None:
            segments.append([])
            if point.masked:
                body.append(_masked_gap(ident, x - slot * 0.3, top, slot * 0.6, plot_height))
                body.append(
                    _element(
                        "text",
                        masked_text,
                        x=round(x, 1),
                        y=top - 8,
                        text_anchor="middle",
                        fill=TEXT,
                        font_style="italic",
                    )
                )
            continue
        y = to_y(point.value)
        segments[-1].append(f"{round(x, 1)},{round(y, 1)}")
        marker = {"fill": "#ffffff", "stroke_dasharray": "2 2"} if point.masked else {"fill": colour}
        body.append(
            _element("circle", cx=round(x, 1), cy=round(y, 1), r=4.5, stroke=colour, stroke_width=2, **marker)
        )
        if index in labelled:
            body.append(
                _element(
                    "text",
                    point.text,
                    x=round(x, 1),
                    y=round(y - 10, 1),
                    text_anchor="middle",
                    fill=TEXT,
                    font_weight="bold",
                )
            )
    lines = [
        _element("polyline", points=" ".join(segment), fill="none", stroke=colour, stroke_width=2.5)
        for segment in segments
        if len(segment) > 1
    ]
    body[1:1] = lines  # under the markers and labels
    if legend:
        body.append(_legend(height - 6, legend))
    return _described_svg(
        WIDE,
        height,
        title=title,
        description=description,
        ident=ident,
        body=body,
        css_class="chart chart--wide chart--line",
    )


@dataclass(frozen=True)
class Series:
    """One set of bars of a grouped bar chart (a year, say): one point per category, in the same order."""

    name: str
    points: Sequence[Point]


def grouped_bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    ident: str,
    colour: str,
    masked_text: str = "masqué",
) -> str:
    """A breakdown: for each category (a territory, an age group) one horizontal bar per series, each with
    its value written at its end. The data year is solid, the year before striped, and the key says which
    is which in words; a masked cell is a short hatched bar with `masked_text`."""
    values = [point.value for item in series for point in item.points if point.value is not None]
    ticks = nice_ticks(min(values, default=0.0), max(values, default=1.0))
    decimals = _tick_decimals(ticks)
    bar, gap, key_room = 18.0, 12.0, 26.0
    label_width = min(max([len(category) for category in categories] + [4]) * CHAR_WIDTH + 12, 220.0)
    value_room = (
        max([len(point.text) for item in series for point in item.points] + [len(masked_text)]) * CHAR_WIDTH
        + 14
    )
    left, right = label_width, WIDE - value_room
    group = bar * len(series) + gap
    top = key_room + 8
    plot_height = group * len(categories)
    height = top + plot_height + 24
    low, high = ticks[0], ticks[-1]

    def to_x(value: float) -> float:
        return left + (right - left) * (value - low) / ((high - low) or 1.0)

    # The last series (the data year) is solid, an earlier one striped.
    fills = [colour] if len(series) == 1 else [f"url(#{ident}-striped)", colour]
    body = [_hatch_defs(ident, colour)]
    for index, item in enumerate(series[:2]):  # the key, at the top
        x = index * 170.0
        body.append(
            _element("rect", x=x, y=4, width=16, height=14, fill=fills[index], stroke=colour, stroke_width=1)
        )
        body.append(_element("text", item.name, x=x + 22, y=16, fill=TEXT))
    for tick in ticks:
        x = round(to_x(tick), 1)
        body.append(
            _element(
                "line",
                x1=x,
                x2=x,
                y1=top - 4,
                y2=top + plot_height,
                stroke=AXIS if tick == 0 else GRID,
                stroke_width=1,
            )
        )
        body.append(
            _element(
                "text",
                french_number(tick, decimals),
                x=x,
                y=top + plot_height + 16,
                text_anchor="middle",
                fill=AXIS,
            )
        )
    zero = to_x(0.0)
    for row, category in enumerate(categories):
        y0 = top + row * group + gap / 2
        body.append(
            _element(
                "text",
                category,
                x=label_width - 8,
                y=round(y0 + bar * len(series) / 2 + FONT_SIZE / 3, 1),
                text_anchor="end",
                fill=TEXT,
            )
        )
        for index, item in enumerate(series[:2]):
            point = item.points[row]
            y = y0 + index * bar
            middle = round(y + bar / 2 + FONT_SIZE / 3, 1)
            if point.value is None:
                if point.masked:
                    body.append(_masked_gap(ident, zero, y + 2, 24, bar - 4))
                body.append(
                    _element(
                        "text",
                        masked_text if point.masked else "—",
                        x=round(zero + 30, 1),
                        y=middle,
                        fill=TEXT,
                        font_style="italic",
                    )
                )
                continue
            end = to_x(point.value)
            x, length = min(zero, end), max(abs(end - zero), 1.0)
            if point.masked:  # internal preview: the raw value, outlined, never filled
                body.append(_bar(x, y + 2, length, bar - 4, colour, True))
            else:
                body.append(
                    _element(
                        "rect",
                        x=round(x, 1),
                        y=round(y + 2, 1),
                        width=round(length, 1),
                        height=bar - 4,
                        fill=fills[index],
                        stroke=colour,
                        stroke_width=1,
                    )
                )
            body.append(_element("text", point.text, x=round(max(zero, end) + 6, 1), y=middle, fill=TEXT))
    return _described_svg(
        WIDE,
        height,
        title=title,
        description=description,
        ident=ident,
        body=body,
        css_class="chart chart--wide chart--grouped",
    )


def small_multiples(
    panels: Sequence[tuple[str, Sequence[Point]]],
    *,
    title: str,
    description: str,
    ident: str,
    colour: str,
    masked_text: str = "masqué",
    columns: int = 4,
) -> str:
    """One small line chart per territory, on the same scale so that they compare: the territory's name,
    the scale's top and zero, and the last year's value written out."""
    values = [point.value for _name, points in panels for point in points if point.value is not None]
    ticks = nice_ticks(min(values, default=0.0), max(values, default=1.0), count=2)
    decimals = _tick_decimals(ticks)
    columns = max(1, min(columns, len(panels)))
    rows = math.ceil(len(panels) / columns)
    panel_width, panel_height = WIDE / columns, 150.0
    scale_room = max(len(french_number(tick, decimals)) for tick in ticks) * CHAR_WIDTH + 10
    low, high = ticks[0], ticks[-1]
    body = [_hatch_defs(ident, colour)]
    for number, (name, points) in enumerate(panels):
        ox, oy = (number % columns) * panel_width, (number // columns) * panel_height
        left, right, top, bottom = ox + scale_room, ox + panel_width - 14, oy + 44, oy + panel_height - 22

        def to_y(value: float, top=top, bottom=bottom) -> float:
            return bottom - (bottom - top) * (value - low) / ((high - low) or 1.0)

        body.append(_element("text", name, x=ox + 4, y=oy + 16, fill=TEXT, font_weight="bold"))
        for tick in (low, high):
            y = round(to_y(tick), 1)
            body.append(
                _element(
                    "line", x1=left, x2=right, y1=y, y2=y, stroke=AXIS if tick == 0 else GRID, stroke_width=1
                )
            )
            body.append(
                _element(
                    "text",
                    french_number(tick, decimals),
                    x=left - 4,
                    y=y + 4,
                    text_anchor="end",
                    fill=AXIS,
                    font_size=FONT_SIZE - 2,
                )
            )
        slot = (right - left) / max(len(points), 1)
        segments: list[list[str]] = [[]]
        for index, point in enumerate(points):
            x = left + slot * (index + 0.5)
            if index in (0, len(points) - 1):
                body.append(
                    _element(
                        "text",
                        point.label,
                        x=round(x, 1),
                        y=bottom + 15,
                        text_anchor="middle",
                        fill=AXIS,
                        font_size=FONT_SIZE - 2,
                    )
                )
            if point.value is None:
                segments.append([])
                if point.masked:
                    body.append(_masked_gap(ident, x - slot * 0.35, top, slot * 0.7, bottom - top))
                continue
            y = to_y(point.value)
            segments[-1].append(f"{round(x, 1)},{round(y, 1)}")
            marker = {"fill": "#ffffff", "stroke_dasharray": "2 2"} if point.masked else {"fill": colour}
            body.append(
                _element(
                    "circle", cx=round(x, 1), cy=round(y, 1), r=3, stroke=colour, stroke_width=1.5, **marker
                )
            )
        last = points[-1] if points else None
        if last is not None:
            text = last.text if last.value is not None else (masked_text if last.masked else "—")
            body.append(
                _element(
                    "text",
                    f"{last.label}\u00a0: {text}",
                    x=ox + 4,
                    y=oy + 32,
                    fill=TEXT,
                    font_size=FONT_SIZE - 1,
                )
            )
        body += [
            _element("polyline", points=" ".join(segment), fill="none", stroke=colour, stroke_width=2)
            for segment in segments
            if len(segment) > 1
        ]
    return _described_svg(
        WIDE,
        rows * panel_height,
        title=title,
        description=description,
        ident=ident,
        body=body,
        css_class="chart chart--wide chart--multiples",
    )
