"""Two published years side by side: the indicators both dashboards have. Pure Python.

Each year's value comes from that year's own published snapshot, as it was published; a value masked in
either year is absent (the snapshots hold no masked value), and then no change is given.
"""

from __future__ import annotations


def compare(before: dict, after: dict) -> list[dict]:
    """Sections in the later dashboard's order, each with the indicators the earlier one has too."""
    earlier = {figure["indicator"]: figure for section in before["sections"] for figure in section["figures"]}
    names = {source["id"]: source["name"] for source in [*before["sources"], *after["sources"]]}
    sections = []
    for section in after["sections"]:
        rows = []
        for figure in section["figures"]:
            previous = earlier.get(figure["indicator"])
            if previous is None:
                continue
            rows.append(
                {
                    "indicator": figure["indicator"],
                    "label": figure["label"],
                    "unit": figure["unit"],
                    "before": previous["value"],
                    "after": figure["value"],
                    "change": change(previous["value"], figure["value"]),
                    "sources": sorted(
                        {
                            names[source]
                            for source in [*previous["sources"], *figure["sources"]]
                            if source in names
                        }
                    ),
                }
            )
        if rows:
            sections.append({"domain": section["domain"], "title": section["title"], "rows": rows})
    return sections


def change(before: dict | None, after: dict | None) -> float | None:
    if not before or not after or before["value"] is None or after["value"] is None or not before["value"]:
        return None
    return (after["value"] - before["value"]) / abs(before["value"])
