"""The OLINPE variable dictionary: a Frictionless Table Schema with a few properties of ours.

The platform ships one version (`schemas/olinpe-<version>.json`); the referent may import a newer one.
Besides the Table Schema keys, a descriptor carries:

- per field, `olinpe:origine` (what the published text fixes, what we decided), `olinpe:codes` (the label
  of each code) and `olinpe:neSaitPas` (the code that means « ne sait pas »);
- on `NATMES`, `olinpe:mesures`: for each code, its authority (administrative or judicial), its setting
  (placement, milieu ouvert, investigation) and the ages it is possible at (minor, young adult, any).

Django-free: the generator, the checks and the benchmark read it too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from uploads.validation import Schema, SchemaError, parse_schema

SCHEMAS = Path(__file__).with_name("schemas")
SHIPPED_VERSION = "2017.1"

# The columns every check and indicator relies on: a newer dictionary must keep them.
CORE = ("NUMANONYM", "ANNEE", "SEXE", "ANAIS", "MNAIS", "NATMES", "DATDEBMES", "DATFINMES")
PLACEMENT, MILIEU_OUVERT = "placement", "milieu_ouvert"
ADMINISTRATIVE, JUDICIAL = "administrative", "judiciaire"
MINOR, YOUNG_ADULT, ANY_AGE = "mineur", "jeune_majeur", "tous"
# The types the columnar reading knows (uploads.olinpe.reading).
COLUMN_TYPES = ("string", "integer", "year", "yearmonth")


@dataclass(frozen=True)
class MeasureKind:
    code: int
    label: str
    authority: str
    setting: str
    ages: str


@dataclass(frozen=True)
class Dictionary:
    version: str
    descriptor: dict[str, Any]
    schema: Schema
    measures: dict[int, MeasureKind]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.schema.fields)

    def codes(self, name: str) -> dict[int, str]:
        """A coded field's labels, by code."""
        raw = self._raw(name).get("olinpe:codes", {})
        return {int(code): label for code, label in raw.items()}

    def dont_know(self, name: str) -> int | None:
        return self._raw(name).get("olinpe:neSaitPas")

    def _raw(self, name: str) -> dict[str, Any]:
        return next(field for field in self.descriptor["fields"] if field["name"] == name)

    def measure_codes(
        self, *, setting: str | None = None, authority: str | None = None, ages: str | None = None
    ):
        return sorted(
            kind.code
            for kind in self.measures.values()
            if (setting is None or kind.setting == setting)
            and (authority is None or kind.authority == authority)
            and (ages is None or kind.ages == ages)
        )


def read_dictionary(descriptor: Any) -> Dictionary:
    """A descriptor checked as a Table Schema and as an OLINPE dictionary; SchemaError (French) if not."""
    schema = parse_schema(descriptor)
    names = {field.name for field in schema.fields}
    missing = [name for name in CORE if name not in names]
    if missing:
        raise SchemaError(
            "Le dictionnaire doit garder les variables sur lesquelles reposent les contrôles : "
            f"il manque {', '.join(missing)}."
        )
    unsupported = [field.name for field in schema.fields if field.type not in COLUMN_TYPES]
    if unsupported:
        raise SchemaError(
            "Les variables d'une base OLINPE sont des textes, des nombres entiers, des années ou des mois "
            f"(AAAA-MM) : {', '.join(unsupported)} n'en est pas."
        )
    version = descriptor.get("version")
    if not isinstance(version, str) or not version.strip():
        raise SchemaError("Le dictionnaire doit porter un numéro de version (« version »).")
    nature = next(field for field in descriptor["fields"] if field["name"] == "NATMES")
    kinds = nature.get("olinpe:mesures")
    if not isinstance(kinds, dict) or not kinds:
        raise SchemaError("La variable NATMES doit décrire chaque nature de mesure (« olinpe:mesures »).")
    labels = nature.get("olinpe:codes", {})
    measures = {}
    for code, kind in kinds.items():
        try:
            measures[int(code)] = MeasureKind(
                int(code), labels.get(code, code), kind["autorite"], kind["cadre"], kind["age"]
            )
        except (KeyError, TypeError, ValueError) as error:
            raise SchemaError(
                f"La nature de mesure « {code} » est mal décrite dans « olinpe:mesures »."
            ) from error
    return Dictionary(version=version.strip(), descriptor=descriptor, schema=schema, measures=measures)


@cache
def shipped() -> Dictionary:
    path = SCHEMAS / f"olinpe-{SHIPPED_VERSION}.json"
    return read_dictionary(json.loads(path.read_text(encoding="utf-8")))
