"""The partner's own workbook handed back with its faults shown: coloured cells, comments, a « Rapport » sheet.

Never raises on a bad workbook: whatever cannot be opened, is too large or fails to save again gives
`report_workbook`, a new workbook holding the « Rapport » sheet alone with a line saying why.

Bounded: it is made once, by the worker that checks the upload (`uploads.services`), and kept. openpyxl
holds a loaded workbook in memory at about 300 bytes and 35 µs per cell, so a copy is made of a workbook
whose parts unpack to at most `MAX_UNPACKED_BYTES` (read from the archive's directory, before any part is
opened: openpyxl takes seconds just to open a large sheet) and that holds at most `MAX_CELLS` cells
(counted by streaming the sheets, never from what they say of their size); a larger one gets the report
alone. At most `MAX_FINDINGS` findings are annotated and listed, and the
« Rapport » sheet says so. Formulas from the partner's file are kept as text, never as formulas: a copy
handed back must not run a DDE command (`=cmd|' /C calc'!A0`) or open a link (`=HYPERLINK(…)`).
"""

from __future__ import annotations

import io
import logging
import math
import os
import warnings
import zipfile
from collections.abc import Sequence
from typing import BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from uploads.validation.findings import Finding, code_label
from uploads.validation.text import french_number
from uploads.workbooks.template import typography

logger = logging.getLogger(__name__)

REPORT_SHEET = "Rapport"
SEVERITY_LABELS = {"error": "Erreur", "warning": "Avertissement"}
COLUMNS = (  # header, width
    ("Gravité", 15),
    ("Nature", 24),
    ("Feuille", 20),
    ("Cellule", 10),
    ("Ligne", 8),
    ("Colonne", 22),
    ("Message", 90),
    ("Code technique", 18),
)
HEADER_ROW = 3  # rows 1 and 2: a summary and, when the copy could not be annotated, why
ERROR_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
WARNING_FILL = PatternFill(fill_type="solid", start_color="FFFFEB9C", end_color="FFFFEB9C")
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")

CELL_TEXT_MAX = 32_767  # Excel's limit for a cell (and a comment)
# 250,000 cells (10,000 rows of 25 columns, far more than an observatory's table; about 9 MB unpacked) are
# copied and annotated in about 12 s of CPU and 170 MB: see benchmarks/annotated_report.py.
MAX_CELLS = 250_000
MAX_UNPACKED_BYTES = 16 * 1024 * 1024
# The engine lists at most 50 findings per rule and column; 1,000 is more than a person corrects before
# sending the file again, and keeps the comments and the report within a few seconds.
MAX_FINDINGS = 1_000
CELLS_PER_FINDING_MAX = 10_000  # a finding naming a huge range colours its first cells only

NOT_OPENED = (
    "Votre fichier n'a pas pu être ouvert pour y colorer les cellules concernées : "
    "voici la liste des anomalies relevées."
)
TOO_LARGE = (
    "Votre fichier est trop volumineux pour qu'une copie annotée en soit faite : "
    "voici la liste des anomalies relevées."
)
NOT_ANNOTATED = (
    "Les cellules concernées n'ont pas pu être colorées dans une copie de votre fichier : "
    "voici la liste des anomalies relevées."
)


def annotate_workbook(
    source: bytes | BinaryIO | os.PathLike,
    findings: Sequence[Finding],
    *,
    max_cells: int = MAX_CELLS,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> bytes:
    """A copy of the partner's workbook: each cell named by a finding is coloured and commented, every
    formula turned into text.

    The « Rapport » sheet comes first and is the active one. Falls back on `report_workbook` when the
    workbook cannot be read, unpacks to more than `max_unpacked_bytes`, holds more than `max_cells` cells
    (counted in a read-only pass that stops past the limit, before anything is loaded), or cannot be
    saved again.
    """
    try:
        data = _read(source)
    except Exception:
        logger.warning("Workbook to annotate could not be read", exc_info=True)
        return report_workbook(findings, reason=NOT_OPENED)

    try:
        too_large = _unpacked_bytes(data) > max_unpacked_bytes or _cell_count(data, max_cells) > max_cells
    except Exception:
        logger.info("Workbook to annotate could not be opened", exc_info=True)
        return report_workbook(findings, reason=NOT_OPENED)
    if too_large:
        return report_workbook(findings, reason=TOO_LARGE)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about every extension it drops
            workbook = load_workbook(io.BytesIO(data), keep_vba=False, keep_links=False, rich_text=True)
    except Exception:
        logger.info("Workbook to annotate could not be loaded", exc_info=True)
        return report_workbook(findings, reason=NOT_OPENED)

    try:
        _neutralise_formulas(workbook)
        annotated = _annotate_cells(workbook, _first(findings))
        sheet = workbook.create_sheet(_free_title(workbook), 0)
        _write_report(sheet, findings, annotated=annotated, reason=None)
        _make_active(workbook, sheet)
        return _save(workbook)
    except Exception:
        logger.warning("Workbook could not be annotated", exc_info=True)
        return report_workbook(findings, reason=NOT_ANNOTATED)


def report_workbook(findings: Sequence[Finding], *, reason: str | None = NOT_ANNOTATED) -> bytes:
    """A new workbook with the « Rapport » sheet alone, opening with `reason` (if any)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = REPORT_SHEET
    _write_report(sheet, findings, annotated=None, reason=reason)
    return _save(workbook)


# ---------------------------------------------------------------------------------------------------------


def _read(source: bytes | BinaryIO | os.PathLike) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            return handle.read()
    if hasattr(source, "seek"):
        try:
            source.seek(0)
        except (OSError, ValueError):
            pass
    return source.read()


def _unpacked_bytes(data: bytes) -> int:
    """What the archive's parts unpack to, as its directory says: a part never yields more than its
    stated size (zipfile stops there), so a directory that lies gives a broken part, not a larger one."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(part.file_size for part in archive.infolist())


def _cell_count(data: bytes, limit: int) -> int:
    """Cells and rows openpyxl would make of every sheet, streamed and counted, stopping past the limit.

    What a sheet says of its size (`<dimension>`) is not trusted: a small file may claim little and hold
    much, or claim a grid of billions.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(io.BytesIO(data), read_only=True, keep_links=False)
        try:
            total = 0
            for sheet in workbook.worksheets:
                sheet.reset_dimensions()
                for row in sheet.iter_rows():
                    total += max(len(row), 1)  # an empty row still costs its row
                    if total > limit:
                        return total
            return total
        finally:
            workbook.close()


def _first(findings: Sequence[Finding]) -> list[Finding]:
    """The findings the copy shows: errors first, then warnings, each in the engine's order, at most
    `MAX_FINDINGS`."""
    order = sorted(range(len(findings)), key=lambda index: (findings[index].severity != "error", index))
    return [findings[index] for index in order[:MAX_FINDINGS]]


def _neutralise_formulas(workbook: Workbook) -> None:
    """Every formula of the partner's file becomes its text, shown as typed (quote prefix): a copy that
    comes back from the platform runs nothing, links nowhere, asks no other program for data."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "f" or isinstance(cell, MergedCell):
                    continue
                value = cell.value
                text = value if isinstance(value, str) else (getattr(value, "text", None) or "")
                cell.value = _clean(text)
                cell.data_type = "s"
                cell.quotePrefix = True


def _clean(text: object) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(text))[:CELL_TEXT_MAX]


def _target_cells(sheet: Worksheet, reference: str) -> list[Cell]:
    """The cells a finding points at: « B4 », or a range « B4:D4 » (merged cells give their anchor)."""
    min_col, min_row, max_col, max_row = range_boundaries(reference.replace("$", "").strip().upper())
    if None in (min_col, min_row, max_col, max_row):  # whole rows or columns: nothing to colour
        return []
    cells: list[Cell] = []
    seen: set[str] = set()
    for row in range(min_row, max_row + 1):
        for column in range(min_col, max_col + 1):
            if len(cells) >= CELLS_PER_FINDING_MAX:
                return cells
            cell = sheet.cell(row=row, column=column)
            if isinstance(cell, MergedCell):
                cell = _merge_anchor(sheet, cell)
            if cell.coordinate not in seen:
                seen.add(cell.coordinate)
                cells.append(cell)
    return cells


def _merge_anchor(sheet: Worksheet, cell: MergedCell) -> Cell:
    for merged in sheet.merged_cells.ranges:
        if cell.coordinate in merged:
            return sheet.cell(row=merged.min_row, column=merged.min_col)
    return cell  # pragma: no cover - a MergedCell always belongs to a range


def _annotate_cells(workbook: Workbook, findings: Sequence[Finding]) -> set[int]:
    """Colour and comment the cells; returns the indexes of the findings that reached a cell."""
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    anchors: dict[tuple[str, str], Cell] = {}
    reached: set[int] = set()
    for index, finding in enumerate(findings):
        if not finding.sheet or not finding.cell or finding.sheet not in workbook.sheetnames:
            continue
        sheet = workbook[finding.sheet]
        if not isinstance(sheet, Worksheet):  # a chart sheet
            continue
        try:
            cells = _target_cells(sheet, finding.cell)
        except (ValueError, TypeError):
            continue
        if not cells:
            continue
        reached.add(index)
        for position, cell in enumerate(cells):
            key = (sheet.title, cell.coordinate)
            fill = ERROR_FILL if finding.severity == "error" else WARNING_FILL
            if key not in by_cell or fill is ERROR_FILL:
                cell.fill = fill
            if position == 0:  # one comment per finding, on the first cell of its range
                by_cell.setdefault(key, []).append(finding)
                anchors[key] = cell
            else:
                by_cell.setdefault(key, [])
                anchors.setdefault(key, cell)

    for key, cell_findings in by_cell.items():
        if not cell_findings:
            continue
        cell = anchors[key]
        lines = [
            f"{SEVERITY_LABELS.get(finding.severity, 'Erreur')} : {finding.message}"
            for finding in cell_findings
        ]
        previous = cell.comment
        text = "\n\n".join(typography(_clean(line)) for line in lines)
        if previous is not None and previous.text:
            text += "\n\n" + typography("Commentaire d'origine : ") + _clean(previous.text)
        cell.comment = _comment(text[:CELL_TEXT_MAX])
    return reached


def _comment(text: str) -> Comment:
    lines = sum(max(1, math.ceil(len(part) / 50)) for part in text.split("\n"))
    return Comment(text, "ODPE", height=min(24 + 16 * lines, 600), width=360)


def _free_title(workbook: Workbook) -> str:
    taken = {name.casefold() for name in workbook.sheetnames}
    title, number = REPORT_SHEET, 1
    while title.casefold() in taken:
        number += 1
        title = f"{REPORT_SHEET} ODPE" if number == 2 else f"{REPORT_SHEET} ODPE {number}"
    return title


def _make_active(workbook: Workbook, sheet: Worksheet) -> None:
    for other in workbook._sheets:  # worksheets and chart sheets alike: only one tab may stay selected
        views = (
            getattr(getattr(other, "views", None) or getattr(other, "sheetViews", None), "sheetView", None)
            or []
        )
        for view in views:
            view.tabSelected = False
    sheet.sheet_view.tabSelected = True
    workbook.active = sheet
    for view in workbook.views:
        view.firstSheet = 0
        view.activeTab = workbook.index(sheet)


def _summary(findings: Sequence[Finding]) -> str:
    errors = sum(1 for finding in findings if finding.severity == "error")
    warnings_ = len(findings) - errors
    if not findings:
        return "Aucune anomalie relevée."
    parts = []
    if errors:
        parts.append(f"{french_number(errors)} erreur{'s' if errors > 1 else ''}")
    if warnings_:
        parts.append(f"{french_number(warnings_)} avertissement{'s' if warnings_ > 1 else ''}")
    text = " et ".join(parts) + "."
    if errors:
        text += " Les erreurs doivent être corrigées avant un nouveau dépôt."
    return text


def _set(cell: Cell, value: object) -> None:
    if isinstance(value, str):
        value = _clean(value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # a message is never a formula


def _write_report(
    sheet: Worksheet, findings: Sequence[Finding], *, annotated: set[int] | None, reason: str | None
) -> None:
    """Rows 1–2: summary and reason; row 3: headers (frozen, with an autofilter); then one row per finding
    shown (`_first`: errors before warnings, within each the engine's order, at most `MAX_FINDINGS`).
    `annotated` holds the positions, among the findings shown, of those that reached a cell.
    """
    sheet.cell(
        row=1, column=1, value=typography(f"Rapport de vérification : {_summary(findings)}")
    ).font = Font(bold=True, size=12)
    lines = []
    if annotated is not None and annotated:
        lines.append(
            "Les cellules concernées sont colorées dans les autres feuilles (rouge : erreur, orange : "
            "avertissement) ; passez la souris dessus pour lire le message."
        )
    elif reason:
        lines.append(reason)
    if len(findings) > MAX_FINDINGS:
        lines.append(
            f"Seules les {french_number(MAX_FINDINGS)} premières anomalies sur {french_number(len(findings))} "
            "sont reprises ici : corrigez-les, puis déposez à nouveau votre fichier pour voir les suivantes."
        )
    if lines:
        sheet.cell(row=2, column=1, value=typography(" ".join(lines))).font = Font(italic=True)

    for column, (header, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width

    row = HEADER_ROW
    for index, finding in enumerate(_first(findings)):
        row += 1
        values = (
            SEVERITY_LABELS.get(finding.severity, "Erreur"),
            code_label(finding.code),
            finding.sheet,
            finding.cell,
            finding.row,
            finding.field,
            typography(_clean(finding.message)),
            finding.code,
        )
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column)
            _set(cell, value)
            cell.alignment = WRAP
        sheet.cell(row=row, column=1).fill = ERROR_FILL if finding.severity == "error" else WARNING_FILL
        if annotated is not None and index in annotated and finding.sheet and finding.cell:
            link = sheet.cell(row=row, column=4)
            first = finding.cell.replace("$", "").split(":")[0].strip().upper()
            link.hyperlink = Hyperlink(
                ref=link.coordinate, location=f"{quote_sheetname(finding.sheet)}!{first}"
            )
            link.style = "Hyperlink"
            link.alignment = WRAP

    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{max(row, HEADER_ROW)}"


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook.save(buffer)
    return buffer.getvalue()
