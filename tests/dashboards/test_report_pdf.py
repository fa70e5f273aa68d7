"""The annual report's PDF: made in the background at publication, accessible (PDF/UA: tagged, in French,
titled, headings, charts with their alternative text), served only to the report's readers."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from dashboards import report_rendering, reports
from dashboards.models import ReportChapter
from odpe.audit import Actor
from odpe.models import AuditEvent
from tests.dashboards.factories import AnnualReportFactory, ReportChapterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf():
    """A published report with commentary headings and a cited figure, as its PDF."""
    report = AnnualReportFactory(published=True)
    ReportChapterFactory(report=report, position=1, body="# Faits marquants\n\nLe nombre augmente.")
    ReportChapterFactory(
        report=report, position=2, kind=ReportChapter.Kind.FIGURES, title="Chiffres", figures=["SUIVIS_1"]
    )
    return PdfReader(io.BytesIO(report_rendering.make_pdf(report)))


def structure(node, found=None) -> list[tuple[str, object]]:
    """Every structure element under `node`: (tag, its alternative text)."""
    found = [] if found is None else found
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            structure(child, found)
        return found
    if not hasattr(node, "get"):
        return found
    if "/S" in node:
        found.append((str(node["/S"]), node.get("/Alt")))
    if "/K" in node:
        structure(node["/K"], found)
    return found


def test_the_pdf_is_tagged_in_french_and_titled(pdf):
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert root["/Lang"] == "fr"
    assert pdf.metadata.title.startswith("Rapport annuel 2023")
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)


def test_the_pdf_tags_its_headings_and_gives_each_chart_its_alternative_text(pdf):
    elements = structure(pdf.trailer["/Root"]["/StructTreeRoot"])
    tags = [tag for tag, _alt in elements]
    assert {"/H1", "/H2", "/H3"} <= set(tags)
    figures = [alt for tag, alt in elements if tag == "/Figure"]
    assert len(figures) == 2  # the trend and the breakdown of the cited figure
    assert all(figures)
    assert any("Enfants suivis" in str(alt) and "au fil des années" in str(alt) for alt in figures)


def test_publication_makes_the_pdf_once_and_readers_download_it(
    referent, member_client, client, django_capture_on_commit_callbacks
):
    report = AnnualReportFactory(status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        reports.publish_report(report, actor=Actor(user=referent))
    report.refresh_from_db()
    assert report.pdf
    reports.make_report_pdf(report)  # a second run keeps the first file
    assert AuditEvent.objects.filter(action="report.pdf_made", object_id=str(report.pk)).count() == 1

    response = member_client.get(reverse("dashboards:report_pdf", args=[report.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="rapport-annuel-2023.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.7")
    assert client.get(reverse("dashboards:report_pdf", args=[report.pk])).status_code == 404
