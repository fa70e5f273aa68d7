"""The README and the docs stand alone: every relative link points to a file of the project."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
# A path written as code that climbs out of its folder, e.g. `../other/FILE.md`.
CODE_PATH = re.compile(r"`(\.\./[^`\s]+)`")
EXTERNAL = ("http://", "https://", "mailto:", "#")


def targets(document: Path) -> list[str]:
    text = document.read_text(encoding="utf-8")
    links = [target for target in LINK.findall(text) if not target.startswith(EXTERNAL)]
    return links + CODE_PATH.findall(text)


def test_every_relative_link_of_the_readme_and_the_docs_points_to_a_file_of_the_project():
    dead = []
    for document in DOCUMENTS:
        for target in targets(document):
            path = (document.parent / target.split("#")[0]).resolve()
            if not path.is_relative_to(ROOT) or not path.exists():
                dead.append(f"{document.relative_to(ROOT)}: {target}")
    assert dead == []


def test_the_readme_links_to_the_architecture():
    assert "docs/architecture.md" in targets(ROOT / "README.md")
