"""A published dashboard's files: PDF, XLSX, CSV and its Table Schema, made from the frozen public snapshot."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboards.exports import CSV_FIELDS
from tests.conventions.factories import PartnerFactory
from tests.dashboards.factories import DashboardVersionFactory, sample_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(partner):
    return DashboardVersionFactory(published=True, number=2, content=sample_content(partner))


def download(client, version, kind):
    return client.get(reverse("dashboards:export", args=[version.pk, kind]))


def csv_table(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.parametrize(
    ("kind", "content_type", "name"),
    [
        ("pdf", "application/pdf", "tableau-de-bord-odpe-loire-2023-v2.pdf"),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "tableau-de-bord-odpe-loire-2023-v2.xlsx",
        ),
        ("csv", "text/csv; charset=utf-8", "tableau-de-bord-odpe-loire-2023-v2.csv"),
        ("schema", "application/json", "tableau-de-bord-odpe-loire-2023-v2.schema.json"),
    ],
)
def test_each_export_has_its_content_type_and_a_file_name(member_client, published, kind, content_type, name):
    response = download(member_client, published, kind)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["ETag"]


def test_an_unknown_format_is_404(member_client, published):
    assert download(member_client, published, "docx").status_code == 404


def test_the_pdf_has_the_cover_the_sources_the_contributors_and_page_numbers(
    member_client, published, partner
):
    response = download(member_client, published, "pdf")

    assert response.content.startswith(b"%PDF")
    text = pdf_text(response)
    assert "Tableau de bord annuel 2023" in text
    assert "Source : " + partner.name in text.replace("\n", " ")
    assert "Contributeurs" in text
    assert "Page 2 / " in text


def test_the_pdf_carries_the_contributors_logos(member_client, partner):
    with_logo = PartnerFactory(with_logo=True)
    version = DashboardVersionFactory(published=True, content=sample_content(partner, with_logo))

    reader = PdfReader(io.BytesIO(download(member_client, version, "pdf").content))

    assert sum(len(page.images) for page in reader.pages) >= 2  # on the cover and on the contributors page


def test_the_csv_has_one_row_per_published_value_with_its_sources(member_client, published, partner):
    rows = csv_table(download(member_client, published, "csv"))

    assert list(rows[0]) == CSV_FIELDS
    years = [row for row in rows if row["dimension"] == "ensemble"]
    territories = {row["modalite"]: row for row in rows if row["dimension"] == "territoire"}
    assert [(row["annee"], row["valeur"]) for row in years] == [
        ("2021", "181"),
        ("2022", "191"),
        ("2023", "220"),
    ]
    assert territories["Forez"]["valeur"] == ""
    assert territories["Forez"]["secret_statistique"] == "secret statistique"
    assert territories["Gier"]["valeur"] == "121"
    assert {row["sources"] for row in rows} == {partner.name}
    assert {row["domaine"] for row in rows} == {"Enfants en danger"}


def test_the_table_schema_describes_exactly_the_csv_columns(member_client, published):
    schema = json.loads(download(member_client, published, "schema").content)
    header = list(csv_table(download(member_client, published, "csv"))[0])

    assert [field["name"] for field in schema["fields"]] == header
    assert schema["primaryKey"] == ["indicateur_code", "annee", "dimension", "modalite"]
    assert {field["name"]: field["type"] for field in schema["fields"]}["valeur"] == "number"
    rows = csv_table(download(member_client, published, "csv"))
    keys = [tuple(row[name] for name in schema["primaryKey"]) for row in rows]
    assert len(keys) == len(set(keys))
    domains = {field["name"]: field for field in schema["fields"]}["domaine"]["constraints"]["enum"]
    assert {row["domaine"] for row in rows} <= set(domains)
    assert "children_in_danger" not in domains


def test_the_workbook_has_a_sheet_per_section_a_source_column_and_the_contributors(
    member_client, published, partner
):
    workbook = load_workbook(io.BytesIO(download(member_client, published, "xlsx").content))

    assert workbook.sheetnames == ["À propos", "Enfants en danger", "Contributeurs"]
    section = workbook["Enfants en danger"]
    header = [cell.value for cell in section[1]]
    assert header[-1] == "Source"
    assert {row[-1] for row in section.iter_rows(min_row=2, values_only=True)} == {partner.name}
    masked = [row[6] for row in section.iter_rows(min_row=2) if row[5].value == "Forez"]
    assert masked[0].value == "secret statistique"
    assert masked[0].comment is None  # nothing says why it is masked
    assert [row[0].value for row in workbook["Contributeurs"].iter_rows(min_row=2)] == [partner.name]


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised(member_client):
    partner = PartnerFactory(name='=HYPERLINK("http://example.org","clic")', short_name="+X")
    version = DashboardVersionFactory(
        published=True, content=sample_content(partner, label="-1 mois @enfants")
    )

    rows = csv_table(download(member_client, version, "csv"))
    workbook = load_workbook(io.BytesIO(download(member_client, version, "xlsx").content))

    assert {row["sources"] for row in rows} == {'\'=HYPERLINK("http://example.org","clic")'}
    assert all(row["indicateur"].startswith("'-1 mois") for row in rows)
    cells = [
        cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None
    ]
    assert not any(cell.data_type == "f" for cell in cells)
    assert not any(
        isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")) for cell in cells
    )


def test_an_export_is_made_once_then_served_from_the_cache(
    member_client, published, django_assert_max_num_queries
):
    first = download(member_client, published, "xlsx")

    with django_assert_max_num_queries(4):  # session, user, roles, version: no snapshot read again
        again = download(member_client, published, "xlsx")

    assert again.content == first.content
    assert download(member_client, published, "xlsx").status_code == 200


def test_a_browser_that_has_the_file_gets_a_304(member_client, published):
    first = download(member_client, published, "csv")

    response = member_client.get(
        reverse("dashboards:export", args=[published.pk, "csv"]), HTTP_IF_NONE_MATCH=first["ETag"]
    )

    assert response.status_code == 304


def test_the_public_downloads_a_public_version(client, partner):
    version = DashboardVersionFactory(public=True, content=sample_content(partner))

    assert download(client, version, "csv").status_code == 200
    assert download(client, version, "pdf").content.startswith(b"%PDF")
