"""Project-wide rules that code review would otherwise have to remember."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["odpe", "conventions", "uploads", "dashboards"]
RAW_LOOKUP = re.compile(r"\.objects\.get\(|get_object_or_404\(\s*[A-Z]\w*\s*[,)]")


def view_modules():
    """Every module of views: `views.py`, and each module of a `views/` package."""
    for app in APPS:
        yield from (ROOT / app).rglob("views.py")
        yield from (path for path in (ROOT / app).rglob("views/*.py") if path.name != "__init__.py")


def test_the_lint_reads_view_packages_too():
    read = {path.relative_to(ROOT).as_posix() for path in view_modules()}

    assert {"dashboards/views/workflow.py", "dashboards/views/consent.py", "odpe/roof/views.py"} <= read


def test_views_get_objects_only_through_selectors():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in view_modules()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if RAW_LOOKUP.search(line)
    ]
    assert offenders == [], "Views must fetch objects through a selector that applies the user's scope."
