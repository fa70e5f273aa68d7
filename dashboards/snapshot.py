"""The annual dashboard's content: built from aggregated observations, then made public. Pure Python.

`build_content` turns the observatory's figures into the frozen snapshot of a dashboard version: one
section per domain of the Loire convention (art. 4), one figure per indicator with its value for the year,
the previous year, the change, the trend over the years, its breakdowns by territory, sex and age group,
and the partners it comes from. Counts go through statistical disclosure control (`dashboards.disclosure`):
each cell says whether it is masked and why, the raw value staying in the snapshot for the ODPE team.

`public_view` is what leaves the team: masked values removed (not hidden: absent), and why each cell is
masked removed too (a reader who knew which masked cell is the small count would know its interval, which
is what the complementary cells hide: every masked cell is only « secret statistique », as τ-ARGUS and
INSEE publish), the sources that refused left out with their figures. Every page, PDF, spreadsheet and consent request outside the team is
rendered from it, so no path exists from a masked value to a reader.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from dashboards.disclosure import Constraint, DisclosureError, Table, protect

FORMAT = 1
DIMENSIONS = ("territory", "sex", "age_group")
ADDITIVE_UNITS = frozenset({"count", "amount", "days"})
PER = {"rate": 100, "per_thousand": 1000}  # a rate of two indicators: per 100 (%) or per 1,000 (‰)
TOTAL_KEY = ("total",)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    domain: str
    unit: str
    definition: str = ""
    numerator: str = ""  # a rate: the codes of the indicators it divides
    denominator: str = ""

    @property
    def is_rate_of_two(self) -> bool:
        return bool(self.numerator and self.denominator)


@dataclass(frozen=True)
class Aggregate:
    """The observatory's figure for one indicator, year and breakdown, summed over its sources."""

    indicator: str
    year: int
    territory: str
    sex: str
    age_group: str
    value: float
    source_count: int = 1

    @property
    def dimension(self) -> str | None:
        """Which single breakdown the figure belongs to; None for the whole, "cross" for a crossing."""
        given = [name for name in DIMENSIONS if getattr(self, name)]
        if not given:
            return None
        return given[0] if len(given) == 1 else "cross"


def build_content(
    *,
    data_year: int,
    threshold: int,
    years: Sequence[int],
    domains: Sequence[tuple[str, str]],
    indicators: Iterable[Indicator],
    aggregates: Iterable[Aggregate],
    figure_sources: Mapping[str, Iterable[str]],
    sources: Mapping[str, Mapping[str, object]],
    on_progress: Callable[[int, int], None] | None = None,
    references: Mapping[str, list[dict]] | None = None,
    territory_map: Mapping | None = None,
) -> dict:
    """The snapshot of a dashboard version. `domains` gives the sections' order and titles;
    `figure_sources` the partners whose observations feed each indicator over `years`; `sources`
    describes the partners by id (name, short_name, has_logo); `references` the reference values
    (France, region) by indicator code, each `{scope, year, value, source}`; `territory_map` the drawing
    of the territories (`dashboards.maps.project`), if the admin gave their shapes."""
    by_indicator: dict[str, list[Aggregate]] = defaultdict(list)
    for aggregate in aggregates:
        by_indicator[aggregate.indicator].append(aggregate)
    indicators = list(indicators)
    known = [i for i in indicators if not i.is_rate_of_two and by_indicator.get(i.code)]
    rates = [i for i in indicators if i.is_rate_of_two and by_indicator.get(i.numerator)]
    built: dict[str, dict] = {}
    for done, indicator in enumerate(known, start=1):
        feeding = sorted(figure_sources.get(indicator.code, ()))
        built[indicator.code] = build_figure(
            indicator, by_indicator[indicator.code], feeding, data_year, years, threshold
        )
        if on_progress is not None:
            on_progress(done, len(known))
    for rate in rates:
        built[rate.code] = build_rate_figure(rate, built[rate.numerator], built.get(rate.denominator))
    figures: dict[str, list[dict]] = defaultdict(list)
    for indicator in sorted([*known, *rates], key=lambda item: (item.domain, item.label)):
        figures[indicator.domain].append(
            {**built[indicator.code], "references": list((references or {}).get(indicator.code, []))}
        )
    used = sorted({source for items in figures.values() for figure in items for source in figure["sources"]})
    return {
        "format": FORMAT,
        "data_year": data_year,
        "years": list(years),
        "threshold": threshold,
        "sections": [
            {"domain": code, "title": title, "figures": figures[code]}
            for code, title in domains
            if figures.get(code)
        ],
        "sources": [{"id": source, **sources[source]} for source in used if source in sources],
        "left_out": [],
        "map": dict(territory_map) if territory_map else None,
    }


def build_figure(
    indicator: Indicator,
    aggregates: list[Aggregate],
    sources: list[str],
    data_year: int,
    years: Sequence[int],
    threshold: int,
) -> dict:
    """Each year's table is protected on its own, so that the trend, last year's breakdowns and the
    territories over the years (small multiples) never show a cell that a year's sums would give away."""
    additive = indicator.unit in ADDITIVE_UNITS
    counts = indicator.unit == "count"
    per_year: dict[int, list[Aggregate]] = defaultdict(list)
    for aggregate in aggregates:
        per_year[aggregate.year].append(aggregate)

    tables = {}
    for year in years:
        total, breakdowns = _year_table(per_year.get(year, []), additive)
        protection = _protect if year == data_year else _protect_earlier_year
        masks = protection(total, breakdowns, counts=counts, threshold=threshold)
        tables[year] = (total, breakdowns, masks)
    total, breakdowns, masks = tables.get(data_year, (None, {}, {}))

    trend = [
        {"year": year, **_cell(value, year_masks.get(TOTAL_KEY))}
        for year, (value, _rows, year_masks) in tables.items()
        if value is not None
    ]
    previous = next((point for point in trend if point["year"] == data_year - 1), None)
    value_cell = _cell(total, masks.get(TOTAL_KEY)) if total is not None else None
    return {
        "indicator": indicator.code,
        "label": indicator.label,
        "unit": indicator.unit,
        "definition": indicator.definition,
        "sources": sources,
        "value": value_cell,
        "previous": previous,
        "change": _change(value_cell, previous),
        "trend": trend,
        "breakdowns": [
            {
                "dimension": dimension,
                "rows": [
                    {
                        "label": label,
                        **_cell(value, masks.get((dimension, label))),
                        **_row_history(tables, dimension, label, data_year),
                    }
                    for label, value in rows.items()
                ],
            }
            for dimension, rows in breakdowns.items()
        ],
    }


def _row_history(tables: dict, dimension: str, label: str, data_year: int) -> dict:
    """A breakdown row's cells over the years (each protected with its year's table) and last year's."""
    history = [
        {"year": year, **_cell(rows[dimension][label], year_masks.get((dimension, label)))}
        for year, (_total, rows, year_masks) in tables.items()
        if label in rows.get(dimension, {})
    ]
    previous = next((cell for cell in history if cell["year"] == data_year - 1), None)
    return {"previous": previous, "history": history}


def _change(value: dict | None, previous: dict | None) -> float | None:
    if value and previous and previous["value"] and value["value"] is not None:
        return (value["value"] - previous["value"]) / abs(previous["value"])
    return None


def build_rate_figure(indicator: Indicator, numerator: dict, denominator: dict | None) -> dict:
    """A rate of two figures, cell by cell: masked wherever its numerator is (a reader knowing the
    denominator would get the count back), or its denominator is, and where the denominator is missing."""
    per = PER[indicator.unit]
    bottom = denominator or {"value": None, "trend": [], "breakdowns": []}
    by_year = {point["year"]: point for point in bottom["trend"]}
    trend = [
        _rate(point, by_year.get(point["year"]), per) | {"year": point["year"]}
        for point in numerator["trend"]
    ]
    previous = (
        next((point for point in trend if point["year"] == numerator["previous"]["year"]), None)
        if numerator["previous"]
        else None
    )
    value = _rate(numerator["value"], bottom["value"], per) if numerator["value"] else None
    breakdowns = []
    for breakdown in numerator["breakdowns"]:
        other = next((b for b in bottom["breakdowns"] if b["dimension"] == breakdown["dimension"]), None)
        below = {row["label"]: row for row in other["rows"]} if other else {}
        rows = []
        for row in breakdown["rows"]:
            match = below.get(row["label"])
            history_below = {cell["year"]: cell for cell in match["history"]} if match else {}
            history = [
                _rate(cell, history_below.get(cell["year"]), per) | {"year": cell["year"]}
                for cell in row.get("history", [])
            ]
            previous_row = next(
                (cell for cell in history if row.get("previous") and cell["year"] == row["previous"]["year"]),
                None,
            )
            rows.append(
                {
                    "label": row["label"],
                    **_rate(row, match, per),
                    "previous": previous_row,
                    "history": history,
                }
            )
        breakdowns.append({"dimension": breakdown["dimension"], "rows": rows})
    return {
        "indicator": indicator.code,
        "label": indicator.label,
        "unit": indicator.unit,
        "definition": indicator.definition,
        "rate": {"numerator": numerator["label"], "denominator": bottom.get("label", ""), "per": per},
        "sources": sorted({*numerator["sources"], *bottom.get("sources", [])}),
        "value": value,
        "previous": previous,
        "change": _change(value, previous),
        "trend": trend,
        "breakdowns": breakdowns,
    }


def _rate(top: dict, bottom: dict | None, per: int) -> dict:
    if bottom is None or not bottom["value"]:
        return {"value": None, "masked": "no_denominator"}
    reason = top["masked"] or ("complement" if bottom["masked"] else None)
    return _cell(top["value"] / bottom["value"] * per, reason)


def _year_table(
    aggregates: list[Aggregate], additive: bool
) -> tuple[float | None, dict[str, dict[str, float]]]:
    """The year's whole and its one-way breakdowns. Several sources add up for counts and amounts (the
    aggregates come summed); a rate given by two sources has no single value and is left out."""
    whole: list[Aggregate] = []
    rows: dict[str, dict[str, list[Aggregate]]] = defaultdict(lambda: defaultdict(list))
    for aggregate in aggregates:
        dimension = aggregate.dimension
        if dimension is None:
            whole.append(aggregate)
        elif dimension != "cross":
            rows[dimension][getattr(aggregate, dimension)].append(aggregate)

    def combined(items: list[Aggregate]) -> float | None:
        if not items or (not additive and (len(items) > 1 or items[0].source_count > 1)):
            return None
        return sum(item.value for item in items)

    breakdowns = {
        dimension: {
            label: value
            for label, items in sorted(rows[dimension].items(), key=lambda item: natural_order(item[0]))
            if (value := combined(items)) is not None
        }
        for dimension in DIMENSIONS
        if dimension in rows
    }
    breakdowns = {dimension: values for dimension, values in breakdowns.items() if values}
    total = combined(whole)
    if total is None and additive and breakdowns:
        # No whole given: the first breakdown adds up to it (each one covers the whole population).
        total = sum(next(iter(breakdowns.values())).values())
    return total, breakdowns


def natural_order(label: str) -> tuple:
    """« 3-5 ans » before « 11-14 ans »: numbers compare as numbers."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", label))


def _protect(
    total: float | None, breakdowns: dict[str, dict[str, float]], *, counts: bool, threshold: int
) -> dict[tuple, str]:
    """Masks for the year's table: small counts, and the complements that keep them from being worked
    out from the total. Only a table whose breakdowns add up to its total is linked by sums."""
    if not counts:
        return {}
    cells: dict[tuple, float] = {}
    if total is not None:
        cells[TOTAL_KEY] = total
    constraints = []
    for dimension, rows in breakdowns.items():
        keys = [(dimension, label) for label in rows]
        cells.update(zip(keys, rows.values(), strict=True))
        if total is not None and abs(sum(rows.values()) - total) < 1e-6:
            constraints.append(Constraint(TOTAL_KEY, tuple(keys)))
    if not cells or any(value < 0 or value != int(value) for value in cells.values()):
        return {key: "small_count" for key, value in cells.items() if _primary(value, True, threshold)}
    try:
        protection = protect(Table(cells, constraints), threshold=threshold)
    except DisclosureError:
        # Safety first: a table the method cannot protect is published without any of its figures.
        return dict.fromkeys(cells, "complement")
    return {key: str(mask.reason) for key, mask in protection.masks.items()}


def _protect_earlier_year(
    total: float | None, breakdowns: dict[str, dict[str, float]], *, counts: bool, threshold: int
) -> dict[tuple, str]:
    """Masks for an earlier year's table (its trend point, last year's bars, the small multiples), without a
    linear programme per year: ten of them per figure would make the generation ten times longer.

    With the total published, each one-way breakdown that adds up to it is tied to it alone, so a reader
    knows only that its masked cells are whole numbers from 0 adding up to what the published ones leave:
    each masked cell may be anything from 0 to that sum. Masking the smallest cells with the small counts
    until there are two and their sum reaches the threshold protects every small count by the rule of
    `dashboards.disclosure` (an interval at least `threshold` wide). A small total is masked, with the
    small counts, and then nothing adds up to anything a reader knows."""
    if not counts:
        return {}
    cells = [total, *(value for rows in breakdowns.values() for value in rows.values())]
    if any(value is not None and (value < 0 or value != int(value)) for value in cells):
        return _protect(total, breakdowns, counts=counts, threshold=threshold)  # no shortcut: the method
    masks: dict[tuple, str] = {}
    if total is not None and _primary(total, True, threshold):
        masks[TOTAL_KEY] = "small_count"
    for dimension, rows in breakdowns.items():
        small = {label for label, value in rows.items() if _primary(value, True, threshold)}
        masks.update({(dimension, label): "small_count" for label in small})
        if not small or TOTAL_KEY in masks or total is None or abs(sum(rows.values()) - total) > 1e-6:
            continue
        others = sorted((label for label in rows if label not in small), key=lambda label: rows[label])
        masked = set(small)
        while others and (len(masked) < 2 or sum(rows[label] for label in masked) < threshold):
            masked.add(others.pop(0))
        masks.update({(dimension, label): "complement" for label in masked - small})
    return masks


def _primary(value: float, counts: bool, threshold: int) -> str | None:
    return "small_count" if counts and 1 <= value < threshold else None


def _cell(value: float, reason: str | None) -> dict:
    return {"value": value, "masked": reason}


def public_view(content: dict, left_out: Iterable[str] = (), left_out_names: Sequence[str] = ()) -> dict:
    """What may leave the ODPE team: no masked value (removed, not hidden), no figure of a source left out."""
    excluded = set(left_out)
    public = copy.deepcopy(content)
    for section in public["sections"]:
        section["figures"] = [
            _public_figure(figure) for figure in section["figures"] if not excluded & set(figure["sources"])
        ]
    public["sections"] = [section for section in public["sections"] if section["figures"]]
    used = {
        source
        for section in public["sections"]
        for figure in section["figures"]
        for source in figure["sources"]
    }
    public["sources"] = [source for source in public["sources"] if source["id"] in used]
    public["left_out"] = list(left_out_names)
    return public


PUBLIC_MASK = "secret"  # every masked cell outside the team: no reason, no value


def _cells(figure: dict) -> list[dict]:
    cells = [
        figure["value"],
        figure["previous"],
        *figure["trend"],
        *(row for b in figure["breakdowns"] for row in b["rows"]),
        *(row["previous"] for b in figure["breakdowns"] for row in b["rows"] if row.get("previous")),
        *(cell for b in figure["breakdowns"] for row in b["rows"] for cell in row.get("history", ())),
    ]
    return [cell for cell in cells if cell is not None]


def _public_figure(figure: dict) -> dict:
    for cell in _cells(figure):
        if cell["masked"]:
            cell["value"], cell["masked"] = None, PUBLIC_MASK
    if (
        not (figure["value"] and figure["previous"])
        or figure["value"]["masked"]
        or figure["previous"]["masked"]
    ):
        figure["change"] = None
    return figure


def restricted_to(content: dict, source: str) -> dict:
    """The same content with only the figures a source's data feeds (give it a public view)."""
    sections = [
        {**section, "figures": [figure for figure in section["figures"] if source in figure["sources"]]}
        for section in content["sections"]
    ]
    sections = [section for section in sections if section["figures"]]
    used = {other for section in sections for figure in section["figures"] for other in figure["sources"]}
    return {**content, "sections": sections, "sources": [s for s in content["sources"] if s["id"] in used]}


def figure_count(content: dict) -> int:
    return sum(len(section["figures"]) for section in content["sections"])


def fingerprint(content: dict) -> str:
    """Equal for the same figures shown the same way: a correction leaves unchanged sources alone.
    Snapshots published before `PUBLIC_MASK` said why each cell is masked: that is not a difference."""
    figures = copy.deepcopy([figure for section in content["sections"] for figure in section["figures"]])
    for figure in figures:
        for cell in _cells(figure):
            if cell["masked"] and cell["value"] is None:
                cell["masked"] = PUBLIC_MASK
    return hashlib.sha256(json.dumps(figures, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
