"""A schema as published on schema.data.gouv.fr becomes a table spec; its export imports back unchanged."""

import io
import json
from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertRedirects

from odpe.models import AuditEvent
from tests.uploads.factories import COUNTS_SCHEMA, TableSpecFactory
from uploads import descriptors
from uploads.models import TableSpec
from uploads.workbooks import TemplateInfo, TemplateTable, build_template
from uploads.workbooks.template import LISTS_SHEET, README_SHEET

FIXTURES = Path(__file__).parent / "validation" / "fixtures"
STATIONNEMENT = FIXTURES / "schema-stationnement.json"


def published(name: str = "schema-stationnement.json") -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def upload(descriptor: dict, name: str = "schema.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(descriptor, ensure_ascii=False).encode(), "application/json")


def import_url() -> str:
    return reverse("uploads:spec_import_new")


def export(client, spec: TableSpec) -> bytes:
    response = client.get(reverse("uploads:spec_schema", args=[spec.pk]))
    assert response.status_code == 200
    return response.content


def test_referent_imports_a_published_schema_file_as_a_new_spec(referent_client):
    response = referent_client.post(
        import_url(), {"file": upload(published()), "code": "stationnement"}, follow=True
    )

    spec = TableSpec.objects.get(code="stationnement")
    assertRedirects(response, spec.get_absolute_url())
    assertContains(response, "Spécification importée")
    assert spec.title == "Lieux de stationnement"
    assert spec.description == "Spécification des lieux permettant le stationnement en parc"
    assert spec.sheet_name == "Lieux de stationnement"
    assert len(spec.field_names) == 30
    assert spec.schema["primaryKey"] == "id_park"
    assert spec.schema["version"] == "0.1.0"
    assert "title" not in spec.schema
    assert AuditEvent.objects.filter(action="spec.imported", object_id=str(spec.pk)).exists()


def test_a_pasted_schema_takes_its_code_from_the_schema_name(referent_client):
    descriptor = {**published(), "name": "Lieux de stationnement (v0.1)"}

    referent_client.post(import_url(), {"text": json.dumps(descriptor, ensure_ascii=False)})

    assert TableSpec.objects.filter(code="lieux-de-stationnement-v0-1").exists()


def test_a_schema_without_a_name_asks_for_a_code(referent_client):
    response = referent_client.post(import_url(), {"file": upload(published())})

    assert response.status_code == 400
    assertContains(response, "Ce schéma n’a pas de nom", status_code=400)
    assert not TableSpec.objects.exists()


def test_an_invalid_schema_is_refused_with_a_message_naming_the_field(referent_client):
    descriptor = published()
    descriptor["fields"][7]["type"] = "entier"

    response = referent_client.post(import_url(), {"file": upload(descriptor), "code": "stationnement"})

    assert response.status_code == 400
    assertContains(response, "nb_places", status_code=400)
    assert not TableSpec.objects.exists()


def test_a_file_that_is_not_json_is_refused_in_french(referent_client):
    not_json = SimpleUploadedFile("schema.json", b'{"fields": [', "application/json")

    response = referent_client.post(import_url(), {"file": not_json, "code": "stationnement"})

    assertContains(response, "Ce JSON n’est pas valide", status_code=400)
    assert not TableSpec.objects.exists()


def test_a_code_already_taken_is_refused_and_the_other_spec_stays(referent_client):
    TableSpecFactory(code="stationnement", title="Autre fiche")

    response = referent_client.post(import_url(), {"file": upload(published()), "code": "stationnement"})

    assert response.status_code == 400
    assert TableSpec.objects.get(code="stationnement").title == "Autre fiche"


def test_both_a_file_and_a_pasted_schema_are_refused(referent_client):
    descriptor = published()

    response = referent_client.post(
        import_url(), {"file": upload(descriptor), "text": json.dumps(descriptor), "code": "stationnement"}
    )

    assertContains(response, "pas les deux", status_code=400)
    assert not TableSpec.objects.exists()


def test_a_sheet_name_too_long_for_excel_is_refused_naming_the_sheet(referent_client):
    descriptor = {**published(), "x-odpe-sheet": "Lieux de stationnement en parc de la métropole"}

    response = referent_client.post(import_url(), {"file": upload(descriptor), "code": "stationnement"})

    assertContains(response, "Nom de la feuille", status_code=400)
    assert not TableSpec.objects.exists()


def test_export_gives_the_spec_s_identity_and_its_schema(referent_client):
    spec = TableSpecFactory(
        code="enfants", title="Enfants suivis", description="Par territoire.", sheet_name="Enfants"
    )

    descriptor = json.loads(export(referent_client, spec))

    assert descriptor["name"] == "enfants"
    assert descriptor["title"] == "Enfants suivis"
    assert descriptor["description"] == "Par territoire."
    assert descriptor["x-odpe-sheet"] == "Enfants"
    assert descriptor["fields"] == COUNTS_SCHEMA["fields"]


def test_export_then_import_then_export_is_identical(referent_client):
    referent_client.post(import_url(), {"file": upload(published()), "code": "stationnement"})
    first_spec = TableSpec.objects.get(code="stationnement")
    first = export(referent_client, first_spec)
    first_spec.delete()

    referent_client.post(import_url(), {"file": upload(json.loads(first))})

    again = TableSpec.objects.get(code="stationnement")
    assert export(referent_client, again) == first
    assert (again.title, again.description, again.sheet_name, again.schema) == (
        first_spec.title,
        first_spec.description,
        first_spec.sheet_name,
        first_spec.schema,
    )


def test_replacing_a_schema_with_an_export_keeps_the_spec_s_own_title(referent_client):
    spec = TableSpecFactory(code="enfants", title="Enfants suivis")
    descriptor = {**json.loads(export(referent_client, spec)), "title": "Autre titre"}

    referent_client.post(reverse("uploads:spec_import", args=[spec.pk]), {"file": upload(descriptor)})

    spec.refresh_from_db()
    assert spec.title == "Enfants suivis"
    assert "title" not in spec.schema
    assert json.loads(export(referent_client, spec))["title"] == "Enfants suivis"


def template_sheet(spec: TableSpec):
    info = TemplateInfo(
        observatory="ODPE de la Loire",
        partner="Tribunal",
        data_year=2025,
        due_on=date(2026, 3, 31),
        contacts=[],
    )
    table = TemplateTable(sheet_name=spec.sheet_name, title=spec.title, schema=spec.schema)
    return load_workbook(io.BytesIO(build_template(info, [table])))[spec.sheet_name]


def validation_of(sheet, letter: str):
    (found,) = [v for v in sheet.data_validations.dataValidation if str(v.sqref).startswith(f"{letter}2:")]
    return found


def test_the_imported_schema_s_template_types_every_column(referent_client):
    referent_client.post(import_url(), {"file": upload(published()), "code": "stationnement"})
    spec = TableSpec.objects.get(code="stationnement")

    sheet = template_sheet(spec)

    column = {cell.value: cell.column_letter for cell in sheet[1]}
    assert list(column)[:3] == ["id_park", "nom_park", "insee"]
    assert validation_of(sheet, column["nb_places"]).type == "whole"
    assert validation_of(sheet, column["Xlong"]).type == "decimal"
    assert validation_of(sheet, column["gratuit"]).formula1 == '"true,false"'
    assert validation_of(sheet, column["type_usag"]).formula1 == '"tous_usagers,abonnés"'
    comment = sheet[f"{column['nb_places']}1"].comment.text
    assert "Exemple\u00a0: 325" in comment
    assert "Nombre total de places pour les voitures" in comment


def test_the_irve_schema_s_dates_booleans_and_lists_reach_the_template_typed(referent_client):
    descriptor = published("schema-irve-statique.json")
    referent_client.post(import_url(), {"file": upload(descriptor)})
    spec = TableSpec.objects.get(code="schema-irve-statique")

    sheet = template_sheet(spec)

    column = {cell.value: cell.column_letter for cell in sheet[1]}
    assert sheet.column_dimensions[column["date_mise_en_service"]].number_format == "DD/MM/YYYY"
    assert sheet.column_dimensions[column["horodatage_maj"]].number_format == "DD/MM/YYYY HH:MM"
    assert validation_of(sheet, column["date_mise_en_service"]).type == "date"
    assert validation_of(sheet, column["presence_borniste"]).formula1 == '"oui,non"'
    assert validation_of(sheet, column["raccordement"]).formula1 == '"Direct,Indirect"'
    comments = {name: sheet[f"{letter}1"].comment.text for name, letter in column.items()}
    assert "Exemple\u00a0: 30/12/2021" in comments["date_mise_en_service"]
    assert "Exemple\u00a0: 17/12/2024 13:13" in comments["horodatage_maj"]
    assert "Exemple\u00a0: non" in comments["presence_borniste"]
    assert 'Exemple\u00a0: ["M1", "L"]' in comments["type_vehicule"]
    assert "Type\u00a0: texte (adresse e-mail)" in comments["contact_amenageur"]
    assert "Date de mise en service de la station" in comments["date_mise_en_service"]


def test_a_sheet_name_excel_refuses_is_refused_before_any_template_is_made(referent_client):
    descriptor = {**published(), "x-odpe-sheet": "Lisez-moi"}

    response = referent_client.post(import_url(), {"file": upload(descriptor), "code": "stationnement"})

    assertContains(response, "ne peut pas être un onglet du modèle", status_code=400)
    assert not TableSpec.objects.exists()


def test_a_title_with_characters_excel_refuses_gives_a_clean_sheet_name(referent_client):
    descriptor = {**published(), "title": "Parcs [relais] : entrées/sorties"}

    referent_client.post(import_url(), {"file": upload(descriptor), "code": "parcs"})

    assert TableSpec.objects.get(code="parcs").sheet_name == "Parcs relais entrées sorties"


def test_the_sheets_an_import_keeps_free_are_the_template_s_own():
    assert descriptors.TEMPLATE_SHEETS == (README_SHEET, LISTS_SHEET)
