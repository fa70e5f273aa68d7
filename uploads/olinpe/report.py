"""The coherence report as a workbook, to send back to the business software's editor.

Built from what is kept of a base's checks (`Coherence.as_dict()` and the reading's problems): counts,
explanations and record numbers, never a record's content.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from uploads.olinpe.coherence import CHECKS

BOLD = Font(bold=True)


def report_workbook(report: dict, problems: list[dict]) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Cohérence"
    _rows(
        summary,
        ["Contrôle", "Nombre", "Compté en", "Explication", "Exemples (numéros d'enregistrement)"],
        [
            [
                CHECKS[f["code"]][0],
                f["count"],
                CHECKS[f["code"]][2],
                CHECKS[f["code"]][1],
                _numbers(f["examples"]),
            ]
            for f in report["findings"]
        ],
        title=f"Base OLINPE {report['year']} : {report['records']} enregistrements",
    )
    _rows(
        workbook.create_sheet("Codes inconnus"),
        ["Variable", "Enregistrements avec un code inconnu"],
        sorted(report["unknown_by_variable"].items()),
    )
    records = report["records"] or 1
    _rows(
        workbook.create_sheet("Ne sait pas et vides"),
        ["Variable", "Libellé", "« Ne sait pas »", "Part « ne sait pas » (%)", "Vides", "Part des vides (%)"],
        [
            [
                share["variable"],
                share["label"],
                share["dont_know"],
                None if share["dont_know"] is None else round(100 * share["dont_know"] / records, 1),
                share["empty"],
                round(100 * share["empty"] / records, 1),
            ]
            for share in report["shares"]
        ],
    )
    _rows(
        workbook.create_sheet("Schéma"),
        ["Variable", "Problème", "Nombre", "Exemples (numéros d'enregistrement)"],
        [[p["field"], p["message"], p["count"], _numbers(p["examples"])] for p in problems],
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _numbers(examples: list[int]) -> str:
    return ", ".join(str(number) for number in examples)


def _rows(sheet, header: list[str], rows, title: str | None = None) -> None:
    if title:
        sheet.append([title])
        sheet.cell(row=1, column=1).font = BOLD
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for row in rows:
        sheet.append(list(row))
