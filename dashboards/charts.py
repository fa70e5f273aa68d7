"""Charts of a dashboard as inline SVG, drawn on the server. Pure Python: no Django, no script, no CDN.

Two shapes a person reads at a glance: columns for a figure's years, horizontal bars for a breakdown.
The caller gives every text already written out (values in French, the sentence that says the values in
words, the legend), so that this module only draws. A chart is an image (`role="img"`) named by that
sentence; the table printed next to it stays the accessible source of the figures.

No `style` attribute anywhere (the Content-Security-Policy refuses inline styles): colours and fonts are
SVG presentation attributes, which the policy does not govern and WeasyPrint reads for the PDF.
"""

from __future__ import annotations

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
