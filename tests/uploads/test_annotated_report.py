"""The partner's workbook handed back with its findings shown, or the report alone when it cannot be."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from uploads.validation.findings import Finding
from uploads.workbooks import annotate_workbook, report_workbook
from uploads.workbooks.annotate import MAX_FINDINGS

NBSP = "\u00a0"
RED = "FFFFC7CE"
AMBER = "FFFFEB9C"
HEADERS = ("Gravité", "Nature", "Feuille", "Cellule", "Ligne", "Colonne", "Message", "Code technique")


def partner_workbook() -> bytes:
    workbook = Workbook()
    readme = workbook.active
    readme.title = "Lisez-moi"
    readme["A1"] = "Observatoire"
    sheet = workbook.create_sheet("IP reçues")
    sheet.append(["Territoire", "Garçons", "Filles", "Total"])
    sheet.append(["Roanne", 12, "douze", "=B2+C2"])
    sheet.append(["Forez", 3, 4, 7])
    sheet["A1"].font = Font(bold=True)
    sheet["B3"].number_format = "#,##0"
    sheet["B3"].font = Font(italic=True, color="FF0000FF")
    sheet["C3"].comment = Comment("Chiffre provisoire", "Partenaire")
    sheet.merge_cells("E5:F5")
    sheet["E5"] = "Note"
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def findings():
    return [
        Finding(
            "type-error",
            "La valeur « douze » n'est pas un nombre entier.",
            sheet="IP reçues",
            cell="C2",
            row=2,
            field="filles",
        ),
        Finding(
            "total-mismatch",
            "Le total ne fait pas la somme.",
            severity="warning",
            sheet="IP reçues",
            cell="D3",
            row=3,
            field="total",
        ),
        Finding("missing-label", "La colonne « Mesures » manque.", sheet="IP reçues"),
        Finding("blank-row", "La ligne 9 est vide.", sheet="IP reçues", row=9),
    ]


def annotated(data=None, found=None, **options):
    result = annotate_workbook(
        partner_workbook() if data is None else data, findings() if found is None else found, **options
    )
    return load_workbook(io.BytesIO(result))


def report_rows(workbook, sheet="Rapport"):
    rows = list(workbook[sheet].iter_rows(values_only=True))
    header = rows.index(HEADERS)
    return rows[:header], rows[header + 1 :]


def test_faulty_cell_is_coloured_and_commented():
    cell = annotated()["IP reçues"]["C2"]
    assert cell.fill.fill_type == "solid"
    assert cell.fill.fgColor.rgb == RED
    assert cell.comment is not None
    assert cell.comment.text == f"Erreur{NBSP}: La valeur «{NBSP}douze{NBSP}» n'est pas un nombre entier."


def test_warning_cell_is_amber():
    cell = annotated()["IP reçues"]["D3"]
    assert cell.fill.fgColor.rgb == AMBER
    assert cell.comment.text.startswith(f"Avertissement{NBSP}: Le total")


def test_several_findings_on_one_cell_share_one_comment_and_error_colour_wins():
    found = [
        Finding("constraint-error", "Trop grand.", severity="warning", sheet="IP reçues", cell="B2"),
        Finding("type-error", "Pas un entier.", sheet="IP reçues", cell="B2"),
        Finding("outlier", "Valeur inhabituelle.", severity="warning", sheet="IP reçues", cell="B2"),
    ]
    cell = annotated(found=found)["IP reçues"]["B2"]
    assert cell.fill.fgColor.rgb == RED
    text = cell.comment.text
    assert "Trop grand." in text and "Pas un entier." in text and "Valeur inhabituelle." in text


def test_partner_values_and_formatting_are_kept():
    workbook = annotated()
    sheet = workbook["IP reçues"]
    assert [cell.value for cell in sheet[1]][:4] == ["Territoire", "Garçons", "Filles", "Total"]
    assert sheet["C2"].value == "douze"
    assert sheet["D2"].value == "=B2+C2"
    assert sheet["B3"].number_format == "#,##0"
    assert sheet["B3"].font.italic
    assert sheet["A1"].font.bold
    assert "E5:F5" in {str(merged) for merged in sheet.merged_cells.ranges}
    assert workbook["Lisez-moi"]["A1"].value == "Observatoire"


def test_coloured_cell_keeps_its_font_and_number_format():
    found = [Finding("outlier", "Valeur inhabituelle.", severity="warning", sheet="IP reçues", cell="B3")]
    cell = annotated(found=found)["IP reçues"]["B3"]
    assert cell.fill.fgColor.rgb == AMBER
    assert cell.font.italic
    assert cell.number_format == "#,##0"
    assert cell.value == 3


def test_partner_comment_is_kept_under_ours():
    found = [Finding("type-error", "Pas un entier.", sheet="IP reçues", cell="C3")]
    text = annotated(found=found)["IP reçues"]["C3"].comment.text
    assert text.startswith(f"Erreur{NBSP}: Pas un entier.")
    assert "Chiffre provisoire" in text


def test_untouched_cells_get_no_colour_nor_comment():
    sheet = annotated()["IP reçues"]
    assert sheet["B2"].comment is None
    assert sheet["B2"].fill.fill_type is None


def test_report_sheet_comes_first_and_is_active():
    workbook = annotated()
    assert workbook.sheetnames == ["Rapport", "Lisez-moi", "IP reçues"]
    assert workbook.active.title == "Rapport"
    assert [sheet.sheet_view.tabSelected for sheet in workbook.worksheets] == [True, False, False]


def test_report_lists_every_finding_errors_first():
    _, rows = report_rows(annotated())
    assert rows == [
        (
            "Erreur",
            "Type de valeur incorrect",
            "IP reçues",
            "C2",
            2,
            "filles",
            f"La valeur «{NBSP}douze{NBSP}» n'est pas un nombre entier.",
            "type-error",
        ),
        (
            "Erreur",
            "Colonne manquante",
            "IP reçues",
            None,
            None,
            None,
            f"La colonne «{NBSP}Mesures{NBSP}» manque.",
            "missing-label",
        ),
        ("Erreur", "Ligne vide", "IP reçues", None, 9, None, "La ligne 9 est vide.", "blank-row"),
        (
            "Avertissement",
            "Total incohérent",
            "IP reçues",
            "D3",
            3,
            "total",
            "Le total ne fait pas la somme.",
            "total-mismatch",
        ),
    ]


def test_report_has_a_summary_an_autofilter_and_a_frozen_header():
    workbook = annotated()
    sheet = workbook["Rapport"]
    top, _ = report_rows(workbook)
    assert (
        top[0][0]
        == f"Rapport de vérification{NBSP}: 3 erreurs et 1 avertissement. Les erreurs doivent être corrigées avant un nouveau dépôt."
    )
    assert sheet.auto_filter.ref == "A3:H7"
    assert sheet.freeze_panes == "A4"
    assert all(cell.font.bold for cell in sheet[3])


def test_report_cell_links_to_the_annotated_cell():
    sheet = annotated()["Rapport"]
    assert sheet["D4"].hyperlink.location == "'IP reçues'!C2"


def test_findings_without_a_cell_appear_only_in_the_report():
    found = [Finding("missing-label", "La colonne « Mesures » manque.", sheet="IP reçues")]
    workbook = annotated(found=found)
    sheet = workbook["IP reçues"]
    commented = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.comment is not None]
    assert commented == ["C3"]  # the partner's own comment only
    _, rows = report_rows(workbook)
    assert len(rows) == 1


def test_findings_pointing_nowhere_do_not_break_the_copy():
    found = [
        Finding("x", "Feuille inconnue.", sheet="Absente", cell="A1"),
        Finding("x", "Cellule impossible.", sheet="IP reçues", cell="pas une cellule"),
        Finding("x", "Colonne entière.", sheet="IP reçues", cell="B:B"),
    ]
    workbook = annotated(found=found)
    assert workbook.sheetnames[0] == "Rapport"
    _, rows = report_rows(workbook)
    assert [row[6] for row in rows] == ["Feuille inconnue.", "Cellule impossible.", "Colonne entière."]


def test_a_range_finding_colours_each_cell_and_comments_the_first():
    found = [Finding("blank-row", "Ligne incomplète.", sheet="IP reçues", cell="A3:C3", row=3)]
    sheet = annotated(found=found)["IP reçues"]
    assert [sheet[coordinate].fill.fgColor.rgb for coordinate in ("A3", "B3", "C3")] == [RED, RED, RED]
    assert "Ligne incomplète." in sheet["A3"].comment.text
    assert sheet["B3"].comment is None


def test_a_finding_on_a_merged_cell_annotates_the_merge_anchor():
    found = [Finding("x", "Note interdite.", sheet="IP reçues", cell="F5")]
    sheet = annotated(found=found)["IP reçues"]
    assert sheet["E5"].fill.fgColor.rgb == RED
    assert "Note interdite." in sheet["E5"].comment.text


def test_message_starting_with_equals_stays_text():
    found = [Finding("x", "=SOMME(A1:A3) n'est pas un nombre.", sheet="IP reçues", cell="A2")]
    workbook = annotated(found=found)
    _, rows = report_rows(workbook)
    assert rows[0][6] == "=SOMME(A1:A3) n'est pas un nombre."
    assert workbook["Rapport"]["G4"].data_type == "s"


def test_an_existing_rapport_sheet_is_left_alone():
    workbook = Workbook()
    workbook.active.title = "Rapport"
    workbook.active["A1"] = "Rapport du partenaire"
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = annotated(data=buffer.getvalue())
    assert result.sheetnames == ["Rapport ODPE", "Rapport"]
    assert result["Rapport"]["A1"].value == "Rapport du partenaire"
    assert result.active.title == "Rapport ODPE"


def test_accepts_a_path_and_a_file_object(tmp_path):
    path = tmp_path / "depot.xlsx"
    path.write_bytes(partner_workbook())
    assert annotated(data=path)["IP reçues"]["C2"].comment is not None
    with path.open("rb") as handle:
        handle.read(10)
        assert annotated(data=handle)["IP reçues"]["C2"].comment is not None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a workbook at all",
        b"PK\x03\x04 truncated zip",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 encrypted",
    ],
)
def test_unreadable_workbook_gives_report_only(data):
    workbook = annotated(data=data)
    assert workbook.sheetnames == ["Rapport"]
    top, rows = report_rows(workbook)
    assert "n'a pas pu être ouvert" in top[1][0]
    assert len(rows) == len(findings())


def test_zip_that_is_not_a_workbook_gives_report_only():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "bonjour")
    assert annotated(data=buffer.getvalue()).sheetnames == ["Rapport"]


def test_missing_file_gives_report_only(tmp_path):
    assert annotated(data=tmp_path / "absent.xlsx").sheetnames == ["Rapport"]


def test_too_large_workbook_gives_report_only():
    workbook = annotated(max_cells=10)
    assert workbook.sheetnames == ["Rapport"]
    top, _ = report_rows(workbook)
    assert "trop volumineux" in top[1][0]


def test_a_workbook_that_unpacks_too_large_gives_report_only_before_any_sheet_is_read():
    workbook = annotated(max_unpacked_bytes=1_000)
    assert workbook.sheetnames == ["Rapport"]
    top, _ = report_rows(workbook)
    assert "trop volumineux" in top[1][0]


def test_report_workbook_holds_the_report_and_the_reason():
    workbook = load_workbook(io.BytesIO(report_workbook(findings(), reason="Le fichier a été refusé.")))
    assert workbook.sheetnames == ["Rapport"]
    top, rows = report_rows(workbook)
    assert top[1][0] == "Le fichier a été refusé."
    assert [row[7] for row in rows] == ["type-error", "missing-label", "blank-row", "total-mismatch"]
    assert workbook["Rapport"].auto_filter.ref == "A3:H7"
    assert workbook["Rapport"]["A4"].fill.fgColor.rgb == RED


def test_report_workbook_explains_by_default_why_there_is_no_copy():
    top, _ = report_rows(load_workbook(io.BytesIO(report_workbook(findings()))))
    assert "n'ont pas pu être colorées" in top[1][0]


def test_report_with_no_finding_says_so():
    workbook = load_workbook(io.BytesIO(report_workbook([])))
    top, rows = report_rows(workbook)
    assert top[0][0] == f"Rapport de vérification{NBSP}: Aucune anomalie relevée."
    assert rows == []


def test_illegal_characters_in_a_message_do_not_break_the_report():
    found = [Finding("x", "Valeur \x01bizarre\x0b.", sheet="IP reçues", cell="A2")]
    workbook = annotated(found=found)
    _, rows = report_rows(workbook)
    assert rows[0][6] == "Valeur bizarre."
    assert workbook["IP reçues"]["A2"].comment.text == f"Erreur{NBSP}: Valeur bizarre."


def test_partner_fill_on_other_cells_is_kept():
    data = io.BytesIO()
    workbook = Workbook()
    workbook.active.title = "Données"
    workbook.active["A1"] = "x"
    workbook.active["A1"].fill = PatternFill(fill_type="solid", start_color="FF00FF00", end_color="FF00FF00")
    workbook.active["B1"] = "y"
    workbook.save(data)
    found = [Finding("x", "Faux.", sheet="Données", cell="B1")]
    sheet = annotated(data=data.getvalue(), found=found)["Données"]
    assert sheet["A1"].fill.fgColor.rgb == "FF00FF00"
    assert sheet["B1"].fill.fgColor.rgb == RED


def test_a_workbook_with_a_selected_chart_sheet_opens_on_the_report_alone():
    workbook = Workbook()
    workbook.active.title = "Données"
    workbook.active.append(["Territoire", "Total"])
    workbook.active.append(["Roanne", 3])
    chart = BarChart()
    chart.add_data(Reference(workbook.active, min_col=2, min_row=1, max_row=2), titles_from_data=True)
    chart_sheet = workbook.create_chartsheet("Graphique")
    chart_sheet.add_chart(chart)
    chart_sheet.sheetViews.sheetView[0].tabSelected = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    found = [Finding("x", "Faux.", sheet="Données", cell="B2")]
    result = annotated(data=buffer.getvalue(), found=found)
    assert result.sheetnames[0] == "Rapport"
    assert result.active.title == "Rapport"
    assert result["Données"]["B2"].fill.fgColor.rgb == RED
    assert [bool(view.tabSelected) for sheet in result.worksheets for view in sheet.views.sheetView] == [
        True,
        False,
    ]
    assert not any(view.tabSelected for view in result["Graphique"].sheetViews.sheetView)


def test_formulas_from_the_partners_file_come_back_as_text_that_runs_nothing():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Données"
    sheet.append(["Territoire", "Total"])
    sheet["A2"] = "=cmd|' /C calc'!A0"
    sheet["B2"] = '=HYPERLINK("https://example.org/","Cliquez ici")'
    sheet["C2"] = "=B2+1"
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = annotated(data=buffer.getvalue(), found=[Finding("x", "Faux.", sheet="Données", cell="B2")])

    cells = [result["Données"][name] for name in ("A2", "B2", "C2")]
    assert [cell.value for cell in cells] == [
        "=cmd|' /C calc'!A0",
        '=HYPERLINK("https://example.org/","Cliquez ici")',
        "=B2+1",
    ]
    assert [cell.data_type for cell in cells] == ["s", "s", "s"]
    assert all(cell.quotePrefix for cell in cells)
    assert result["Données"]["B2"].comment is not None  # still annotated


def test_at_most_a_thousand_findings_are_annotated_and_the_report_says_so():
    found = [
        Finding("type-error", f"Ligne {row} : pas un nombre.", sheet="IP reçues", cell=f"B{row}", row=row)
        for row in range(2, 1_202)
    ]

    workbook = annotated(found=found)

    top, rows = report_rows(workbook)
    assert len(rows) == MAX_FINDINGS == 1_000
    assert f"Seules les 1{NBSP}000 premières anomalies sur 1{NBSP}200" in top[1][0]
    assert "1 200 erreurs" in top[0][0].replace(NBSP, " ").replace("\u202f", " ")
    sheet = workbook["IP reçues"]
    assert sheet["B1001"].comment is not None and sheet["B1002"].comment is None


def test_a_sheet_that_understates_its_size_is_counted_not_believed():
    workbook = Workbook()
    for row in range(1, 31):
        workbook.active.append([row, row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = re.sub(
        r'<dimension ref="[^"]*"', '<dimension ref="A1"', sheet
    ).encode()
    lying = io.BytesIO()
    with zipfile.ZipFile(lying, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    assert annotated(data=lying.getvalue(), max_cells=40).sheetnames == ["Rapport"]


def test_the_report_explains_each_code_in_french_and_keeps_the_code_in_a_column_of_its_own():
    _, rows = report_rows(load_workbook(io.BytesIO(report_workbook(findings()))))

    assert [(row[1], row[7]) for row in rows] == [
        ("Type de valeur incorrect", "type-error"),
        ("Colonne manquante", "missing-label"),
        ("Ligne vide", "blank-row"),
        ("Total incohérent", "total-mismatch"),
    ]
