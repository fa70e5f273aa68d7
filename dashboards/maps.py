"""The Département's territories on a map, drawn on the server as SVG. Pure Python: no Django, no script.

`read_shapes` checks a GeoJSON FeatureCollection the admin uploads (one Polygon or MultiPolygon per
territory, named by its `name` or `nom` property) and keeps its rings; `project` turns lon/lat into SVG
paths once, at generation, so that a published dashboard carries its map. `choropleth` colours each
territory by class of value, and `tile_map` draws one square per territory when no shape is given. In
both, a class is told by its shade and by its pattern, the legend says its bounds in words, and each
territory is focusable with its name and value as its accessible name.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from dashboards.charts import AXIS, CHAR_WIDTH, FONT, FONT_SIZE, TEXT, _attributes, _element, french_number

MAX_TERRITORIES = 200
MAX_POINTS = 100_000  # a Département's territories need a few thousand once simplified
NAME_KEYS = ("name", "nom", "NOM", "libelle")
Ring = list[tuple[float, float]]


class ShapeError(ValueError):
    """The file is not usable; `code` says why (the form words it in French), `detail` says where."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code, detail)
        self.code, self.detail = code, detail


def read_shapes(data: bytes) -> dict[str, list[Ring]]:
    """Each territory's outer rings (lon, lat), by name, from a GeoJSON FeatureCollection."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ShapeError("not_json") from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ShapeError("not_feature_collection")
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise ShapeError("no_feature")
    if len(features) > MAX_TERRITORIES:
        raise ShapeError("too_many_features", str(MAX_TERRITORIES))
    shapes: dict[str, list[Ring]] = {}
    points = 0
    for number, feature in enumerate(features, start=1):
        name = _name(feature)
        if not name:
            raise ShapeError("unnamed_feature", str(number))
        if name in shapes:
            raise ShapeError("duplicate_name", name)
        rings = _rings((feature.get("geometry") or {}) if isinstance(feature, dict) else {}, name)
        points += sum(len(ring) for ring in rings)
        if points > MAX_POINTS:
            raise ShapeError("too_many_points", str(MAX_POINTS))
        shapes[name] = rings
    return shapes


def _name(feature) -> str:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict):
        return ""
    return next((str(properties[key]).strip() for key in NAME_KEYS if properties.get(key)), "")


def _rings(geometry: dict, name: str) -> list[Ring]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates
    else:
        raise ShapeError("not_a_polygon", name)
    try:
        rings = [[_point(position) for position in polygon[0]] for polygon in polygons]
    except (TypeError, IndexError, ValueError) as error:
        raise ShapeError("bad_coordinates", name) from error
    if not rings or any(len(ring) < 4 for ring in rings):
        raise ShapeError("bad_coordinates", name)
    return rings


def _point(position) -> tuple[float, float]:
    lon, lat = float(position[0]), float(position[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90) or math.isnan(lon) or math.isnan(lat):
        raise ValueError(position)
    return lon, lat


def project(shapes: Mapping[str, list[Ring]], width: float = 300.0) -> dict:
    """SVG paths of the territories in a `width`-wide box: longitudes shrunk by the cosine of the mean
    latitude (a Département is small enough for this to keep its shape), north up."""
    points = [point for rings in shapes.values() for ring in rings for point in ring]
    lons, lats = [lon for lon, _lat in points], [lat for _lon, lat in points]
    shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x, span_y = (max(lons) - min(lons)) * shrink or 1e-9, (max(lats) - min(lats)) or 1e-9
    scale = (width - 8) / span_x
    height = min(span_y * scale + 8, width * 1.6)
    scale = min(scale, (height - 8) / span_y)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return round(4 + (lon - min(lons)) * shrink * scale, 1), round(4 + (max(lats) - lat) * scale, 1)

    projected = {name: [[xy(*point) for point in ring] for ring in rings] for name, rings in shapes.items()}
    paths = {
        name: " ".join("M" + " L".join(f"{x},{y}" for x, y in ring) + " Z" for ring in rings)
        for name, rings in projected.items()
    }
    labels = {name: label_point(max(rings, key=_box_area)) for name, rings in projected.items()}
    return {"width": round(width, 1), "height": round(height, 1), "paths": paths, "labels": labels}


def _box_area(ring: Ring) -> float:
    xs, ys = [x for x, _y in ring], [y for _x, y in ring]
    return (max(xs) - min(xs)) * (max(ys) - min(ys))


def label_point(ring: Ring, steps: int = 16) -> tuple[float, float]:
    """A point well inside the ring, where its name is written: of a grid over its box, the inside point
    farthest from the edges (a territory wrapped around another has its centre outside itself)."""
    xs, ys = [x for x, _y in ring], [y for _x, y in ring]
    candidates = [
        (min(xs) + (max(xs) - min(xs)) * (i + 0.5) / steps, min(ys) + (max(ys) - min(ys)) * (j + 0.5) / steps)
        for i in range(steps)
        for j in range(steps)
    ]
    inside = [point for point in candidates if _inside(point, ring)]
    if not inside:
        return round(sum(xs) / len(xs), 1), round(sum(ys) / len(ys), 1)
    x, y = max(inside, key=lambda point: _distance_to_edges(point, ring))
    return round(x, 1), round(y, 1)


def _inside(point: tuple[float, float], ring: Ring) -> bool:
    x, y = point
    crossings = 0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            crossings += 1
    return crossings % 2 == 1


def _distance_to_edges(point: tuple[float, float], ring: Ring) -> float:
    x, y = point
    best = math.inf
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        dx, dy = x2 - x1, y2 - y1
        t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / ((dx * dx + dy * dy) or 1e-12)))
        best = min(best, math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)))
    return best


@dataclass(frozen=True)
class Area:
    """A territory's value: `text` as written for people; None with `masked` is published as masked."""

    label: str
    value: float | None
    text: str
    masked: bool = False


# Four classes, light to dark, each with its own pattern: a class never depends on its shade alone.
SHADES = ("#dbe6f1", "#9fbfdc", "#4f86b8", "#1f4e79")
PATTERNS = ("none", "dots", "lines", "cross")


def classes(values: Sequence[float], count: int = 4) -> list[tuple[float, float]]:
    """Bounds of `count` classes of equal width from the lowest to the highest value; one class when every
    value is the same."""
    low, high = min(values), max(values)
    if low == high:
        return [(low, high)]
    step = (high - low) / count
    return [
        (low + step * index, high if index == count - 1 else low + step * (index + 1))
        for index in range(count)
    ]


def class_of(value: float, bounds: list[tuple[float, float]]) -> int:
    return next((index for index, (_low, high) in enumerate(bounds) if value <= high), len(bounds) - 1)


def _defs(ident: str) -> str:
    parts = [
        f'<pattern id="{escape(ident)}-masked" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{AXIS}" stroke-width="2"/></pattern>'
    ]
    for index, (shade, pattern) in enumerate(zip(SHADES, PATTERNS, strict=True)):
        ink = "#ffffff" if index >= 2 else TEXT  # marks that show on both light and dark shades
        marks = {
            "none": "",
            "dots": f'<circle cx="4" cy="4" r="1.2" fill="{ink}"/>',
            "lines": f'<line x1="0" y1="8" x2="8" y2="0" stroke="{ink}" stroke-width="1"/>',
            "cross": f'<line x1="0" y1="8" x2="8" y2="0" stroke="{ink}" stroke-width="1"/>'
            f'<line x1="0" y1="0" x2="8" y2="8" stroke="{ink}" stroke-width="1"/>',
        }[pattern]
        parts.append(
            f'<pattern id="{escape(ident)}-class-{index}" patternUnits="userSpaceOnUse" width="8" height="8">'
            f'<rect width="8" height="8" fill="{shade}"/>{marks}</pattern>'
        )
    return f"<defs>{''.join(parts)}</defs>"


def _fill(ident: str, area: Area, bounds: list[tuple[float, float]] | None) -> str:
    if area.value is None or area.masked or bounds is None:
        return f"url(#{ident}-masked)" if area.masked else "#ffffff"
    return f"url(#{ident}-class-{class_of(area.value, bounds)})"


def _legend(
    ident: str, bounds, x: float, y: float, *, legend_title: str, masked_text: str, decimals: int
) -> tuple[list[str], float]:
    """The classes, each with its shade and pattern and its bounds in words; and the legend's width."""
    body = [_element("text", legend_title, x=x, y=y, fill=TEXT, font_weight="bold")]
    rows = [
        (f"url(#{ident}-class-{index})", _bounds_text(low, high, decimals))
        for index, (low, high) in enumerate(bounds or [])
    ]
    rows.append((f"url(#{ident}-masked)", masked_text))
    for number, (fill, text) in enumerate(rows):
        top = y + 12 + number * 24
        body.append(_element("rect", x=x, y=top, width=28, height=18, fill=fill, stroke=AXIS, stroke_width=1))
        body.append(_element("text", text, x=x + 36, y=top + 13, fill=TEXT))
    longest = max(len(text) for _fill, text in [*rows, ("", legend_title)])
    return body, 36 + longest * CHAR_WIDTH + 8


def _bounds_text(low: float, high: float, decimals: int) -> str:
    if low == high:
        return french_number(low, decimals)
    return f"{french_number(low, decimals)} – {french_number(high, decimals)}"


def _accessible_name(area: Area, masked_text: str) -> str:
    text = area.text if area.value is not None else (masked_text if area.masked else "—")
    return f"{area.label}\u00a0: {text}"


def _map_svg(
    width: float, height: float, *, title: str, description: str, ident: str, body: list[str], css_class: str
) -> str:
    """A group, not an image: its territories are focusable, each named by its name and value."""
    head = _attributes(
        xmlns="http://www.w3.org/2000/svg",
        class_=css_class,
        viewBox=f"0 0 {round(width)} {round(height)}",
        role="group",
        aria_labelledby=f"{ident}-title",
        aria_describedby=f"{ident}-desc",
        font_family=FONT,
        font_size=FONT_SIZE,
    )
    return (
        f'<svg {head}><title id="{escape(ident)}-title">{escape(title)}</title>'
        f'<desc id="{escape(ident)}-desc">{escape(description)}</desc>{_defs(ident)}{"".join(body)}</svg>'
    )


def _decimals(areas: Sequence[Area]) -> int:
    return 0 if all(area.value is None or float(area.value).is_integer() for area in areas) else 1


def choropleth(
    areas: Sequence[Area],
    drawing: Mapping,
    *,
    title: str,
    description: str,
    ident: str,
    legend_title: str,
    masked_text: str = "masqué",
) -> str:
    """The territories' shapes (`drawing` from `project`), each filled by its value's class."""
    values = [area.value for area in areas if area.value is not None and not area.masked]
    bounds = classes(values) if values else None
    map_width, map_height = float(drawing["width"]), float(drawing["height"])
    legend_x = map_width + 24
    height = max(map_height, 24 + 24 * 5 + 12)
    body, names = [], []
    for area in areas:
        path = drawing["paths"].get(area.label)
        if path is None:
            continue
        x, y = drawing.get("labels", {}).get(area.label, (None, None))
        if x is not None:  # the name on the map, haloed in white to read over any pattern
            names.append(
                _element(
                    "text",
                    area.label,
                    x=x,
                    y=y,
                    text_anchor="middle",
                    fill=TEXT,
                    stroke="#ffffff",
                    stroke_width=3,
                    paint_order="stroke",
                    font_size=FONT_SIZE - 1,
                    aria_hidden="true",
                )
            )
        body.append(
            _element(
                "path",
                d=path,
                fill=_fill(ident, area, bounds),
                stroke="#ffffff",
                stroke_width=1.5,
                class_="map__area",
                tabindex=0,
                role="img",
                aria_label=_accessible_name(area, masked_text),
            )
        )
    legend, legend_width = _legend(
        ident,
        bounds,
        legend_x,
        16,
        legend_title=legend_title,
        masked_text=masked_text,
        decimals=_decimals(areas),
    )
    return _map_svg(
        legend_x + legend_width,
        height,
        title=title,
        description=description,
        ident=ident,
        body=[*body, *names, *legend],
        css_class="chart map map--shapes",
    )


def tile_map(
    areas: Sequence[Area],
    *,
    title: str,
    description: str,
    ident: str,
    legend_title: str,
    masked_text: str = "masqué",
) -> str:
    """One square per territory, in a grid, each with its name and value written in it."""
    values = [area.value for area in areas if area.value is not None and not area.masked]
    bounds = classes(values) if values else None
    columns = max(1, math.ceil(math.sqrt(len(areas))))
    size, gap = 120.0, 6.0
    rows = math.ceil(len(areas) / columns)
    legend_x = columns * (size + gap) + 24
    height = max(rows * (size + gap), 24 + 24 * 5 + 12)
    body = []
    for number, area in enumerate(areas):
        x, y = (number % columns) * (size + gap), (number // columns) * (size + gap)
        text = area.text if area.value is not None else (masked_text if area.masked else "—")
        body.append(
            f'<g class="map__area" tabindex="0" role="img" aria-label="{escape(_accessible_name(area, masked_text))}">'
            + _element(
                "rect",
                x=x,
                y=y,
                width=size,
                height=size,
                fill=_fill(ident, area, bounds),
                stroke=AXIS,
                stroke_width=1,
            )
            + _element(
                "rect", x=x + 4, y=y + size - 44, width=size - 8, height=40, fill="#ffffff", opacity=0.9
            )
            + _element(
                "text",
                _short(area.label),
                x=x + size / 2,
                y=y + size - 28,
                text_anchor="middle",
                fill=TEXT,
                font_size=FONT_SIZE - 1,
            )
            + _element(
                "text",
                text,
                x=x + size / 2,
                y=y + size - 11,
                text_anchor="middle",
                fill=TEXT,
                font_weight="bold",
            )
            + "</g>"
        )
    legend, legend_width = _legend(
        ident,
        bounds,
        legend_x,
        16,
        legend_title=legend_title,
        masked_text=masked_text,
        decimals=_decimals(areas),
    )
    return _map_svg(
        legend_x + legend_width,
        height,
        title=title,
        description=description,
        ident=ident,
        body=[*body, *legend],
        css_class="chart map map--tiles",
    )


def _short(label: str, room: int = 17) -> str:
    return label if len(label) <= room else label[: room - 1] + "…"
