"""The blank workbook a partner fills each year: a « Lisez-moi » sheet, then one sheet per table.

A data sheet holds nothing but the header row (row 1) and the optional pre-filled key rows, so that a
template filled as asked validates with no finding. Everything else that helps the person filling it in
lives outside the cell values: header comments (definition, type, bounds), data validations (drop-down
lists, whole/decimal numbers, dates) and column-level number formats.

Number formats are set on the columns (`<col style="…">`), not on 1,000 empty cells: Excel and
LibreOffice give a new cell the style of its column when someone types in it, and the sheet's dimension
stays the header plus the key rows, which keeps it light for a streaming (read-only) reader. Cells we do
write (headers, key values) carry their own style, since a cell style always wins over a column style.
"""

from __future__ import annotations

import datetime
import io
import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from conventions.names import of_name

README_SHEET = "Lisez-moi"
LISTS_SHEET = "Listes"
FIRST_DATA_ROW = 2
DATA_ROWS = 1000  # data validations cover rows 2 to 1001
LAST_DATA_ROW = FIRST_DATA_ROW + DATA_ROWS - 1

NBSP = "\u00a0"

NUMBER_FORMATS = {
    "integer": "#,##0",
    "number": "#,##0.00",
    "date": "DD/MM/YYYY",
    "datetime": "DD/MM/YYYY HH:MM",
    "time": "HH:MM",
    "year": "0",
    "string": "@",
    "yearmonth": "@",
    "duration": "@",
    "geopoint": "@",
}

TYPE_LABELS = {
    "integer": "nombre entier",
    "number": "nombre décimal",
    "string": "texte",
    "date": "date (jj/mm/aaaa)",
    "datetime": "date et heure (jj/mm/aaaa hh:mm)",
    "time": "heure (hh:mm)",
    "boolean": "oui/non",
    "year": "année (aaaa)",
    "yearmonth": "mois (aaaa-mm)",
    "duration": "durée (par exemple P1Y2M ou PT3H)",
    "geopoint": "point géographique (latitude, longitude)",
    "geojson": "géométrie GeoJSON",
    "object": "objet JSON",
    "array": "liste JSON",
    "any": "valeur libre",
}

STRING_FORMAT_LABELS = {
    "email": "texte (adresse e-mail)",
    "uri": "texte (adresse web)",
    "uuid": "texte (identifiant UUID)",
    "binary": "texte (données en base64)",
}

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
WRAP = Alignment(wrap_text=True, vertical="top")

# Excel's own limits.
SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
LIST_FORMULA_MAX = 255
PROMPT_TITLE_MAX = 32
PROMPT_MAX = 255
ERROR_MAX = 225

ENUM_SHOWN_MAX = 400  # characters of allowed values quoted in a header comment

# Whole/decimal validations need bounds: these only keep text out when the schema sets none.
UNBOUNDED = 10**12


@dataclass(frozen=True)
class TemplateTable:
    sheet_name: str  # ≤ 31 characters: the sheet the validation engine will look for
    title: str  # human title of the table, e.g. "Informations préoccupantes reçues"
    schema: dict  # Table Schema descriptor
    key_rows: Sequence[Mapping[str, object]] = ()  # pre-filled key values, e.g. one row per territory


@dataclass(frozen=True)
class TemplateInfo:
    observatory: str
    partner: str
    data_year: int
    due_on: datetime.date
    contacts: Sequence[str]
    partner_article: str = ""  # « le », « la », « l' », « les »: the partner's name in a sentence

    @property
    def of_partner(self) -> str:
        """« du Tribunal judiciaire », « de la CAF »."""
        return of_name(self.partner_article, self.partner)


def french_date(day: datetime.date) -> str:
    """« 31 mars 2026 », « 1er avril 2026 »."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def typography(text: str) -> str:
    """French spacing: a non-breaking space before : ; ? ! and inside « »."""
    text = re.sub(r"[ \u00a0\u202f]+([:;?!])", NBSP + r"\1", text)
    text = re.sub(r"«[ \u00a0\u202f]*", "«" + NBSP, text)
    return re.sub(r"[ \u00a0\u202f]*»", NBSP + "»", text)


def quoted(text: object) -> str:
    return f"«{NBSP}{text}{NBSP}»"


def header_of(field: Mapping[str, Any]) -> str:
    return str(field.get("title") or field["name"])


def _folded(text: str) -> str:
    """The engine matches headers case- and accent-insensitively: so must our duplicate check."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _field_type(field: Mapping[str, Any]) -> str:
    return str(field.get("type") or "string")


def _type_label(field: Mapping[str, Any]) -> str:
    kind = _field_type(field)
    if kind == "string":
        return STRING_FORMAT_LABELS.get(str(field.get("format") or "default"), "texte")
    return TYPE_LABELS.get(kind, "texte")


def _example(field: Mapping[str, Any]) -> str | None:
    """The field's `example` as the person filling the sheet would type it (dates jj/mm/aaaa)."""
    if "example" not in field or field["example"] in (None, ""):
        return None
    example, kind = field["example"], _field_type(field)
    if kind == "date":
        return _display(_as_date(example) or example)
    if kind == "datetime" and isinstance(example, str):
        try:
            moment = datetime.datetime.fromisoformat(example.replace("Z", "+00:00"))
        except ValueError:
            return example
        return moment.strftime("%d/%m/%Y %H:%M")
    if kind == "boolean" and isinstance(example, bool):
        yes, no = _boolean_labels(field)
        return yes if example else no
    if kind == "number" and isinstance(example, str):
        return example.replace(".", ",")
    if isinstance(example, list | dict):
        return json.dumps(example, ensure_ascii=False)
    return _display(example)


def _primary_key(schema: Mapping[str, Any]) -> list[str]:
    key = schema.get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def _boolean_labels(field: Mapping[str, Any]) -> tuple[str, str]:
    true_values = field.get("trueValues") or ["oui"]
    false_values = field.get("falseValues") or ["non"]
    return str(true_values[0]), str(false_values[0])


def _allowed_values(field: Mapping[str, Any]) -> list[object]:
    constraints = field.get("constraints") or {}
    if constraints.get("enum"):
        return list(constraints["enum"])
    if _field_type(field) == "boolean":
        return list(_boolean_labels(field))
    return []


def _display(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


# ---------------------------------------------------------------------------------------------------------
# Checks on what the caller asks for: a broken spec would give a template that can never validate.


def _check(info: TemplateInfo, tables: Sequence[TemplateTable]) -> None:
    if not tables:
        raise ValueError("Un modèle doit contenir au moins un tableau.")
    seen: set[str] = set()
    for table in tables:
        name = table.sheet_name
        if not name or not name.strip() or len(name) > SHEET_NAME_MAX or SHEET_NAME_FORBIDDEN.search(name):
            raise ValueError(f"Nom de feuille impossible dans Excel : {name!r}")
        if name.startswith("'") or name.endswith("'"):
            raise ValueError(f"Nom de feuille impossible dans Excel : {name!r}")
        if name.casefold() in {README_SHEET.casefold(), LISTS_SHEET.casefold()}:
            raise ValueError(f"Nom de feuille réservé : {name!r}")
        if name.casefold() in seen:
            raise ValueError(f"Deux tableaux ont la même feuille : {name!r}")
        seen.add(name.casefold())

        fields = table.schema.get("fields") or []
        if not fields:
            raise ValueError(f"Le tableau {name!r} n'a aucune colonne.")
        headers: set[str] = set()
        names = {field["name"] for field in fields}
        for field in fields:
            folded = _folded(header_of(field))
            if folded in headers:
                raise ValueError(
                    f"Deux colonnes du tableau {name!r} ont le même en-tête : {header_of(field)!r}"
                )
            headers.add(folded)
        for row in table.key_rows:
            unknown = set(row) - names
            if unknown:
                raise ValueError(
                    f"Valeurs pré-remplies pour des colonnes inconnues de {name!r} : {sorted(unknown)}"
                )


# ---------------------------------------------------------------------------------------------------------
# Lisez-moi


def _instructions(info: TemplateInfo) -> list[str]:
    return [
        "Remplissez une feuille par tableau. Ne renommez pas les feuilles et ne modifiez pas les en-têtes "
        "de colonnes (ligne 1) : le fichier est lu automatiquement.",
        "N'ajoutez pas de colonne, n'en supprimez pas, et n'écrivez rien à droite des colonnes ni sous le tableau.",
        "Une ligne par élément indiqué dans la liste des tableaux ci-dessous, sans ligne vide au milieu.",
        "Quand des lignes sont déjà remplies (par exemple une ligne par territoire), complétez-les sans les "
        "modifier ni changer leur ordre.",
        "Saisissez les nombres comme des nombres, pas comme du texte : sans unité, sans apostrophe devant, "
        "sans commentaire dans la case. Écrivez 0 quand il n'y a aucun cas.",
        "Laissez une case vide seulement si la donnée n'est pas disponible : les colonnes obligatoires "
        "doivent être remplies.",
        "Écrivez les dates sous la forme jj/mm/aaaa, par exemple 31/12/" + str(info.data_year) + ".",
        "Passez la souris sur un en-tête de colonne pour lire sa définition et les valeurs attendues. "
        "Certaines colonnes proposent une liste déroulante.",
        "Ce fichier ne contient que des nombres anonymes. N'y mettez jamais de nom, de prénom, de date de "
        "naissance, d'adresse, de numéro de téléphone, d'adresse e-mail ni de numéro de sécurité sociale : "
        "un fichier qui en contient sera refusé et supprimé.",
        "Déposez le fichier au format Excel (.xlsx), sans mot de passe et sans macro.",
        "En déposant ce fichier, vous attestez que votre institution a validé les chiffres qu'il contient.",
    ]


def _table_lines(table: TemplateTable) -> list[str]:
    schema = table.schema
    by_name = {field["name"]: field for field in schema.get("fields") or []}
    line = f"Feuille {quoted(table.sheet_name)} : {table.title}"
    key = [by_name[name] for name in _primary_key(schema) if name in by_name]
    if key:
        line += " — une ligne par " + _joined([quoted(header_of(field)) for field in key], "et")
    if table.key_rows:
        count = len(table.key_rows)
        line += f" ({count} ligne{'s' if count > 1 else ''} déjà préparée{'s' if count > 1 else ''})"
    lines = [line + "."]
    for total in schema.get("totals") or []:
        if total.get("field") in by_name:
            parts = [quoted(header_of(by_name[name])) for name in total.get("sumOf") or [] if name in by_name]
            lines.append(
                f"    La colonne {quoted(header_of(by_name[total['field']]))} est la somme des colonnes "
                + _joined(parts, "et")
                + "."
            )
    total_row = schema.get("totalRow")
    if total_row and total_row.get("field") in by_name:
        lines.append(
            f"    La ligne dont la colonne {quoted(header_of(by_name[total_row['field']]))} vaut "
            f"{quoted(total_row.get('value'))} donne le total de chaque colonne."
        )
    for field in schema.get("fields") or []:
        column = f"    {quoted(header_of(field))} ({_type_label(field)})"
        if field.get("description"):
            column += f" : {str(field['description']).rstrip('.')}"
        example = _example(field)
        if example is not None:
            column += f" — exemple : {example}"
        lines.append(column + ".")
    return lines


def _joined(parts: Sequence[str], conjunction: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {conjunction} " + parts[-1]


def _write_readme(sheet: Worksheet, info: TemplateInfo, tables: Sequence[TemplateTable]) -> None:
    sheet.column_dimensions["A"].width = 110
    sheet.sheet_view.showGridLines = False
    row = 0

    def line(text: str = "", *, font: Font | None = None) -> None:
        nonlocal row
        row += 1
        if not text:
            return
        indent = len(text) - len(text.lstrip(" "))
        cell = sheet.cell(row=row, column=1, value=typography(text.strip()))
        cell.alignment = Alignment(wrap_text=True, vertical="top", indent=indent // 2)
        cell.number_format = "@"
        if font is not None:
            cell.font = font
        lines = sum(max(1, math.ceil(len(part) / 105)) for part in text.split("\n"))
        if lines > 1:
            sheet.row_dimensions[row].height = 15 * lines + 2

    heading = Font(bold=True, size=12)
    line(info.observatory, font=Font(bold=True, size=14))
    line(f"Données {info.of_partner} pour l'année {info.data_year}", font=Font(bold=True))
    line(f"À déposer avant le {french_date(info.due_on)}", font=Font(bold=True, color="FFC00000"))
    if info.contacts:
        line()
        line("Contacts", font=heading)
        for contact in info.contacts:
            line(contact)
    line()
    line("Comment remplir ce fichier", font=heading)
    for number, text in enumerate(_instructions(info), start=1):
        line(f"{number}. {text}")
    line()
    line("Tableaux à remplir", font=heading)
    for table in tables:
        for text in _table_lines(table):
            line(text)


# ---------------------------------------------------------------------------------------------------------
# Data sheets


def _bound_display(kind: str, value: object) -> str:
    if kind == "date":
        return _display(_as_date(value) or value)
    return _display(value)


def _comment_text(field: Mapping[str, Any], schema: Mapping[str, Any], by_name: Mapping[str, Any]) -> str:
    constraints = field.get("constraints") or {}
    kind = _field_type(field)
    lines = [header_of(field)]
    if field.get("title") and field["title"] != field["name"]:
        lines.append(f"Nom technique : {field['name']}")
    if field.get("description"):
        lines.append(f"Définition : {field['description']}")
    lines.append(f"Type : {_type_label(field)}")
    lines.append("Obligatoire : oui" if constraints.get("required") else "Obligatoire : non (facultatif)")
    if "minimum" in constraints:
        lines.append(f"Minimum : {_bound_display(kind, constraints['minimum'])}")
    if "maximum" in constraints:
        lines.append(f"Maximum : {_bound_display(kind, constraints['maximum'])}")
    if constraints.get("enum"):
        values = [quoted(_display(value)) for value in constraints["enum"]]
        shown: list[str] = []
        for value in values:
            if sum(len(text) + 2 for text in shown) + len(value) > ENUM_SHOWN_MAX:
                break
            shown.append(value)
        text = ", ".join(shown)
        if len(shown) < len(values):
            text += f", … ({len(values)} valeurs en tout, voir la liste déroulante)"
        lines.append(f"Valeurs possibles : {text}")
    elif kind == "boolean":
        yes, no = _boolean_labels(field)
        lines.append(f"Valeurs possibles : {quoted(yes)} ou {quoted(no)}")
    min_length, max_length = constraints.get("minLength"), constraints.get("maxLength")
    if min_length is not None and min_length == max_length:
        lines.append(f"Longueur : exactement {min_length} caractères")
    else:
        if min_length is not None:
            lines.append(f"Longueur : au moins {min_length} caractères")
        if max_length is not None:
            lines.append(f"Longueur : au plus {max_length} caractères")
    if constraints.get("pattern"):
        lines.append(f"Forme attendue (expression régulière) : {constraints['pattern']}")
    if constraints.get("unique"):
        lines.append("Chaque valeur ne doit apparaître qu'une fois.")
    example = _example(field)
    if example is not None:
        lines.append(f"Exemple : {example}")
    key = _primary_key(schema)
    if field["name"] in key:
        others = [
            quoted(header_of(by_name[name])) for name in key if name != field["name"] and name in by_name
        ]
        if others:
            lines.append(
                "Identifie la ligne, avec " + _joined(others, "et") + " : pas deux lignes pareilles."
            )
        else:
            lines.append("Identifie la ligne : une seule ligne par valeur.")
    for total in schema.get("totals") or []:
        if total.get("field") == field["name"]:
            parts = [quoted(header_of(by_name[name])) for name in total.get("sumOf") or [] if name in by_name]
            lines.append("Doit être égal à la somme des colonnes " + _joined(parts, "et") + ".")
    total_row = schema.get("totalRow")
    if total_row and total_row.get("field") == field["name"]:
        lines.append(f"La ligne {quoted(total_row.get('value'))} donne le total de chaque colonne.")
    return typography("\n".join(lines))


def describe_field(field: Mapping[str, Any]) -> str:
    """A column's rules in one French sentence: « nombre entier, obligatoire, au moins 0 »."""
    constraints = field.get("constraints") or {}
    kind = _field_type(field)
    parts = [_type_label(field), "obligatoire" if constraints.get("required") else "facultatif"]
    minimum, maximum = constraints.get("minimum"), constraints.get("maximum")
    if kind == "date":
        bounds = _date_bounds_text(_as_date(minimum), _as_date(maximum))
    elif minimum is not None and maximum is not None:
        bounds = f"entre {_display(minimum)} et {_display(maximum)}"
    elif minimum is not None:
        bounds = f"au moins {_display(minimum)}"
    else:
        bounds = f"au plus {_display(maximum)}" if maximum is not None else ""
    if bounds:
        parts.append(bounds)
    if constraints.get("enum"):
        parts.append("valeurs possibles : " + ", ".join(quoted(_display(v)) for v in constraints["enum"]))
    elif kind == "boolean":
        yes, no = _boolean_labels(field)
        parts.append(f"{quoted(yes)} ou {quoted(no)}")
    min_length, max_length = constraints.get("minLength"), constraints.get("maxLength")
    if min_length is not None and min_length == max_length:
        parts.append(f"exactement {min_length} caractères")
    else:
        if min_length is not None:
            parts.append(f"au moins {min_length} caractères")
        if max_length is not None:
            parts.append(f"au plus {max_length} caractères")
    if constraints.get("pattern"):
        parts.append(f"de la forme {constraints['pattern']} (expression régulière)")
    if constraints.get("unique"):
        parts.append("chaque valeur une seule fois")
    return typography(", ".join(parts))


def _comment(text: str) -> Comment:
    width = 320
    chars_per_line = 45
    lines = sum(max(1, math.ceil(len(part) / chars_per_line)) for part in text.split("\n"))
    comment = Comment(text, "ODPE", height=min(20 + 16 * lines, 600), width=width)
    return comment


def _column_width(field: Mapping[str, Any], table: TemplateTable) -> float:
    header = header_of(field)
    longest_word = max((len(word) for word in header.split()), default=0)
    values = [_display(value) for value in _allowed_values(field)]
    values += [_display(row[field["name"]]) for row in table.key_rows if row.get(field["name"]) is not None]
    longest_value = max((len(value) for value in values), default=0)
    kind = _field_type(field)
    minimum = 12 if kind in {"integer", "number", "date"} else 10
    wanted = max(minimum, longest_word + 2, min(len(header), 24) + 2, longest_value + 3)
    return float(min(wanted, 45))


def _header_height(headers: Sequence[tuple[str, float]]) -> float:
    lines = 1
    for text, width in headers:
        usable = max(width - 1, 1)
        count = 0
        for word_line in text.split("\n"):
            count += max(1, math.ceil(len(word_line) * 1.1 / usable))
        lines = max(lines, count)
    return 15.0 * lines + 4


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bounds_text(minimum: object, maximum: object) -> str:
    if minimum is not None and maximum is not None:
        return f"entre {_display(minimum)} et {_display(maximum)}"
    if minimum is not None:
        return f"supérieur ou égal à {_display(minimum)}"
    if maximum is not None:
        return f"inférieur ou égal à {_display(maximum)}"
    return ""


def _date_bounds_text(minimum: datetime.date | None, maximum: datetime.date | None) -> str:
    if minimum is not None and maximum is not None:
        return f"entre le {_display(minimum)} et le {_display(maximum)}"
    if minimum is not None:
        return f"à partir du {_display(minimum)}"
    if maximum is not None:
        return f"jusqu'au {_display(maximum)}"
    return ""


def _as_date(value: object) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _excel_date(day: datetime.date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"


def _bounded(
    minimum: object, maximum: object, *, unbounded: tuple[str, str] | None
) -> tuple[str, str | None, str | None] | None:
    """Operator and formulas of a whole/decimal/date/textLength validation."""
    if minimum is not None and maximum is not None:
        return "between", str(minimum), str(maximum)
    if minimum is not None:
        return "greaterThanOrEqual", str(minimum), None
    if maximum is not None:
        return "lessThanOrEqual", str(maximum), None
    if unbounded is not None:
        return "between", unbounded[0], unbounded[1]
    return None


class _Lists:
    """The hidden « Listes » sheet, made only when a drop-down list cannot be written inline."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.sheet: Worksheet | None = None
        self.columns = 0

    def reference(self, values: Sequence[object]) -> str:
        if self.sheet is None:
            self.sheet = self.workbook.create_sheet(LISTS_SHEET)
            self.sheet.sheet_state = "hidden"
        self.columns += 1
        letter = get_column_letter(self.columns)
        for row, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=row, column=self.columns, value=value)
            if isinstance(value, str):
                cell.number_format = "@"
                if value.startswith("="):
                    cell.data_type = "s"  # an allowed value, never a formula
        return f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(values)}"


def _validation(field: Mapping[str, Any], lists: _Lists) -> DataValidation | None:
    constraints = field.get("constraints") or {}
    kind = _field_type(field)
    header = header_of(field)
    allowed = _allowed_values(field)
    minimum, maximum = constraints.get("minimum"), constraints.get("maximum")

    if allowed:
        texts = [_display(value) if not isinstance(value, int | float) else str(value) for value in allowed]
        inline = '"' + ",".join(texts) + '"'
        if len(inline) <= LIST_FORMULA_MAX and not any("," in text or '"' in text for text in texts):
            formula = inline
        else:
            formula = lists.reference(allowed)
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        prompt = "Choisissez une valeur dans la liste."
        error = "Choisissez une valeur dans la liste déroulante."
    elif kind in {"integer", "year"}:
        spec = _bounded(minimum, maximum, unbounded=(str(-UNBOUNDED), str(UNBOUNDED)))
        assert spec is not None
        operator, low, high = spec
        validation = DataValidation(
            type="whole", operator=operator, formula1=low, formula2=high, allow_blank=True
        )
        bounds = _bounds_text(minimum, maximum)
        prompt = "Nombre entier" + (f" {bounds}" if bounds else "") + "."
        error = "Saisissez un nombre entier" + (f" {bounds}" if bounds else "") + ", sans texte."
    elif kind == "number":
        spec = _bounded(minimum, maximum, unbounded=(str(-UNBOUNDED), str(UNBOUNDED)))
        assert spec is not None
        operator, low, high = spec
        validation = DataValidation(
            type="decimal", operator=operator, formula1=low, formula2=high, allow_blank=True
        )
        bounds = _bounds_text(minimum, maximum)
        prompt = "Nombre" + (f" {bounds}" if bounds else "") + "."
        error = "Saisissez un nombre" + (f" {bounds}" if bounds else "") + ", sans texte ni unité."
    elif kind == "date":
        minimum, maximum = _as_date(minimum), _as_date(maximum)
        low = _excel_date(minimum) if minimum is not None else None
        high = _excel_date(maximum) if maximum is not None else None
        spec = _bounded(low, high, unbounded=("DATE(1900,1,1)", "DATE(2999,12,31)"))
        assert spec is not None
        operator, formula1, formula2 = spec
        validation = DataValidation(
            type="date", operator=operator, formula1=formula1, formula2=formula2, allow_blank=True
        )
        bounds = _date_bounds_text(minimum, maximum)
        prompt = "Date jj/mm/aaaa" + (f" {bounds}" if bounds else "") + "."
        error = "Saisissez une date sous la forme jj/mm/aaaa" + (f" {bounds}" if bounds else "") + "."
    elif kind == "string" and (
        constraints.get("minLength") is not None or constraints.get("maxLength") is not None
    ):
        low, high = constraints.get("minLength"), constraints.get("maxLength")
        spec = _bounded(low, high, unbounded=None)
        assert spec is not None
        operator, formula1, formula2 = spec
        validation = DataValidation(
            type="textLength", operator=operator, formula1=formula1, formula2=formula2, allow_blank=True
        )
        if low is not None and low == high:
            prompt = f"Texte de {low} caractères exactement."
        else:
            prompt = (
                "Texte de "
                + _bounds_text(low, high)
                .replace("supérieur ou égal à", "au moins")
                .replace("inférieur ou égal à", "au plus")
                + " caractères."
            )
        error = prompt
    else:
        return None

    validation.showErrorMessage = True
    validation.showInputMessage = True
    validation.errorStyle = "stop"
    validation.promptTitle = _truncate(header, PROMPT_TITLE_MAX)
    validation.prompt = _truncate(typography(prompt), PROMPT_MAX)
    validation.errorTitle = "Valeur refusée"
    validation.error = _truncate(typography(error), ERROR_MAX)
    return validation


def _key_value(field: Mapping[str, Any], value: object) -> object:
    if isinstance(value, bool) and _field_type(field) == "boolean":
        yes, no = _boolean_labels(field)
        return yes if value else no
    return value


def _write_table(sheet: Worksheet, table: TemplateTable, lists: _Lists) -> None:
    schema = table.schema
    fields = list(schema.get("fields") or [])
    by_name = {field["name"]: field for field in fields}
    widths: list[tuple[str, float]] = []

    for column, field in enumerate(fields, start=1):
        letter = get_column_letter(column)
        kind = _field_type(field)
        number_format = NUMBER_FORMATS.get(kind, "General")
        header = header_of(field)

        cell = sheet.cell(row=1, column=column, value=header)
        if isinstance(header, str) and header.startswith("="):
            cell.data_type = "s"
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        cell.number_format = "@"
        cell.comment = _comment(_comment_text(field, schema, by_name))

        width = _column_width(field, table)
        dimension = sheet.column_dimensions[letter]
        dimension.width = width
        dimension.number_format = number_format  # honoured by Excel and LibreOffice for newly typed cells
        widths.append((header, width))

        validation = _validation(field, lists)
        if validation is not None:
            validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_DATA_ROW}")
            sheet.add_data_validation(validation)

        for offset, row in enumerate(table.key_rows):
            value = row.get(field["name"])
            if value is None:
                continue
            key_cell = sheet.cell(row=FIRST_DATA_ROW + offset, column=column, value=_key_value(field, value))
            if isinstance(key_cell.value, str) and key_cell.value.startswith("="):
                key_cell.data_type = "s"
            key_cell.number_format = number_format

    sheet.row_dimensions[1].height = _header_height(widths)
    sheet.freeze_panes = "A2"


def build_template(info: TemplateInfo, tables: Sequence[TemplateTable]) -> bytes:
    """The .xlsx a partner downloads, fills and uploads back."""
    _check(info, tables)
    workbook = Workbook()
    readme = workbook.active
    readme.title = README_SHEET
    _write_readme(readme, info, tables)

    lists = _Lists(workbook)
    for table in tables:
        _write_table(workbook.create_sheet(table.sheet_name), table, lists)
    if lists.sheet is not None:
        workbook.move_sheet(lists.sheet, offset=len(workbook.sheetnames) - 1 - workbook.index(lists.sheet))

    workbook.active = 0
    workbook.properties.title = f"Données {info.of_partner} pour l'année {info.data_year}"
    workbook.properties.creator = info.observatory
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
