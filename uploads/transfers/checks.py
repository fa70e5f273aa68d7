"""The checks of a pseudonymised dataset received under a data-transfer convention (PIPASE annex 1 and 2),
against the annex 2 Table Schema shipped with the platform (`annex2.json`). Pure Python, no Django.

Refused: a column of the annex's base missing its keys, a column the base does not list (the annex fixes
them: minimisation), a header or a value that is a direct identifier (the platform's personal-data guard:
names, NIR, e-mail addresses, phone numbers), a full date anywhere (dates are reduced to month and year),
keys that are not 64 hexadecimal characters, values outside their field's type or list. Messages name
the row and the column, never the value: the report must not repeat personal data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from uploads.transfers.tables import Table
from uploads.validation.names import names_a_person
from uploads.validation.personal_data import header_identity, value_identity

SCHEMA_PATH = Path(__file__).with_name("annex2.json")
KEYS = ("cle_primaire", "cle_secondaire")
# The base of an external partner (art. 4.2): its columns are fixed by its own convention, not the annex.
OPEN_BASE = "externe"
MAX_FINDINGS = 20
_KEY = re.compile(r"[0-9a-fA-F]{64}")


@cache
def annex2() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def bases() -> list[tuple[str, str]]:
    """(name, title) of each base of annex 2, in its order."""
    return [(resource["name"], resource["title"]) for resource in annex2()["resources"]]


def schema_of(base: str) -> dict:
    return next(resource["schema"] for resource in annex2()["resources"] if resource["name"] == base)


@dataclass
class Result:
    columns: list[str] = field(default_factory=list)
    rows: int = 0
    findings: list[str] = field(default_factory=list)
    more: bool = False  # findings past MAX_FINDINGS were not listed

    @property
    def accepted(self) -> bool:
        return not self.findings

    def refuse(self, message: str) -> None:
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(message)
        else:
            self.more = True


def check_dataset(table: Table, base: str) -> Result:
    """Check every row of `table` as a dataset of `base`; stops listing after MAX_FINDINGS."""
    fields = {spec["name"]: spec for spec in schema_of(base)["fields"]}
    result = Result(columns=table.header)
    _check_header(table.header, fields, base, result)
    if result.findings:
        return result
    specs = [fields.get(name) for name in table.header]
    for number, row in enumerate(table.rows, start=2):
        if not any(cell != "" for cell in row):
            continue
        result.rows += 1
        for column, spec in enumerate(specs):
            cell = row[column] if column < len(row) else ""
            problem = _cell_problem(cell, spec)
            if problem:
                result.refuse(f"Ligne {number}, colonne « {table.header[column]} » : {problem}.")
        if len(row) > len(specs) and any(str(cell).strip() for cell in row[len(specs) :]):
            result.refuse(f"Ligne {number} : des valeurs dépassent les colonnes de l'en-tête.")
    if result.rows == 0:
        result.refuse("Le fichier ne contient aucune ligne de données.")
    return result


def _check_header(header: list[str], fields: dict, base: str, result: Result) -> None:
    if len(set(header)) != len(header):
        result.refuse("Deux colonnes portent le même nom : chaque colonne doit avoir un nom unique.")
    for key in KEYS:
        if key not in header:
            result.refuse(
                f"La colonne « {key} » manque : chaque ligne porte les deux clés de hachage de l'annexe 1."
            )
    for name in header:
        identity = header_identity(name)
        if identity:
            result.refuse(
                f"La colonne « {name} » annonce {identity} : une donnée directement identifiante ne peut "
                "pas être transmise (PIPASE art. 4.2). Retirez la colonne."
            )
        elif name not in fields and base != OPEN_BASE:
            result.refuse(
                f"La colonne « {name} » ne fait pas partie des champs de cette base dans l'annexe 2 : "
                "retirez-la, ou choisissez la bonne base."
            )


def _cell_problem(cell, spec: dict | None) -> str | None:
    """What is wrong with the cell, in French, without repeating it; None if nothing."""
    if isinstance(cell, date):
        if spec is not None and spec.get("format") == "month-year" and cell.day == 1:
            return None  # a spreadsheet read « 01/2020 » as the first of the month
        return "une date complète ; les dates sont réduites au mois et à l'année (MM/AAAA)"
    text = cell.strip()
    if spec is not None and spec["name"] in KEYS:
        # Checked before the guard: a hexadecimal key may hold a run of digits that looks like a number.
        if not text:
            return "la valeur manque"
        return None if _KEY.fullmatch(text) else "la clé doit compter 64 caractères hexadécimaux (0-9, a-f)"
    identity = value_identity(text, dates_allowed=False)
    if identity:
        return f"la valeur contient {identity}, donnée directement identifiante"
    if names_a_person(text):
        return "la valeur ressemble au nom d'une personne, donnée directement identifiante"
    if spec is None:
        return None
    constraints = spec.get("constraints", {})
    if not text:
        return "la valeur manque" if constraints.get("required") else None
    if spec["type"] in ("integer", "number"):
        return _number_problem(text, spec["type"], constraints)
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        return "la date doit être réduite au mois et à l'année, au format MM/AAAA"
    if "enum" in constraints and text.casefold() not in {value.casefold() for value in constraints["enum"]}:
        return "la valeur doit être l'une de : " + ", ".join(constraints["enum"])
    return None


def _number_problem(text: str, kind: str, constraints: dict) -> str | None:
    try:
        value = int(text) if kind == "integer" else float(text.replace(",", ".").replace(" ", ""))
    except ValueError:
        return "un nombre entier est attendu" if kind == "integer" else "un nombre est attendu"
    if "minimum" in constraints and value < constraints["minimum"]:
        return f"la valeur doit être au moins {constraints['minimum']}"
    if "maximum" in constraints and value > constraints["maximum"]:
        return f"la valeur doit être au plus {constraints['maximum']}"
    return None
