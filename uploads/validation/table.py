"""One sheet checked against its schema: header, then rows in chunks, column by column.

Speed comes from asking each column first whether it is entirely clean, with built-ins that run at C
speed (`set(map(type, …))`, `min`, `max`, set inclusion); only a column that is not gets the per-cell
reading of `uploads.validation.cells`, which is the reference and names each faulty cell. Memory stays
bounded: rows are handled `CHUNK_ROWS` at a time, and only the keys (primary, unique, foreign) and the
running sums outlive a chunk; each set of keys holds at most one entry per data row, and the container's
bounds cap a sheet at 500,000 rows.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from uploads.validation import personal_data
from uploads.validation.cells import is_empty, read_cell
from uploads.validation.findings import PERSONAL_DATA, Finding, Report
from uploads.validation.names import NameWatch
from uploads.validation.schema import UNHASHABLE_TYPES, Field, ForeignKey, Schema
from uploads.validation.text import (
    cell_address,
    column_index,
    column_letter,
    fold,
    french_number,
    joined,
    plain,
    quoted,
    typography,
)

HEADER_SEARCH_ROWS = 10  # a title above the header row is tolerated
MAX_PER_RULE = 50  # findings listed per rule and column; the others are counted in one line
SMALL_VALUES = 10  # changes between small counts are noise, not news

DATE_TYPES = frozenset({date, datetime})
DATED_TYPES = frozenset({"date", "datetime", "yearmonth"})  # fields where a full date is expected

Row = Sequence[Any]
Key = tuple[str, ...]


@dataclass
class Collector:
    """Adds findings to the report, at most `MAX_PER_RULE` per rule and column, in French typography."""

    report: Report
    sheet: str
    counts: Counter = field(default_factory=Counter)
    labels: dict = field(default_factory=dict)

    def add(
        self,
        code: str,
        message: str,
        *,
        severity: str = "error",
        row: int | None = None,
        column: int | None = None,
        field: Field | None = None,
    ) -> None:
        key = (code, severity, field.name if field else None)
        self.counts[key] += 1
        if field is not None:
            self.labels[key] = field.label
        if self.counts[key] > MAX_PER_RULE:
            return
        cell = cell_address(column, row) if column is not None and row is not None else None
        self.report.add(
            Finding(
                code=code,
                message=typography(message),
                severity=severity,  # type: ignore[arg-type]
                sheet=self.sheet,
                cell=cell,
                row=row,
                field=field.name if field else None,
            )
        )

    def finish(self) -> None:
        if self.report.contains_personal_data:
            # The file is refused and its bytes deleted: no other message, which might repeat a name.
            self.report.errors = [finding for finding in self.report.errors if finding.code == PERSONAL_DATA]
            self.report.warnings = []
            self.counts = Counter(
                {key: count for key, count in self.counts.items() if key[0] == PERSONAL_DATA}
            )

        def place(finding: Finding) -> tuple[int, int]:
            letters = (finding.cell or "").rstrip("0123456789")
            return (finding.row or 0, column_index(letters) if letters else -1)

        self.report.errors.sort(key=place)
        self.report.warnings.sort(key=place)
        for (code, severity, name), count in self.counts.items():
            if count > MAX_PER_RULE:
                where = f"de la colonne {quoted(self.labels[(code, severity, name)])} " if name else ""
                message = (
                    f"… et {french_number(count - MAX_PER_RULE)} autres cases {where}avec le même problème."
                )
                finding = Finding(code, typography(message), severity, self.sheet, field=name)  # type: ignore[arg-type]
                self.report.add(finding)


@dataclass
class Layout:
    """Where things are: the header's row, and the sheet column of each field found."""

    header_row: int  # 1-based, as Excel shows it
    first_column: int  # 0-based
    columns: dict[str, int]  # field name -> position in the row
    unnamed: list[int]  # positions of the other columns (unexpected, repeated or blank header)
    blank: set[int]  # positions of columns whose header is blank: data there was not announced


def find_header(rows: list[Row], schema: Schema) -> int:
    """Index of the row holding the most expected headers among the first rows (the first one if none)."""
    lookup = labels_of(schema)
    best, best_index = 0, 0
    for index, row in enumerate(rows):
        matched = sum(1 for raw in row if isinstance(raw, str) and fold(raw) in lookup)
        if matched > best:
            best, best_index = matched, index
    return best_index


def labels_of(schema: Schema) -> dict[str, Field]:
    lookup: dict[str, Field] = {}
    for item in schema.fields:
        lookup[fold(item.name)] = item
        if item.title:
            lookup[fold(item.title)] = item
    return lookup


def header_text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def read_layout(
    header: Row, header_row: int, first_column: int, schema: Schema, out: Collector | None
) -> Layout:
    """Columns are found by their label, in any order (frictionless compares them position by position).

    Header errors keep Frictionless's codes: a blank label between two labels is `blank-label`; a label
    the schema does not know is `incorrect-label` when the field expected at its place (counting labels from
    the left) is missing, a likely misspelling, and `extra-label` otherwise.
    """
    lookup = labels_of(schema)
    columns: dict[str, int] = {}
    unnamed: list[int] = []
    blank: set[int] = set()
    labelled = [position for position, raw in enumerate(header) if not is_empty(raw)]
    present = {
        lookup[fold(header_text(header[position]))].name
        for position in labelled
        if fold(header_text(header[position])) in lookup
    }
    replaced: set[str] = set()  # fields whose place holds a misspelt label, reported there
    for position, raw in enumerate(header):
        column = first_column + position
        if is_empty(raw):
            unnamed.append(position)
            if labelled and labelled[0] < position < labelled[-1]:
                if out is not None:
                    out.add(
                        "blank-label",
                        f"La colonne {column_letter(column)} n'a pas d'en-tête, au milieu du tableau : "
                        "donnez-lui l'en-tête du modèle ou supprimez-la.",
                        row=header_row,
                        column=column,
                    )
            else:
                blank.add(position)
            continue
        text = header_text(raw)
        found = lookup.get(fold(text))
        if found is None:
            unnamed.append(position)
            if out is None:
                continue
            rank = labelled.index(position)
            expected = schema.fields[rank] if rank < len(schema.fields) else None
            identity = personal_data.header_identity(text)
            if identity is not None:
                out.add(
                    "personal-data",
                    f"L'en-tête {quoted(text)} annonce {identity}. {personal_data.REFUSAL}",
                    row=header_row,
                    column=column,
                )
            elif expected is not None and expected.name not in present and expected.name not in replaced:
                replaced.add(expected.name)
                out.add(
                    "incorrect-label",
                    f"L'en-tête {quoted(text)} ne correspond à aucune colonne attendue ; à cette place, le "
                    f"modèle attend {quoted(expected.label)} : reprenez cet en-tête du modèle.",
                    row=header_row,
                    column=column,
                    field=expected,
                )
            else:
                out.add(
                    "extra-label",
                    f"La colonne {quoted(text)} n'est pas attendue dans ce tableau : supprimez-la "
                    f"(colonnes attendues : {joined([quoted(f.label) for f in schema.fields])}).",
                    row=header_row,
                    column=column,
                )
        elif found.name in columns:
            unnamed.append(position)
            if out is not None:
                out.add(
                    "duplicate-label",
                    f"La colonne {quoted(found.label)} apparaît deux fois (aussi en colonne "
                    f"{column_letter(first_column + columns[found.name])}) : gardez-en une seule.",
                    row=header_row,
                    column=column,
                    field=found,
                )
        else:
            columns[found.name] = position
    if out is not None:
        for item in schema.fields:
            if item.name not in columns and item.name not in replaced:
                out.add(
                    "missing-label",
                    f"La colonne {quoted(item.label)} est introuvable dans la ligne d'en-tête (ligne {header_row}). "
                    "Reprenez les en-têtes du modèle sans les modifier.",
                    row=header_row,
                    field=item,
                )
    return Layout(
        header_row=header_row, first_column=first_column, columns=columns, unnamed=unnamed, blank=blank
    )


def split_header(chunks: Iterator[list[Row]], schema: Schema) -> tuple[int, Row | None, Iterator[list[Row]]]:
    """(index of the header row in the sheet's rows, the header, the chunks of rows after it)."""
    first = next(chunks, [])
    if not first:
        return 0, None, iter(())
    index = find_header(first[:HEADER_SEARCH_ROWS], schema)
    return index, first[index], _chain([first[index + 1 :]], chunks)


def _chain(first: list[list[Row]], rest: Iterator[list[Row]]) -> Iterator[list[Row]]:
    yield from first
    yield from rest


def key_text(value: Any) -> str:
    """A key's part as text, the same whether the number was read as 3.0 or 3."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class SheetCheck:
    def __init__(
        self,
        schema: Schema,
        out: Collector,
        *,
        previous: dict[Key, dict[str, float]] | None = None,
        change_ratio: float = 0.5,
        references: dict[int, set[Any]] | None = None,
    ):
        self.schema = schema
        self.out = out
        self.previous = previous or {}
        self.change_ratio = change_ratio
        # Keys met so far, with the row of their first appearance: one entry per data row at most.
        self.seen_keys: dict[Any, int] = {}
        self.seen_unique = {item.name: {} for item in schema.fields if item.unique}
        self.seen_unique_keys: list[dict[Any, int]] = [{} for _ in schema.unique_keys]
        # The keys of each foreign key reading another sheet, by its index (read by the engine); those
        # pointing to this table collect the referenced columns' keys, and check the rows left pending
        # once the whole table is read.
        self.references = references or {}
        self.own_references: dict[int, set[Any]] = {}
        self.pending: dict[int, list[tuple[int, Any]]] = {}
        for index, key in enumerate(schema.foreign_keys):
            if key.resource == "":
                self.own_references[index] = set()
                self.pending[index] = []
        self.total_row = schema.total_row
        self.column_sums: dict[str, float] = {}
        self.total_row_values: dict[str, Any] | None = None
        self.total_row_number = 0
        self.unnamed_reported: set[int] = set()
        self.faulty_fields: set[str] = set()  # a sum over a column with unreadable cells would mislead
        self.names = NameWatch()

    def run(self, chunks: Iterator[list[Row]], start: tuple[int, int] | None) -> None:
        """Check a sheet given as chunks of rows (python-calamine's, from the sheet's `start` cell)."""
        row0, col0 = start or (0, 0)
        first = next(chunks, [])
        index, header, rest = split_header(_chain([first], chunks), self.schema)
        if header is None:
            self.out.add(
                "empty-table", "La feuille est vide : remplissez le tableau sous la ligne d'en-tête."
            )
            return
        self.layout = read_layout(header, row0 + index + 1, col0, self.schema, self.out)
        self.guard_header_area(first[: index + 1], row0 + 1)
        next_row = self.layout.header_row + 1
        data_rows = 0
        for chunk in rest:
            if chunk:
                data_rows += self.check_chunk(chunk, next_row)
                next_row += len(chunk)
        self.out.report.rows_checked = data_rows
        if data_rows == 0:
            self.out.add(
                "empty-table",
                "Le tableau ne contient aucune ligne de données sous la ligne d'en-tête.",
                row=self.layout.header_row + 1,
                column=col0,
            )
        self.check_total_row()
        self.check_pending_references()
        self.report_columns_of_names()

    def check_chunk(self, chunk: list[Row], first_number: int) -> int:
        columns = list(zip(*chunk, strict=True))
        numbers = list(range(first_number, first_number + len(chunk)))
        if "" in columns[0]:  # only then can a row be blank
            width = len(chunk[0])
            blank = {
                offset
                for offset, value in enumerate(columns[0])
                if value == "" and chunk[offset].count("") == width
            }
            for offset in sorted(blank):
                self.out.add(
                    "blank-row",
                    "Cette ligne est vide : supprimez-la pour que le tableau soit d'un seul tenant.",
                    row=first_number + offset,
                    column=self.layout.first_column,
                )
            if blank:
                kept = [offset for offset in range(len(chunk)) if offset not in blank]
                if not kept:
                    return 0
                columns = list(zip(*(chunk[offset] for offset in kept), strict=True))
                numbers = [first_number + offset for offset in kept]
        typed = {
            name: self.check_column(self.schema.field(name), columns[position], numbers, position)
            for name, position in self.layout.columns.items()
        }
        for position in self.layout.unnamed:
            self.check_unnamed_column(columns[position], numbers, position)
        self.check_keys(typed, numbers)
        if self.schema.foreign_keys:
            self.check_foreign_keys(typed, numbers)
        self.check_totals(typed, numbers)
        if self.total_row is not None:
            self.add_to_total_row(typed, numbers)
        if self.previous:
            self.compare_with_previous(typed, numbers)
        return len(numbers)

    # Columns ----------------------------------------------------------------------------------------

    def check_column(self, item: Field, values: tuple, numbers: list[int], position: int) -> Sequence[Any]:
        column = self.layout.first_column + position
        kinds = set(map(type, values))
        self.guard_personal_data(
            values,
            kinds,
            numbers,
            column,
            dates_allowed=item.type in DATED_TYPES,
            allowed=item.enum if item.type == "string" else None,
        )
        clean = clean_column(item, values, kinds)
        if clean is not None:
            return clean
        typed = []
        for number, raw in zip(numbers, values, strict=True):
            reading = read_cell(item, raw)
            if reading.problem is not None:
                self.faulty_fields.add(item.name)
                message = reading.problem.message
                self.out.add(
                    reading.problem.code,
                    message[0].upper() + message[1:],
                    row=number,
                    column=column,
                    field=item,
                )
            elif reading.note is not None:
                self.out.add(
                    "type-coerced", reading.note, severity="warning", row=number, column=column, field=item
                )
            typed.append(reading.value)
        return typed

    def check_unnamed_column(self, values: tuple, numbers: list[int], position: int) -> None:
        column = self.layout.first_column + position
        self.guard_personal_data(values, set(map(type, values)), numbers, column, dates_allowed=False)
        if position not in self.layout.blank or position in self.unnamed_reported:
            return
        for number, raw in zip(numbers, values, strict=True):
            if not is_empty(raw):
                self.unnamed_reported.add(position)
                self.out.add(
                    "extra-cell",
                    f"La colonne {column_letter(column)} n'a pas d'en-tête mais contient des valeurs "
                    "(celle-ci et peut-être d'autres plus bas) : n'écrivez rien à droite du tableau.",
                    row=number,
                    column=column,
                )
                return

    def guard_personal_data(
        self, values: tuple, kinds: set, numbers: list[int], column: int, *, dates_allowed: bool, allowed=None
    ) -> None:
        """Direct identifiers among a column's values; enumerated values, set by the spec, are trusted."""
        texts: set[str] = set()
        if str in kinds:
            texts = set(values) if kinds == {str} else {value for value in values if type(value) is str}
            texts.discard("")
            texts.difference_update(allowed or ())
        largest = 0.0
        if float in kinds:
            largest = (
                max(values) if kinds == {float} else max(value for value in values if type(value) is float)
            )
        suspicious = (
            (texts and personal_data.may_hold_identifiers(texts))
            or largest >= 1e12
            or (not dates_allowed and bool(kinds & DATE_TYPES))
        )
        if texts:
            self.guard_names(texts, zip(numbers, values, strict=True), column)
        if not suspicious:
            return
        for number, raw in zip(numbers, values, strict=True):
            identity = None
            if type(raw) is str and raw in texts:
                identity = personal_data.value_identity(raw, dates_allowed=dates_allowed)
            elif type(raw) is float:
                identity = personal_data.number_identity(raw)
            elif type(raw) in DATE_TYPES and not dates_allowed:
                identity = personal_data.FULL_DATE
            if identity is not None:
                self.out.add(
                    "personal-data",
                    f"Cette case contient {identity}. {personal_data.REFUSAL}",
                    row=number,
                    column=column,
                )

    def guard_header_area(self, rows: list[Row], first_number: int) -> None:
        """The header's unexpected labels and whatever is written above it (a title, a note) are texts too."""
        labels = labels_of(self.schema)
        expected = self.layout.header_row
        for offset, row in enumerate(rows):
            number = first_number + offset
            for position, raw in enumerate(row):
                if type(raw) is not str or not raw.strip() or (number == expected and fold(raw) in labels):
                    continue
                column = self.layout.first_column + position
                if number != expected:
                    identity = personal_data.value_identity(raw, dates_allowed=True)
                    if identity is not None:
                        self.out.add(
                            "personal-data",
                            f"Cette case contient {identity}. {personal_data.REFUSAL}",
                            row=number,
                            column=column,
                        )
                self.guard_names({raw}, [(number, raw)], column)

    def guard_names(self, texts: set[str], cells, column: int) -> None:
        for number in self.names.look(column, texts, cells):
            self.out.add(
                "personal-data",
                f"Cette case contient le nom d'une personne. {personal_data.REFUSAL}",
                row=number,
                column=column,
            )

    def report_columns_of_names(self) -> None:
        for column, numbers, cells in self.names.columns_of_names():
            message = (
                f"Cette case contient un prénom, comme {french_number(cells - 1)} autres cases de la "
                f"colonne {column_letter(column)}. {personal_data.REFUSAL}"
            )
            for number in numbers:
                self.out.add("personal-data", message, row=number, column=column)
            self.out.counts[(PERSONAL_DATA, "error", None)] += cells - len(numbers)

    # Rows -------------------------------------------------------------------------------------------

    def check_keys(self, typed: dict[str, Sequence[Any]], numbers: list[int]) -> None:
        for name, seen in self.seen_unique.items():
            if name not in typed:
                continue
            item = self.schema.field(name)
            for number, key, earlier in repeated(self.key_column(typed, (name,)), numbers, seen):
                self.out.add(
                    "unique-error",
                    f"{quoted(plain(key))} figure déjà ligne {earlier} : chaque valeur de la colonne "
                    f"{quoted(item.label)} doit être unique.",
                    row=number,
                    column=self.layout.first_column + self.layout.columns[name],
                    field=item,
                )
        if self.schema.primary_key:
            self.check_key(
                typed,
                numbers,
                self.schema.primary_key,
                self.seen_keys,
                "primary-key",
                "chaque ligne doit être unique",
            )
        for names, seen in zip(self.schema.unique_keys, self.seen_unique_keys, strict=True):
            labels = joined([quoted(self.schema.field(name).label) for name in names])
            rule = (
                f"la combinaison des colonnes {labels} doit être unique d'une ligne à l'autre"
                if len(names) > 1
                else f"chaque valeur de la colonne {labels} doit être unique"
            )
            self.check_key(typed, numbers, names, seen, "unique-error", rule)

    def check_key(
        self,
        typed: dict[str, Sequence[Any]],
        numbers: list[int],
        names: tuple[str, ...],
        seen: dict[Any, int],
        code: str,
        rule: str,
    ) -> None:
        if any(name not in typed for name in names):
            return
        first = self.schema.field(names[0])
        column = self.layout.first_column + self.layout.columns[names[0]]
        for number, key, earlier in repeated(self.key_column(typed, names), numbers, seen):
            self.out.add(
                code,
                f"Cette ligne répète {quoted(shown_key(key, names))}, déjà présent ligne {earlier} : {rule}.",
                row=number,
                column=column,
                field=first,
            )

    def key_column(self, typed: dict[str, Sequence[Any]], names: tuple[str, ...]) -> Sequence[Any]:
        """Each row's key: its value for one column (no tuple per row), a tuple for several."""
        columns = [hashable(self.schema.field(name), typed[name]) for name in names]
        return columns[0] if len(columns) == 1 else list(zip(*columns, strict=True))

    def check_foreign_keys(self, typed: dict[str, Sequence[Any]], numbers: list[int]) -> None:
        for index, key in enumerate(self.schema.foreign_keys):
            if any(name not in typed for name in key.fields):
                continue
            keys = self.key_column(typed, key.fields)
            if key.resource == "":
                if any(name not in typed for name in key.reference_fields):
                    continue
                reference = self.own_references[index]
                reference.update(self.key_column(typed, key.reference_fields))
            else:
                reference = key.values if key.values is not None else self.references.get(index)
                if reference is None:  # the sheet could not be read: the engine said why
                    continue
            unknown = set(keys).difference(reference)
            unknown.discard(None)
            if not unknown:
                continue
            for number, value in zip(numbers, keys, strict=True):
                if value not in unknown or (len(key.fields) > 1 and None in value):
                    continue
                if key.resource == "":
                    self.pending[index].append((number, value))
                else:
                    self.report_foreign_key(key, number, value)

    def check_pending_references(self) -> None:
        for index, pending in self.pending.items():
            reference = self.own_references[index]
            for number, value in pending:
                if value not in reference:
                    self.report_foreign_key(self.schema.foreign_keys[index], number, value)

    def report_foreign_key(self, key: ForeignKey, number: int, value: Any) -> None:
        many = "les colonnes" if len(key.reference_fields) > 1 else "la colonne"
        if key.resource == "":
            labels = joined([quoted(self.schema.field(name).label) for name in key.reference_fields])
            source = f"{many} {labels} de ce tableau"
        elif key.values is not None:
            source = f"la liste de référence {quoted(key.resource)}"
        else:
            labels = joined([quoted(name) for name in key.reference_fields])
            source = f"{many} {labels} de la feuille {quoted(key.resource)}"
        self.out.add(
            "foreign-key",
            f"{quoted(shown_key(value, key.fields))} ne figure pas dans {source} : choisissez une valeur "
            "qui y figure.",
            row=number,
            column=self.layout.first_column + self.layout.columns[key.fields[0]],
            field=self.schema.field(key.fields[0]),
        )

    def check_totals(self, typed: dict[str, Sequence[Any]], numbers: list[int]) -> None:
        for total in self.schema.totals:
            if total.field not in typed or any(part not in typed for part in total.parts):
                continue
            totals = typed[total.field]
            parts = [typed[part] for part in total.parts]
            try:
                sums = list(map(sum, zip(*parts, strict=True)))
            except TypeError:  # an empty or unreadable part: those rows are skipped below
                sums = [None if None in row else sum(row) for row in zip(*parts, strict=True)]
            if sums == list(totals):
                continue
            item = self.schema.field(total.field)
            column = self.layout.first_column + self.layout.columns[total.field]
            labels = joined([quoted(self.schema.field(part).label) for part in total.parts])
            for number, declared, computed in zip(numbers, totals, sums, strict=True):
                if declared is None or declared == "" or computed is None or _same(declared, computed):
                    continue
                self.out.add(
                    "total-mismatch",
                    f"Le total {quoted(plain(declared))} ne correspond pas à la somme de {labels}, "
                    f"qui fait {plain(computed)}.",
                    row=number,
                    column=column,
                    field=item,
                )

    def add_to_total_row(self, typed: dict[str, Sequence[Any]], numbers: list[int]) -> None:
        assert self.total_row is not None
        if self.total_row.field not in typed:
            return
        labels = typed[self.total_row.field]
        marker = fold(self.total_row.value)
        matching = {label for label in set(labels) if isinstance(label, str) and fold(label) == marker}
        marked = [offset for offset, label in enumerate(labels) if label in matching]
        numeric = [item.name for item in self.schema.fields if item.is_numeric and item.name in typed]
        for name in numeric:
            values = typed[name]
            column_sum = (
                sum(value for value in values if value is not None) if None in values else sum(values)
            )
            column_sum -= sum(values[offset] or 0 for offset in marked)
            self.column_sums[name] = self.column_sums.get(name, 0) + column_sum
        if marked and self.total_row_values is None:
            self.total_row_values = {name: typed[name][marked[0]] for name in numeric}
            self.total_row_number = numbers[marked[0]]

    def check_total_row(self) -> None:
        if self.total_row is None or self.total_row_values is None:
            return
        for name, declared in self.total_row_values.items():
            computed = self.column_sums.get(name, 0.0)
            if declared is None or name in self.faulty_fields or _same(declared, computed):
                continue
            self.out.add(
                "total-mismatch",
                f"La ligne {quoted(self.total_row.value)} indique {plain(declared)}, mais la somme des autres "
                f"lignes fait {plain(computed)}.",
                row=self.total_row_number,
                column=self.layout.first_column + self.layout.columns[name],
                field=self.schema.field(name),
            )

    def compare_with_previous(self, typed: dict[str, Sequence[Any]], numbers: list[int]) -> None:
        names = self.schema.primary_key
        if not names or any(name not in typed for name in names):
            return
        keys = zip(*(typed[name] for name in names), strict=True)
        for offset, (number, parts) in enumerate(zip(numbers, keys, strict=True)):
            before = self.previous.get(tuple(key_text(part) for part in parts))
            if not before:
                continue
            for name, old in before.items():
                if name not in typed:
                    continue
                new = typed[name][offset]
                change = notable_change(new, old, self.change_ratio)
                if change is not None:
                    self.out.add(
                        "value-change",
                        f"{plain(new)} contre {plain(old)} lors du dernier envoi accepté "
                        f"({'+' if change > 0 else ''}{french_number(round(change * 100))} %). "
                        "Vérifiez ce chiffre, ou expliquez l'évolution dans le commentaire du dépôt.",
                        severity="warning",
                        row=number,
                        column=self.layout.first_column + self.layout.columns[name],
                        field=self.schema.field(name),
                    )


def repeated(keys: Sequence[Any], numbers: list[int], seen: dict[Any, int]) -> Iterator[tuple[int, Any, int]]:
    """(row, key, row where it first appeared) for each key met before; a key with an empty part never counts."""
    if len(set(keys)) == len(keys) and seen.keys().isdisjoint(keys):
        seen.update(zip(keys, numbers, strict=True))
        return
    for number, key in zip(numbers, keys, strict=True):
        if key is None or (type(key) is tuple and None in key):
            continue
        earlier = seen.setdefault(key, number)
        if earlier != number:
            yield number, key, earlier


def hashable(item: Field, values: Sequence[Any]) -> Sequence[Any]:
    """Objects and arrays are compared by their JSON text."""
    if item.type not in UNHASHABLE_TYPES:
        return values
    return [None if value is None else json.dumps(value, sort_keys=True) for value in values]


def shown_key(key: Any, names: tuple[str, ...]) -> str:
    return " / ".join(plain(part) for part in (key if len(names) > 1 else (key,)))


def _same(declared: float, computed: float) -> bool:
    return math.isclose(declared, computed, rel_tol=1e-9, abs_tol=0.005)


def clean_column(item: Field, values: tuple, kinds: set[type]) -> Sequence[Any] | None:
    """The column's typed values if every cell is right as it stands, None if a cell needs a closer look.

    Conservative: any doubt answers None, and the per-cell reading decides. Every test here is a
    built-in running at C speed over the column (or its distinct texts). Other types and options
    always take the per-cell reading.
    """
    if not item.is_plain:
        return None
    has_empty = "" in values
    if has_empty and item.required:
        return None
    typed: Sequence[Any] = [None if value == "" else value for value in values] if has_empty else values
    if item.type == "string":
        if kinds != {str}:
            return None
        present = set(values)
        present.discard("")
        return typed if clean_texts(item, present) else None
    present = [value for value in values if value != ""] if has_empty else values
    if not present:
        return typed
    if (set(map(type, present)) if has_empty else kinds) != {
        {"date": date, "boolean": bool}.get(item.type, float)
    }:
        return None
    if item.type in ("integer", "year") and not all(map(float.is_integer, present)):
        return None
    if item.type == "year" and not (1000 <= min(present) and max(present) <= 9999):
        return None
    if item.minimum is not None and min(present) < item.minimum:
        return None
    if item.maximum is not None and max(present) > item.maximum:
        return None
    if item.enum is not None and not set(present) <= set(item.enum):
        return None
    return typed


def clean_texts(item: Field, present: set[str]) -> bool:
    """A text field's distinct non-empty texts are all right as they stand (see `clean_column`)."""
    if not present:
        return True
    if any(text != text.strip() for text in present):
        return False
    if item.enum is not None and not present <= set(item.enum):
        return False
    if item.pattern is not None and not all(map(item.pattern.fullmatch, present)):
        return False
    if item.min_length is not None and min(map(len, present)) < item.min_length:
        return False
    return item.max_length is None or max(map(len, present)) <= item.max_length


def notable_change(new: Any, old: float, ratio: float) -> float | None:
    """The relative change from last year's figure when it is worth a warning, else None."""
    if not isinstance(new, int | float) or not old or max(abs(new), abs(old)) < SMALL_VALUES:
        return None
    change = (new - old) / abs(old)
    return change if abs(change) > ratio else None
