"""Project-wide rules that code review would otherwise have to remember."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["odpe", "conventions", "uploads", "dashboards"]
RAW_LOOKUP = re.compile(r"\.objects\.get\(|get_object_or_404\(\s*[A-Z]\w*\s*[,)]")


def view_modules():
    for app in APPS:
        yield from (ROOT / app).rglob("views.py")


def test_views_get_objects_only_through_selectors():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in view_modules()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if RAW_LOOKUP.search(line)
    ]
    assert offenders == [], "Views must fetch objects through a selector that applies the user's scope."
