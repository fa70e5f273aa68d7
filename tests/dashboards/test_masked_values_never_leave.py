"""Statistical confidentiality end to end: a dashboard published through the services, then every page and
file outside the ODPE team scanned for the raw values it masked. Only the team's internal preview has them.

The masked values are chosen so that finding one by chance is unlikely (four and five digits, under a
high threshold), and the scan looks for every way a number can be written (7319, 7 319, 7,319, 7319.0).
"""

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboards import services
from odpe.audit import Actor
from tests.conventions.factories import PartnerFactory
from tests.dashboards.factories import DashboardVersionFactory, observe
from tests.uploads.factories import IndicatorFactory

pytestmark = pytest.mark.django_db
THRESHOLD = 8000  # counts from 1 to 7999 are masked
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TOKEN = re.compile(r'(csrfmiddlewaretoken" value=")[^"]+|\?v=[0-9a-f]+')
SPACES = re.compile(r"[\u00a0\u202f ]")


@pytest.fixture
def published(
    referent,
    partner,
    other_partner,
    correspondent,
    other_partner_correspondent,
    django_capture_on_commit_callbacks,
):
    """Forez's 7319 is a small count under the threshold; one of Gier and Roannais is masked with it
    so that it cannot be worked out from the total; 2022's 6911 is a small count too."""
    partner.logo = PartnerFactory.build(with_logo=True).logo
    partner.save()
    followed = IndicatorFactory(label="Enfants suivis en AEMO", code="AEMO_SUIVIS", unit="count")
    for territory, value in [("Forez", 7319), ("Gier", 48265), ("Roannais", 51873)]:
        observe(followed, partner, 2023, value, territory=territory)
    observe(followed, partner, 2022, 6911)
    observe(followed, partner, 2021, 99120)
    observe(IndicatorFactory(label="Mesures judiciaires", unit="count"), other_partner, 2023, 250104)
    actor = Actor(user=referent)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.create_version(data_year=2023, actor=actor, threshold=THRESHOLD)
    version = services.submit_for_review(version, actor=actor)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.request_consents(version, actor=actor)
    for source, user in [(partner, correspondent), (other_partner, other_partner_correspondent)]:
        request = version.consent_requests.get(partner=source)
        with django_capture_on_commit_callbacks(execute=True):
            services.record_consent(request, actor=Actor(user=user), consent=True)
    version.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        return services.publish(version, actor=actor, is_public=True)


def masked_raw_values(content: dict) -> set[float]:
    cells = [
        cell
        for section in content["sections"]
        for figure in section["figures"]
        for cell in [
            figure["value"],
            figure["previous"],
            *figure["trend"],
            *(r for b in figure["breakdowns"] for r in b["rows"]),
        ]
        if cell
    ]
    return {cell["value"] for cell in cells if cell["masked"] and cell["value"] is not None}


def writings(value: float) -> set[str]:
    """Every way the value may be written: digits, grouped by thousands, as a float."""
    number = int(value)
    grouped = f"{number:,}"
    return {str(number), grouped, grouped.replace(",", " "), grouped.replace(",", "."), f"{value}"}


def leaks(text: str, values: set[float]) -> list[str]:
    text = SPACES.sub(" ", TOKEN.sub("", UUID.sub("", text)))
    return [writing for value in values for writing in writings(value) if writing in text]


def workbook_text(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data))
    parts = []
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                parts.append(str(cell.value) if cell.value is not None else "")
                parts.append(cell.comment.text if cell.comment else "")
    return "\n".join(parts)


def export(client, version, kind) -> bytes:
    response = client.get(reverse("dashboards:export", args=[version.pk, kind]))
    assert response.status_code == 200
    return response.content


def test_the_scan_is_meaningful_the_masked_values_are_distinctive_and_the_team_sees_them(
    published, referent_client
):
    masked = masked_raw_values(published.content)
    assert {7319, 6911} <= masked and len(masked) >= 3  # small counts, and a complement

    internal = referent_client.get(published.get_absolute_url()).content.decode()

    assert "7 319" in SPACES.sub(" ", internal)
    assert "masqué, interne" in internal
    assert leaks(internal, masked)


def test_no_page_outside_the_team_shows_a_masked_value(
    published, member_client, client, correspondent_client, referent_client
):
    masked = masked_raw_values(published.content)
    pages = {
        "member's page": member_client.get(reverse("dashboards:published_version", args=[published.pk])),
        "public page": client.get(reverse("dashboards:published_detail", args=[2023])),
        "preview as published": referent_client.get(
            reverse("dashboards:version_preview", args=[published.pk])
        ),
        "consent page": correspondent_client.get(published.consent_requests.first().get_absolute_url()),
    }

    for name, response in pages.items():
        assert response.status_code == 200, name
        assert leaks(response.content.decode(), masked) == [], name
    assert "secret statistique" in pages["public page"].content.decode()


def test_no_export_holds_a_masked_value(published, client):
    masked = masked_raw_values(published.content)

    pdf = PdfReader(io.BytesIO(export(client, published, "pdf")))
    pdf_text = "\n".join(page.extract_text() for page in pdf.pages)
    files = {
        "pdf": pdf_text,
        "xlsx": workbook_text(export(client, published, "xlsx")),
        "csv": export(client, published, "csv").decode("utf-8-sig"),
        "schema": export(client, published, "schema").decode(),
    }

    assert "Enfants suivis en AEMO" in pdf_text and "107 457" in pdf_text  # the PDF's text was extracted
    for name, text in files.items():
        assert leaks(text, masked) == [], name
    assert "secret statistique" in files["xlsx"]


# Which masked cell is the small count: what the complementary cells hide ----------------------------

REASONS = [
    "petit effectif",
    "complémentaire",
    "petit_effectif",
    "secret_complementaire",
    "small_count",
    "complement",
]
MASKED_SPAN = re.compile(r'<span class="masked"[^>]*>[^<]*</span>')


def reasons_in(text: str) -> list[str]:
    return [word for word in REASONS if word in text.casefold()]


def masked_reasons(content: dict) -> set:
    cells = [
        cell
        for section in content["sections"]
        for figure in section["figures"]
        for cell in [figure["value"], *figure["trend"], *(r for b in figure["breakdowns"] for r in b["rows"])]
        if cell
    ]
    return {cell["masked"] for cell in cells if cell["masked"]}


def test_no_public_artefact_tells_a_small_count_from_its_complement(
    published, member_client, client, partner
):
    """Both kinds of masked cells are published; every page and file outside the team marks them alike."""
    assert masked_reasons(published.content) == {"small_count", "complement"}
    legacy = {  # a year published when the public snapshot still said why each cell is masked
        **published.published_content,
        "data_year": 2022,
        "sections": [
            {
                **section,
                "figures": [
                    {**figure, "value": {"value": None, "masked": "small_count"}}
                    for figure in section["figures"]
                ],
            }
            for section in published.published_content["sections"]
        ],
    }
    DashboardVersionFactory(published=True, is_public=True, data_year=2022, published_content=legacy)
    pages = {
        "public page": client.get(reverse("dashboards:published_detail", args=[2023])),
        "member's page": member_client.get(reverse("dashboards:published_version", args=[published.pk])),
        **{
            f"section {section['domain']}": client.get(
                reverse("dashboards:published_section", args=[published.pk, section["domain"]])
            )
            for section in published.published_content["sections"]
        },
        "comparison": client.get(reverse("dashboards:compare"), {"before": 2022, "after": 2023}),
    }
    rows = list(
        csv.DictReader(io.StringIO(export(client, published, "csv").decode("utf-8-sig")), delimiter=";")
    )
    schema = json.loads(export(client, published, "schema"))
    workbook = load_workbook(io.BytesIO(export(client, published, "xlsx")))
    pdf = PdfReader(io.BytesIO(export(client, published, "pdf")))
    pdf_text = "\n".join(page.extract_text() for page in pdf.pages)

    assert len(masked_reasons(published.published_content)) == 1  # the snapshot itself does not say why
    assert reasons_in(json.dumps(published.published_content, ensure_ascii=False)) == []
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        assert reasons_in(html) == [], name
        assert len(set(MASKED_SPAN.findall(html))) == 1, name
    assert {row["secret_statistique"] for row in rows if row["valeur"] == ""} == {"secret statistique"}
    assert {row["secret_statistique"] for row in rows} == {"", "secret statistique"}
    [masks] = [field for field in schema["fields"] if field["name"] == "secret_statistique"]
    assert masks["constraints"]["enum"] == ["", "secret statistique"]
    assert reasons_in(json.dumps(schema, ensure_ascii=False)) == []
    values = {
        cell.value
        for sheet in workbook.worksheets[1:-1]
        for (cell,) in sheet.iter_rows(min_row=2, min_col=7, max_col=7)
    }
    assert {value for value in values if isinstance(value, str)} == {"secret statistique"}
    assert [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.comment] == []
    assert reasons_in(workbook_text(export(client, published, "xlsx"))) == []
    assert "secret statistique" in pdf_text and reasons_in(pdf_text) == []
