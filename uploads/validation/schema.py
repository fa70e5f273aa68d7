"""Frictionless Table Schema descriptors, read into what the engine checks.

Every field type of the Table Schema specification (v1) is accepted, with its formats and options
(decimalChar, groupChar, bareNumber, trueValues, falseValues), the constraints required, minimum, maximum,
exclusiveMinimum, exclusiveMaximum, enum, pattern, minLength, maxLength and unique, the schema's `missingValues`,
`primaryKey`, `uniqueKeys` and `foreignKeys`. Constraint values given as text are read as the field's type (`"enum": ["1", "2"]` on an
integer field compares as integers). A descriptor is first checked against the Table Schema's JSON Schema
(`table_schema.json`). Two extensions of ours describe a table's sums (Frictionless has none):

    "totals": [{"field": "total", "sumOf": ["filles", "garcons"]}]    each row: total = filles + garcons
    "totalRow": {"field": "territoire", "value": "Total"}              that row: each number = sum of the others

A foreign key's `reference.resource` names, in this order: this table (`""`), a reference list shipped with
the spec in a third extension, `referenceLists` (rows as objects, Frictionless's inline `data` in keyed
form), or another sheet of the workbook (its header row holds the referenced fields' names):

    "foreignKeys": [{"fields": "code", "reference": {"resource": "territoires", "fields": "code"}}],
    "referenceLists": {"territoires": [{"code": "42", "libelle": "Loire"}, {"code": "43"}]}

Errors are raised as `SchemaError` with a French sentence for the person editing the spec, naming the field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uploads.validation.cells import read_value
from uploads.validation.text import fold, joined, plain, quoted

if TYPE_CHECKING:
    from jsonschema import Draft7Validator

TYPES = (
    "string",
    "number",
    "integer",
    "boolean",
    "object",
    "array",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "any",
)
NUMERIC_TYPES = frozenset({"integer", "number", "year"})
ORDERED_TYPES = frozenset({"integer", "number", "year", "date", "time", "datetime", "yearmonth", "duration"})
SIZED_TYPES = frozenset({"string", "array", "object"})
UNHASHABLE_TYPES = frozenset({"object", "array", "geojson"})
DEFAULT_TRUE_VALUES = ("oui", "vrai", "true", "1", "o", "x")
DEFAULT_FALSE_VALUES = ("non", "faux", "false", "0", "n")
DEFAULT_MISSING_VALUES = frozenset({""})
JSON_SCHEMA = Path(__file__).with_name("table_schema.json")


class SchemaError(ValueError):
    """A descriptor the engine cannot use; the message is French and names the faulty part."""


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    title: str
    type: str
    description: str = ""
    format: str = "default"
    required: bool = False
    minimum: Any = None
    maximum: Any = None
    exclusive_minimum: Any = None
    exclusive_maximum: Any = None
    enum: tuple[Any, ...] | None = None
    pattern: re.Pattern[str] | None = None
    min_length: int | None = None
    max_length: int | None = None
    true_values: frozenset[str] = frozenset(DEFAULT_TRUE_VALUES)
    false_values: frozenset[str] = frozenset(DEFAULT_FALSE_VALUES)
    decimal_char: str | None = None  # None: the spreadsheet reading (decimal point or comma, spaced groups)
    group_char: str | None = None
    bare_number: bool = True
    missing_values: frozenset[str] = DEFAULT_MISSING_VALUES
    unique: bool = False

    @property
    def label(self) -> str:
        return self.title or self.name

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def is_plain(self) -> bool:
        """Read by the fast column checks: a common type with none of the options they do not know."""
        return (
            self.type in ("string", "integer", "number", "year", "date", "boolean")
            and self.format == "default"
            and self.decimal_char is None
            and self.group_char is None
            and self.bare_number
            and self.exclusive_minimum is None
            and self.exclusive_maximum is None
            and self.missing_values == DEFAULT_MISSING_VALUES
        )


@dataclass(frozen=True, slots=True)
class ColumnTotal:
    field: str
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TotalRow:
    field: str
    value: str


@dataclass(frozen=True, slots=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str  # "": this table; a name of `referenceLists`; otherwise a sheet of the workbook
    reference_fields: tuple[str, ...]
    # The reference list's keys read as the fields' types (a value for one field, a tuple for several);
    # None when they are read from the table or the workbook.
    values: frozenset[Any] | None = None

    @property
    def in_workbook(self) -> bool:
        return self.values is None and self.resource != ""


@dataclass(frozen=True, slots=True)
class Schema:
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    unique_keys: tuple[tuple[str, ...], ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    totals: tuple[ColumnTotal, ...] = ()
    total_row: TotalRow | None = None
    missing_values: frozenset[str] = DEFAULT_MISSING_VALUES

    def field(self, name: str) -> Field:
        return next(field for field in self.fields if field.name == name)


def parse_schema(descriptor: Any) -> Schema:
    if not isinstance(descriptor, dict):
        raise SchemaError("Le schéma doit être un objet JSON (entre accolades).")
    check_against_specification(descriptor)
    missing_values = frozenset(value.strip() for value in descriptor.get("missingValues", [""]))
    fields = tuple(
        _field(raw, position, missing_values) for position, raw in enumerate(descriptor["fields"], start=1)
    )
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
        unique_keys=tuple(
            _names(names, by_name, "Une clé d'unicité (« uniqueKeys »)")
            for names in descriptor.get("uniqueKeys", [])
        ),
        foreign_keys=_foreign_keys(descriptor, by_name),
        totals=_totals(descriptor.get("totals"), by_name),
        total_row=_total_row(descriptor.get("totalRow"), by_name),
        missing_values=missing_values,
    )


# The descriptor against the specification's JSON Schema --------------------------------------------------

JSON_TYPES = {
    "string": "un texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "true ou false",
    "array": "une liste",
    "object": "un objet JSON",
}


@cache
def _validator() -> Draft7Validator:
    # Imported here: the process reading a large sheet apart gets a parsed schema and never needs it.
    from jsonschema import Draft7Validator

    return Draft7Validator(json.loads(JSON_SCHEMA.read_text(encoding="utf-8")))


def check_against_specification(descriptor: dict) -> None:
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(descriptor))
    if error is None:
        return
    path = list(error.absolute_path)
    where = "Le schéma"
    if len(path) >= 2 and path[0] == "fields" and isinstance(path[1], int):
        raw = descriptor["fields"][path[1]]
        name = raw.get("name") if isinstance(raw, dict) else None
        where = (
            f"La colonne « {name} »"
            if isinstance(name, str) and name.strip()
            else f"La colonne n°{path[1] + 1}"
        )
        path = path[2:]
    raise SchemaError(f"{where} n'est pas conforme à la spécification Table Schema : {_detail(error, path)}.")


def _detail(error, path: list) -> str:
    key = ".".join(str(part) for part in path if not isinstance(part, int)) or None
    what = f"« {key} »" if key else "cet élément"
    value = error.instance
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in (value or {})]
        return f"il manque {joined([quoted(name) for name in missing])}"
    if error.validator == "type":
        kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return f"{what} doit être {joined([JSON_TYPES.get(kind, kind) for kind in kinds], 'ou')}"
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        shown_value = quoted(plain(value)) if isinstance(value, str | int | float) else "cette valeur"
        return (
            f"{what} vaut {shown_value}, qui n'est pas permis "
            f"(valeurs possibles : {joined([quoted(str(item)) for item in allowed], 'ou')})"
        )
    if error.validator in ("minItems", "minLength"):
        return f"{what} ne doit pas être vide"
    if error.validator == "minimum":
        return f"{what} doit être positif ou nul"
    if error.validator == "uniqueItems":
        return f"{what} contient deux fois la même valeur"
    return f"{what} ne respecte pas la forme attendue"


# Each field -----------------------------------------------------------------------------------------------


def _field(raw: dict, position: int, missing_values: frozenset[str]) -> Field:
    name = raw["name"]
    if not name.strip():
        raise SchemaError(f"La colonne n°{position} du schéma n'a pas de nom (« name »).")
    kind = raw.get("type", "string")
    constraints = raw.get("constraints") or {}
    plain_field = Field(
        name=name,
        title=raw.get("title") or "",
        type=kind,
        description=str(raw.get("description") or ""),
        format=raw.get("format", "default"),
        true_values=_words(raw.get("trueValues"), DEFAULT_TRUE_VALUES),
        false_values=_words(raw.get("falseValues"), DEFAULT_FALSE_VALUES),
        decimal_char=raw.get("decimalChar"),
        group_char=raw.get("groupChar"),
        bare_number=raw.get("bareNumber", True),
        missing_values=missing_values,
    )
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if key in constraints and kind not in ORDERED_TYPES:
            raise SchemaError(
                f"La contrainte « {key} » ne s'applique pas à la colonne « {name} » de type « {kind} »."
            )
    for key in ("minLength", "maxLength"):
        if key in constraints and kind not in SIZED_TYPES:
            raise SchemaError(
                f"La contrainte « {key} » ne s'applique pas à la colonne « {name} » de type « {kind} »."
            )
    if "pattern" in constraints and kind != "string":
        raise SchemaError(
            f"La contrainte « pattern » ne s'applique pas à la colonne « {name} » de type « {kind} »."
        )
    return replace(
        plain_field,
        required=constraints.get("required", False),
        unique=constraints.get("unique", False),
        minimum=_cast(plain_field, constraints.get("minimum"), "minimum"),
        maximum=_cast(plain_field, constraints.get("maximum"), "maximum"),
        exclusive_minimum=_cast(plain_field, constraints.get("exclusiveMinimum"), "exclusiveMinimum"),
        exclusive_maximum=_cast(plain_field, constraints.get("exclusiveMaximum"), "exclusiveMaximum"),
        enum=_enum(plain_field, constraints.get("enum")),
        pattern=_pattern(constraints.get("pattern"), name),
        min_length=constraints.get("minLength"),
        max_length=constraints.get("maxLength"),
    )


def _words(value: list[str] | None, default: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold(word) for word in (default if value is None else value))


def _cast(field: Field, value: Any, key: str) -> Any:
    """A constraint's value read as the field's type, as a cell of that type would be."""
    if value is None:
        return None
    raw = value
    if isinstance(value, dict | list):
        raw = json.dumps(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        raw = float(value)
    reading = read_value(field, raw)
    if reading.problem is not None:
        shown_value = quoted(plain(value)) if isinstance(value, str | int | float) else "Une valeur"
        raise SchemaError(
            f"{shown_value} (« {key} ») ne convient pas à la colonne « {field.name} » de type "
            f"« {field.type} » : {reading.problem.message}"
        )
    return reading.value


def _enum(field: Field, value: list | None) -> tuple[Any, ...] | None:
    if value is None:
        return None
    return tuple(_cast(field, item, "enum") for item in value)


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
    names = _names(value, by_name, "La clé primaire (« primaryKey »)")
    for name in names:
        if by_name[name].type in UNHASHABLE_TYPES:
            raise SchemaError(
                f"La clé primaire (« primaryKey ») ne peut pas contenir la colonne « {name} » "
                f"de type « {by_name[name].type} »."
            )
    return names


def _foreign_keys(descriptor: dict, by_name: dict[str, Field]) -> tuple[ForeignKey, ...]:
    lists = descriptor.get("referenceLists") or {}
    if not isinstance(lists, dict):
        raise SchemaError("« referenceLists » doit être un objet : nom de la liste → liste de lignes.")
    keys = []
    for item in descriptor.get("foreignKeys", []):
        what = "Une clé étrangère (« foreignKeys »)"
        fields = _names(item["fields"], by_name, what)
        reference = item["reference"]
        resource = reference.get("resource", "") if isinstance(reference, dict) else None
        if not isinstance(resource, str):
            raise SchemaError(f"{what} doit nommer sa source dans « reference.resource ».")
        what = f"La clé étrangère de {joined([quoted(name) for name in fields])}"
        referenced = reference.get("fields")
        names = [referenced] if isinstance(referenced, str) else referenced
        if not isinstance(names, list) or not all(isinstance(name, str) and name for name in names):
            raise SchemaError(f"{what} doit citer les colonnes de sa source dans « reference.fields ».")
        if len(names) != len(fields):
            raise SchemaError(f"{what} doit citer autant de colonnes dans sa source que dans ce tableau.")
        if resource == "":
            _names(names, by_name, what)
        for name in fields:
            if by_name[name].type in UNHASHABLE_TYPES:
                raise SchemaError(
                    f"{what} ne peut pas porter sur une colonne de type « {by_name[name].type} »."
                )
        values = None
        if resource in lists:
            values = _reference_list(lists[resource], resource, [by_name[name] for name in fields], names)
        keys.append(
            ForeignKey(fields=fields, resource=resource, reference_fields=tuple(names), values=values)
        )
    return tuple(keys)


def _reference_list(rows: Any, resource: str, fields: list[Field], names: list[str]) -> frozenset[Any]:
    """The list's keys, each value read as the field of this table that refers to it."""
    what = f"La liste de référence « {resource} »"
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise SchemaError(f"{what} doit être une liste de lignes (des objets).")
    keys = set()
    for row in rows:
        for name in names:
            if name not in row:
                raise SchemaError(f"{what} a une ligne sans « {name} ».")
        key = tuple(_cast(field, row[name], resource) for field, name in zip(fields, names, strict=True))
        keys.add(key[0] if len(key) == 1 else key)
    return frozenset(keys)


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
