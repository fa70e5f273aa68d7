"""A table spec as a whole Table Schema descriptor, the way schema.data.gouv.fr publishes one.

The descriptor's `name`, `title` and `description` are the spec's code, title and description; the sheet
of the template travels in an extension of ours, `x-odpe-sheet`. Everything else (fields, keys,
`missingValues`, `version`, `homepage`, `contributors`…) is the spec's `schema`, kept as published and in
its order, so that exporting, importing and exporting again gives the same file.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

SHEET_KEY = "x-odpe-sheet"
IDENTITY_KEYS = ("name", "title", "description", SHEET_KEY)
SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # Excel's; a quote may not open or close the name either
CODE_MAX = 60
# The template's own sheets (README_SHEET and LISTS_SHEET of uploads.workbooks.template), named here so
# that reading a descriptor does not load openpyxl.
TEMPLATE_SHEETS = ("Lisez-moi", "Listes")


def export_descriptor(*, code: str, title: str, description: str, sheet_name: str, schema: dict) -> dict:
    """The descriptor a referent downloads: identity first, then the schema as stored."""
    head: dict[str, Any] = {"name": code, "title": title}
    if description:
        head["description"] = description
    head[SHEET_KEY] = sheet_name
    return head | schema_body(schema)


def schema_body(descriptor: dict) -> dict:
    """The descriptor without what the spec keeps in its own columns."""
    return {key: value for key, value in descriptor.items() if key not in IDENTITY_KEYS}


def code_from(name: str) -> str:
    """A published `name` as a spec code: « Schéma IRVE statique » → « schema-irve-statique »."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    code = re.sub(r"[^a-z0-9_-]+", "-", ascii_text.lower()).strip("-_")
    return code[:CODE_MAX].rstrip("-_")


def sheet_name_from(descriptor: dict, title: str) -> str:
    """The descriptor's own sheet when it names one, else its title made fit for an Excel tab."""
    given = descriptor.get(SHEET_KEY)
    if isinstance(given, str) and given.strip():
        return given
    name = " ".join(SHEET_NAME_FORBIDDEN.sub(" ", title).split())
    return name[:SHEET_NAME_MAX].strip(" '") or "Tableau"


def is_sheet_name(name: str) -> bool:
    """Whether Excel accepts this tab name and the template has it free (its length is the model's to check)."""
    if not name.strip() or SHEET_NAME_FORBIDDEN.search(name) or name[0] == "'" or name[-1] == "'":
        return False
    return name.casefold() not in {sheet.casefold() for sheet in TEMPLATE_SHEETS}
