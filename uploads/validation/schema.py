"""Frictionless Table Schema descriptors, read into what the engine checks.

We accept the standard's field types string, integer, number, date, boolean and year, and its
constraints required, minimum, maximum, enum, pattern, minLength and maxLength, plus `primaryKey`.
Two extensions of ours describe a table's sums (Frictionless has none):

    "totals": [{"field": "total", "sumOf": ["filles", "garcons"]}]    each row: total = filles + garcons
    "totalRow": {"field": "territoire", "value": "Total"}              that row: each number = sum of the others

Errors are raised as `SchemaError` with a French sentence for the person editing the spec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from uploads.validation.text import fold

TYPES = ("string", "integer", "number", "date", "boolean", "year")
NUMERIC_TYPES = frozenset({"integer", "number", "year"})
DEFAULT_TRUE_VALUES = ("oui", "vrai", "true", "1", "o", "x")
DEFAULT_FALSE_VALUES = ("non", "faux", "false", "0", "n")


class SchemaError(ValueError):
    """A descriptor the engine cannot use; the message is French and names the faulty part."""


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    title: str
    type: str
    description: str = ""
    required: bool = False
    minimum: float | date | None = None
    maximum: float | date | None = None
    enum: tuple[Any, ...] | None = None
    pattern: re.Pattern[str] | None = None
    min_length: int | None = None
    max_length: int | None = None
    true_values: frozenset[str] = frozenset(DEFAULT_TRUE_VALUES)
    false_values: frozenset[str] = frozenset(DEFAULT_FALSE_VALUES)

    @property
    def label(self) -> str:
        return self.title or self.name

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES


@dataclass(frozen=True, slots=True)
class ColumnTotal:
    field: str
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TotalRow:
    field: str
    value: str


@dataclass(frozen=True, slots=True)
class Schema:
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    totals: tuple[ColumnTotal, ...] = ()
    total_row: TotalRow | None = None

    def field(self, name: str) -> Field:
        return next(field for field in self.fields if field.name == name)


def parse_schema(descriptor: Any) -> Schema:
    if not isinstance(descriptor, dict):
        raise SchemaError("Le schéma doit être un objet JSON (entre accolades).")
    raw_fields = descriptor.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        raise SchemaError("Le schéma doit déclarer ses colonnes dans une liste « fields » non vide.")
    fields = tuple(_field(raw, position) for position, raw in enumerate(raw_fields, start=1))
    names = [field.name for field in fields]
    labels: dict[str, str] = {}
    for field in fields:
        if names.count(field.name) > 1:
            raise SchemaError(f"Deux colonnes portent le nom « {field.name} ».")
        folded = fold(field.label)
        if folded in labels:
            raise SchemaError(f"Les colonnes « {labels[folded]} » et « {field.name} » ont le même en-tête.")
        labels[folded] = field.name
    by_name = {field.name: field for field in fields}
    return Schema(
        fields=fields,
        primary_key=_primary_key(descriptor.get("primaryKey"), by_name),
        totals=_totals(descriptor.get("totals"), by_name),
        total_row=_total_row(descriptor.get("totalRow"), by_name),
    )


def _field(raw: Any, position: int) -> Field:
    if not isinstance(raw, dict):
        raise SchemaError(f"La colonne n°{position} du schéma doit être un objet JSON.")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SchemaError(f"La colonne n°{position} du schéma n'a pas de nom (« name »).")
    kind = raw.get("type", "string")
    if kind not in TYPES:
        raise SchemaError(
            f"La colonne « {name} » a le type « {kind} », que la plateforme ne connaît pas "
            f"(types possibles : {', '.join(TYPES)})."
        )
    title = raw.get("title") or ""
    if not isinstance(title, str):
        raise SchemaError(f"Le titre de la colonne « {name} » doit être un texte.")
    constraints = raw.get("constraints") or {}
    if not isinstance(constraints, dict):
        raise SchemaError(f"Les contraintes de la colonne « {name} » doivent être un objet JSON.")
    true_values = _words(raw.get("trueValues"), DEFAULT_TRUE_VALUES, name, "trueValues")
    false_values = _words(raw.get("falseValues"), DEFAULT_FALSE_VALUES, name, "falseValues")
    return Field(
        name=name,
        title=title,
        type=kind,
        description=str(raw.get("description") or ""),
        required=_flag(constraints.get("required", False), name, "required"),
        minimum=_bound(constraints.get("minimum"), kind, name, "minimum"),
        maximum=_bound(constraints.get("maximum"), kind, name, "maximum"),
        enum=_enum(constraints.get("enum"), kind, name, true_values, false_values),
        pattern=_pattern(constraints.get("pattern"), name),
        min_length=_length(constraints.get("minLength"), name, "minLength"),
        max_length=_length(constraints.get("maxLength"), name, "maxLength"),
        true_values=true_values,
        false_values=false_values,
    )


def _flag(value: Any, name: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise SchemaError(f"La contrainte « {key} » de la colonne « {name} » doit valoir true ou false.")
    return value


def _words(value: Any, default: tuple[str, ...], name: str, key: str) -> frozenset[str]:
    if value is None:
        return frozenset(default)
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        raise SchemaError(f"« {key} » de la colonne « {name} » doit être une liste de textes.")
    return frozenset(fold(word) for word in value)


def _bound(value: Any, kind: str, name: str, key: str) -> float | date | None:
    if value is None:
        return None
    if kind == "date":
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise SchemaError(
                f"La contrainte « {key} » de la colonne « {name} » doit être une date AAAA-MM-JJ."
            ) from None
    if kind in NUMERIC_TYPES and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise SchemaError(
        f"La contrainte « {key} » ne s'applique pas à la colonne « {name} » de type « {kind} »."
    )


def _enum(
    value: Any, kind: str, name: str, true_values: frozenset[str], false_values: frozenset[str]
) -> tuple[Any, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise SchemaError(f"La liste des valeurs permises (« enum ») de la colonne « {name} » est vide.")
    allowed = []
    for item in value:
        if kind in NUMERIC_TYPES and isinstance(item, int | float) and not isinstance(item, bool):
            allowed.append(float(item))
        elif kind == "string" and isinstance(item, str | int | float) and not isinstance(item, bool):
            allowed.append(str(item))
        elif kind == "date" and isinstance(item, str):
            try:
                allowed.append(date.fromisoformat(item))
            except ValueError:
                raise SchemaError(
                    f"La valeur permise « {item} » de la colonne « {name} » n'est pas une date."
                ) from None
        elif kind == "boolean" and isinstance(item, bool):
            allowed.append(item)
        else:
            raise SchemaError(
                f"La valeur permise « {item} » ne convient pas à la colonne « {name} » de type « {kind} »."
            )
    return tuple(allowed)


def _pattern(value: Any, name: str) -> re.Pattern[str] | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise SchemaError(f"Le motif (« pattern ») de la colonne « {name} » doit être un texte.")
    try:
        return re.compile(value)
    except re.error as error:
        raise SchemaError(
            f"Le motif (« pattern ») de la colonne « {name} » est invalide : {error}."
        ) from None


def _length(value: Any, name: str, key: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise SchemaError(f"La contrainte « {key} » de la colonne « {name} » doit être un entier positif.")
    return value


def _name(value: Any, by_name: dict[str, Field], what: str) -> str:
    if not isinstance(value, str):
        raise SchemaError(f"{what} doit citer une colonne par son nom.")
    return _names(value, by_name, what)[0]


def _names(value: Any, by_name: dict[str, Field], what: str) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(item, str) for item in names):
        raise SchemaError(f"{what} doit être un nom de colonne ou une liste de noms de colonnes.")
    for item in names:
        if item not in by_name:
            raise SchemaError(f"{what} cite la colonne « {item} », qui n'existe pas dans le schéma.")
    return tuple(names)


def _primary_key(value: Any, by_name: dict[str, Field]) -> tuple[str, ...]:
    if value in (None, [], ""):
        return ()
    return _names(value, by_name, "La clé primaire (« primaryKey »)")


def _totals(value: Any, by_name: dict[str, Field]) -> tuple[ColumnTotal, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise SchemaError("« totals » doit être une liste de sommes.")
    totals = []
    for item in value:
        if not isinstance(item, dict):
            raise SchemaError("Chaque somme de « totals » doit être un objet avec « field » et « sumOf ».")
        field = _name(item.get("field"), by_name, "Une somme (« totals »)")
        parts = _names(item.get("sumOf"), by_name, f"La somme de « {field} »")
        if not parts or field in parts:
            raise SchemaError(f"La somme de « {field} » doit citer d'autres colonnes qu'elle-même.")
        for name in (field, *parts):
            if not by_name[name].is_numeric:
                raise SchemaError(
                    f"La somme de « {field} » cite la colonne « {name} », qui n'est pas numérique."
                )
        totals.append(ColumnTotal(field=field, parts=parts))
    return tuple(totals)


def _total_row(value: Any, by_name: dict[str, Field]) -> TotalRow | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("value"), str | int):
        raise SchemaError("« totalRow » doit être un objet avec « field » et « value ».")
    field = _name(value.get("field"), by_name, "La ligne de total (« totalRow »)")
    return TotalRow(field=field, value=str(value["value"]))
