"""What the validation engine says about a workbook: findings, gathered in a report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]

# Codes that mean the file itself was refused before (or instead of) reading its cells.
FILE_CODES = frozenset(
    {"file-not-xlsx", "file-encrypted", "file-macro", "file-too-large", "file-corrupt", "file-dimensions"}
)
PERSONAL_DATA = "personal-data"

# What each code means, in words for the person who filled the workbook; the code stays for support.
CODE_LABELS = {
    "blank-label": "En-tête vide",
    "blank-row": "Ligne vide",
    "constraint-error": "Valeur hors des règles",
    "duplicate-label": "En-tête en double",
    "empty-table": "Tableau vide",
    "extra-cell": "Case en trop",
    "extra-label": "Colonne en trop",
    "file-corrupt": "Fichier illisible",
    "file-dimensions": "Fichier trop grand",
    "file-encrypted": "Fichier protégé par un mot de passe",
    "file-macro": "Fichier avec des macros",
    "file-not-xlsx": "Pas un classeur Excel",
    "file-too-large": "Fichier trop lourd",
    "foreign-key": "Valeur hors de la liste de référence",
    "incorrect-label": "En-tête mal écrit",
    "missing-label": "Colonne manquante",
    "missing-sheet": "Feuille manquante",
    "personal-data": "Données personnelles",
    "primary-key": "Ligne en double",
    "total-mismatch": "Total incohérent",
    "type-coerced": "Valeur convertie",
    "type-error": "Type de valeur incorrect",
    "unique-error": "Valeur en double",
    "value-change": "Forte évolution",
}


def code_label(code: str) -> str:
    """« Type de valeur incorrect » for `type-error`; an unknown code is shown as it is."""
    return CODE_LABELS.get(code, code)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing wrong (error) or worth a second look (warning), with its place in the workbook.

    `code` follows Frictionless where it has one (type-error, constraint-error, missing-label,
    extra-label, blank-row, primary-key…) and ours otherwise. `message` is plain French, ready to show.
    """

    code: str
    message: str
    severity: Severity = "error"
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(**{name: data.get(name) for name in cls.__dataclass_fields__ if name in data})


@dataclass(slots=True)
class Report:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    rows_checked: int = 0

    def add(self, finding: Finding) -> None:
        (self.errors if finding.severity == "error" else self.warnings).append(finding)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def contains_personal_data(self) -> bool:
        return any(finding.code == PERSONAL_DATA for finding in self.errors)

    @property
    def file_refused(self) -> bool:
        """The file could not be read as a safe workbook at all."""
        return any(finding.code in FILE_CODES for finding in self.errors)

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "errors": [finding.as_dict() for finding in self.errors],
            "warnings": [finding.as_dict() for finding in self.warnings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls(
            errors=[Finding.from_dict(item) for item in data.get("errors", [])],
            warnings=[Finding.from_dict(item) for item in data.get("warnings", [])],
        )
