"""The blank workbook a partner downloads: read back with openpyxl, as Excel would see it."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from uploads.workbooks import TemplateInfo, TemplateTable, build_template
from uploads.workbooks.template import french_date

NBSP = "\u00a0"

INFO = TemplateInfo(
    observatory="Observatoire départemental de la protection de l'enfance de la Loire",
    partner="Tribunal judiciaire de Saint-Étienne",
    partner_article="le",
    data_year=2025,
    due_on=datetime.date(2026, 3, 31),
    contacts=["Référent ODPE : Marie Martin — odpe@loire.fr"],
)

SCHEMA = {
    "fields": [
        {
            "name": "territoire",
            "title": "Territoire",
            "type": "string",
            "description": "Territoire d'action sociale du département.",
            "constraints": {"required": True, "enum": ["Roanne", "Saint-Étienne", "Forez", "Total"]},
        },
        {
            "name": "code_commune",
            "title": "Code commune",
            "type": "string",
            "constraints": {"minLength": 5, "maxLength": 5},
        },
        {
            "name": "ip_recues",
            "title": "Informations préoccupantes reçues",
            "description": "Nombre d'informations préoccupantes reçues par la CRIP dans l'année.",
            "type": "integer",
            "constraints": {"required": True, "minimum": 0, "maximum": 100000},
        },
        {"name": "taux", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "date_bilan", "title": "Date du bilan", "type": "date"},
        {"name": "total", "title": "Total", "type": "integer"},
        {"name": "suivi", "title": "Suivi en cours", "type": "boolean"},
    ],
    "primaryKey": ["territoire"],
    "totals": [{"field": "total", "sumOf": ["ip_recues", "taux"]}],
    "totalRow": {"field": "territoire", "value": "Total"},
}

KEY_ROWS = [
    {"territoire": "Roanne", "code_commune": "04200"},
    {"territoire": "Forez"},
    {"territoire": "Total"},
]


def table(**changes):
    values = {
        "sheet_name": "IP reçues",
        "title": "Informations préoccupantes reçues",
        "schema": SCHEMA,
        "key_rows": KEY_ROWS,
    }
    values.update(changes)
    return TemplateTable(**values)


def build(*tables, **load_options):
    data = build_template(INFO, tables or (table(),))
    assert data[:2] == b"PK"
    return load_workbook(io.BytesIO(data), **load_options)


def readme_text(workbook):
    return "\n".join(
        str(value) for (value,) in workbook["Lisez-moi"].iter_rows(values_only=True, max_col=1) if value
    )


def validation_for(sheet, letter):
    found = [dv for dv in sheet.data_validations.dataValidation if f"{letter}2:{letter}1001" in str(dv.sqref)]
    assert len(found) == 1, [str(dv.sqref) for dv in sheet.data_validations.dataValidation]
    return found[0]


# Lisez-moi


def test_readme_is_the_first_and_active_sheet():
    workbook = build()
    assert workbook.sheetnames[0] == "Lisez-moi"
    assert workbook.active.title == "Lisez-moi"


def test_readme_names_observatory_partner_year_and_deadline():
    text = readme_text(build())
    assert "Observatoire départemental de la protection de l'enfance de la Loire" in text
    assert "Données du Tribunal judiciaire de Saint-Étienne pour l'année 2025" in text
    assert "À déposer avant le 31 mars 2026" in text
    assert "Marie Martin — odpe@loire.fr" in text


def test_deadline_is_written_the_french_way():
    assert french_date(datetime.date(2026, 3, 31)) == "31 mars 2026"
    assert french_date(datetime.date(2026, 4, 1)) == "1er avril 2026"
    assert french_date(datetime.date(2026, 8, 15)) == "15 août 2026"


def test_readme_tells_how_to_fill_and_forbids_personal_data():
    text = readme_text(build())
    assert "Ne renommez pas les feuilles" in text
    assert "en-têtes" in text
    assert "Une ligne par" in text
    assert "nombres comme des nombres" in text
    assert "ligne vide" in text
    for word in ("nom", "date de naissance", "adresse", "téléphone", "e-mail", "sécurité sociale"):
        assert word in text
    assert "refusé et supprimé" in text
    assert "vous attestez que votre institution a validé les chiffres" in text


def test_readme_lists_every_table_with_its_sheet_name():
    other = table(sheet_name="Mesures", title="Mesures de placement", key_rows=())
    text = readme_text(build(table(), other))
    assert f"Feuille «{NBSP}IP reçues{NBSP}»{NBSP}: Informations préoccupantes reçues" in text
    assert f"une ligne par «{NBSP}Territoire{NBSP}»" in text
    assert f"Feuille «{NBSP}Mesures{NBSP}»{NBSP}: Mesures de placement" in text
    assert "somme des colonnes" in text


def test_readme_uses_french_spacing():
    text = readme_text(build())
    for mark in (":", ";", "?", "!", "»"):
        assert f" {mark}" not in text
    assert "« " not in text


def test_readme_names_the_partner_with_its_article():
    info = TemplateInfo(
        **{**INFO.__dict__, "partner": "Caisse d'allocations familiales", "partner_article": "la"}
    )
    workbook = load_workbook(io.BytesIO(build_template(info, [table()])))

    assert "Données de la Caisse d'allocations familiales pour l'année 2025" in readme_text(workbook)
    assert workbook.properties.title == "Données de la Caisse d'allocations familiales pour l'année 2025"


def test_readme_lists_each_column_with_its_type_description_and_example():
    schema = {
        "fields": [
            {
                "name": "periode",
                "type": "date",
                "description": "Premier jour du mois.",
                "example": "2020-01-01",
            },
            {"name": "valeur", "type": "number", "example": "1.5"},
            {"name": "gratuit", "type": "boolean"},
        ]
    }
    text = readme_text(build(table(schema=schema, key_rows=())))

    assert (
        f"«{NBSP}periode{NBSP}» (date (jj/mm/aaaa)){NBSP}: Premier jour du mois — exemple{NBSP}: 01/01/2020."
        in text
    )
    assert f"«{NBSP}valeur{NBSP}» (nombre décimal) — exemple{NBSP}: 1,5." in text
    assert f"«{NBSP}gratuit{NBSP}» (oui/non)." in text


# Data sheets


def test_one_sheet_per_table_after_the_readme():
    other = table(sheet_name="Mesures", title="Mesures de placement", key_rows=())
    assert build(table(), other).sheetnames == ["Lisez-moi", "IP reçues", "Mesures"]


def test_header_row_is_the_title_or_else_the_name():
    sheet = build()["IP reçues"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [
        "Territoire",
        "Code commune",
        "Informations préoccupantes reçues",
        "taux",
        "Date du bilan",
        "Total",
        "Suivi en cours",
    ]


def test_header_cells_are_bold_filled_and_wrapped():
    sheet = build()["IP reçues"]
    for cell in sheet[1]:
        assert cell.font.bold
        assert cell.fill.fill_type == "solid"
        assert cell.alignment.wrap_text


def test_template_freezes_header_row():
    assert build()["IP reçues"].freeze_panes == "A2"


def test_data_sheet_holds_only_headers_and_key_rows():
    workbook = build(read_only=True)
    sheet = workbook["IP reçues"]
    rows = list(sheet.iter_rows(values_only=True))
    workbook.close()
    assert len(rows) == 1 + len(KEY_ROWS)
    assert all(len(row) == len(SCHEMA["fields"]) for row in rows)
    assert [row[0] for row in rows[1:]] == ["Roanne", "Forez", "Total"]
    assert rows[1][1:] == ("04200", None, None, None, None, None)


def test_key_rows_are_pre_filled_and_codes_stay_text():
    sheet = build()["IP reçues"]
    assert sheet["A2"].value == "Roanne"
    assert sheet["B2"].value == "04200"
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].number_format == "@"
    assert sheet["A4"].value == "Total"


def test_columns_carry_number_formats_for_new_cells():
    dimensions = build()["IP reçues"].column_dimensions
    assert dimensions["A"].number_format == "@"
    assert dimensions["C"].number_format == "#,##0"
    assert dimensions["D"].number_format == "#,##0.00"
    assert dimensions["E"].number_format == "DD/MM/YYYY"


def test_columns_have_sensible_widths():
    dimensions = build()["IP reçues"].column_dimensions
    widths = [dimensions[letter].width for letter in "ABCDEFG"]
    assert all(10 <= width <= 45 for width in widths)
    assert dimensions["C"].width > dimensions["D"].width  # a long title gets a wider column


def test_header_comment_explains_the_field():
    comment = build()["IP reçues"]["C1"].comment
    assert comment is not None
    text = comment.text
    assert text.startswith("Informations préoccupantes reçues")
    assert "Nombre d'informations préoccupantes reçues par la CRIP dans l'année." in text
    assert f"Type{NBSP}: nombre entier" in text
    assert f"Obligatoire{NBSP}: oui" in text
    assert f"Minimum{NBSP}: 0" in text
    assert f"Maximum{NBSP}: 100000" in text


def test_every_header_has_a_comment_with_its_type_in_french():
    sheet = build()["IP reçues"]
    types = [cell.comment.text.split(f"Type{NBSP}: ")[1].split("\n")[0] for cell in sheet[1]]
    assert types == [
        "texte",
        "texte",
        "nombre entier",
        "nombre décimal",
        "date (jj/mm/aaaa)",
        "nombre entier",
        "oui/non",
    ]
    assert f"Obligatoire{NBSP}: non" in sheet["B1"].comment.text


def test_header_comment_lists_allowed_values_and_totals():
    sheet = build()["IP reçues"]
    assert f"«{NBSP}Saint-Étienne{NBSP}»" in sheet["A1"].comment.text
    assert "somme des colonnes" in sheet["F1"].comment.text


def test_enum_field_gets_drop_down_list():
    sheet = build()["IP reçues"]
    validation = validation_for(sheet, "A")
    assert validation.type == "list"
    assert validation.formula1 == '"Roanne,Saint-Étienne,Forez,Total"'
    assert validation.allow_blank
    assert validation.showErrorMessage


def test_long_enum_list_goes_to_a_hidden_lists_sheet():
    values = [f"Motif de placement numéro {number}" for number in range(40)]
    schema = {
        "fields": [{"name": "motif", "title": "Motif", "type": "string", "constraints": {"enum": values}}]
    }
    workbook = build(table(schema=schema, key_rows=()))
    assert workbook.sheetnames == ["Lisez-moi", "IP reçues", "Listes"]
    assert workbook["Listes"].sheet_state == "hidden"
    assert [cell.value for cell in workbook["Listes"]["A"]] == values
    assert validation_for(workbook["IP reçues"], "A").formula1 == "'Listes'!$A$1:$A$40"


def test_enum_value_with_a_comma_goes_to_the_lists_sheet():
    schema = {
        "fields": [{"name": "motif", "type": "string", "constraints": {"enum": ["Danger, avéré", "Risque"]}}]
    }
    workbook = build(table(schema=schema, key_rows=()))
    assert validation_for(workbook["IP reçues"], "A").formula1 == "'Listes'!$A$1:$A$2"


def test_no_lists_sheet_when_every_list_fits_inline():
    assert "Listes" not in build().sheetnames


def test_integer_bounds_become_a_whole_number_validation():
    validation = validation_for(build()["IP reçues"], "C")
    assert validation.type == "whole"
    assert validation.operator == "between"
    assert (validation.formula1, validation.formula2) == ("0", "100000")


def test_integer_without_bounds_still_refuses_text():
    validation = validation_for(build()["IP reçues"], "F")
    assert validation.type == "whole"


def test_number_field_gets_a_decimal_validation():
    validation = validation_for(build()["IP reçues"], "D")
    assert validation.type == "decimal"
    assert (validation.formula1, validation.formula2) == ("0", "100")


def test_date_field_gets_a_date_validation():
    validation = validation_for(build()["IP reçues"], "E")
    assert validation.type == "date"


def test_boolean_field_offers_oui_or_non():
    validation = validation_for(build()["IP reçues"], "G")
    assert validation.formula1 == '"oui,non"'


def test_fixed_length_text_gets_a_length_validation():
    validation = validation_for(build()["IP reçues"], "B")
    assert validation.type == "textLength"
    assert (validation.formula1, validation.formula2) == ("5", "5")


def test_validation_messages_fit_excel_limits():
    sheet = build()["IP reçues"]
    for validation in sheet.data_validations.dataValidation:
        assert len(validation.promptTitle or "") <= 32
        assert len(validation.prompt or "") <= 255
        assert len(validation.error or "") <= 225


@pytest.mark.parametrize(
    "sheet_name", ["", "Un nom de feuille bien trop long pour Excel", "Mesures/2025", "Lisez-moi", "listes"]
)
def test_impossible_sheet_name_is_refused(sheet_name):
    with pytest.raises(ValueError):
        build_template(INFO, [table(sheet_name=sheet_name)])


def test_two_tables_on_one_sheet_are_refused():
    with pytest.raises(ValueError):
        build_template(INFO, [table(), table(sheet_name="ip reçues")])


def test_headers_equal_but_for_case_and_accents_are_refused():
    schema = {"fields": [{"name": "a", "title": "Entrées"}, {"name": "b", "title": "entrees"}]}
    with pytest.raises(ValueError):
        build_template(INFO, [table(schema=schema, key_rows=())])


def test_key_row_for_an_unknown_column_is_refused():
    with pytest.raises(ValueError):
        build_template(INFO, [table(key_rows=[{"commune": "Roanne"}])])


def test_a_value_that_looks_like_a_formula_is_written_as_text():
    schema = {
        "fields": [
            {
                "name": "=cmd|' /C calc'!A0",
                "type": "string",
                "constraints": {"enum": ["=1+1", "Forez"] + [f"Territoire {n}" for n in range(60)]},
            },
        ]
    }
    workbook = build(table(schema=schema, key_rows=[{"=cmd|' /C calc'!A0": "=1+1"}]))

    sheet = workbook["IP reçues"]
    assert sheet["A1"].data_type == "s" and sheet["A2"].data_type == "s"
    assert all(cell.data_type == "s" for row in workbook["Listes"].iter_rows() for cell in row if cell.value)
