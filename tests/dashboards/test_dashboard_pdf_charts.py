"""The dashboard's PDF carries the charts of its page: the trend as a line, the breakdowns as grouped bars,
the territories on a map and as small multiples, each a tagged figure whose alternative text is its title."""

import io

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader

from dashboards import exports, rendering, snapshot
from tests.dashboards.factories import DashboardVersionFactory
from tests.dashboards.test_report_pdf import structure

pytestmark = pytest.mark.django_db

TERRITORIES = {"Forez": [150, 160, 170], "Gier": [120, 125, 130], "Roannais": [96, 90, 99]}


@pytest.fixture
def version(partner):
    """A published version whose one figure has a trend, territories over three years and a split by sex."""
    aggregates = [
        snapshot.Aggregate("SUIVIS", year, territory, "", "", float(values[index]))
        for territory, values in TERRITORIES.items()
        for index, year in enumerate([2021, 2022, 2023])
    ]
    aggregates += [
        snapshot.Aggregate("SUIVIS", year, "", sex, "", float(value))
        for year in (2022, 2023)
        for sex, value in [("F", 180), ("M", 215)]
    ]
    content = snapshot.build_content(
        data_year=2023,
        threshold=5,
        years=[2021, 2022, 2023],
        domains=[("children_in_danger", "Enfants en danger")],
        indicators=[
            snapshot.Indicator(
                code="SUIVIS", label="Enfants suivis", domain="children_in_danger", unit="count"
            )
        ],
        aggregates=aggregates,
        figure_sources={"SUIVIS": [str(partner.pk)]},
        sources={
            str(partner.pk): {"name": partner.name, "short_name": partner.short_name, "has_logo": False}
        },
    )
    return DashboardVersionFactory(published=True, content=content)


def chart_titles(html: str) -> list[str]:
    """The titles of the charts a page draws, in order."""
    return [part.split("</title>")[0].split(">", 1)[1] for part in html.split("<title id=")[1:]]


def test_the_pdf_tags_every_chart_of_the_page_with_its_title_as_alternative_text(version):
    with translation.override("fr"):  # an earlier test's request may leave another language active
        context = rendering.dashboard_context(version, version.published_content)
        on_the_page = chart_titles(render_to_string("dashboards/partials/_dashboard.html", context))

        pdf = PdfReader(io.BytesIO(exports.make_pdf(version)))

    figures = [
        str(alt) for tag, alt in structure(pdf.trailer["/Root"]["/StructTreeRoot"]) if tag == "/Figure"
    ]
    assert figures == on_the_page
    assert figures == [
        "Enfants suivis au fil des années",
        "Enfants suivis par territoire en 2023\u00a0: carte",
        "Enfants suivis, chaque territoire au fil des années",
        "Enfants suivis, par sexe",
    ]
    assert pdf.trailer["/Root"]["/Lang"] == "fr"
