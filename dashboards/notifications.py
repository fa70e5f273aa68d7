"""E-mails of the publication workflow (Loire art. 5: sources are asked, then told)."""

from django.conf import settings
from django.urls import reverse

from conventions.models import Partner
from dashboards.models import AnnualReport, ConsentRequest, DashboardVersion, Document
from odpe.accounts import access
from odpe.notifications import emails_of, send_templated


def _kind(request: ConsentRequest) -> str:
    """The e-mails of a report's consent name the report (their templates start with `report_`)."""
    return "report_" if request.report_id else ""


def send_consent_request(request: ConsentRequest, *, reminder: bool = False) -> None:
    send_templated(
        f"{_kind(request)}consent_requested",
        {
            "request": request,
            "version": request.subject,
            "reminder": reminder,
            "figures": request.figure_count,
            "link": settings.SITE_URL + request.get_absolute_url(),
        },
        emails_of(access.correspondents_acting_for(request.partner)),
    )


def send_consent_answer(request: ConsentRequest) -> None:
    send_templated(
        f"{_kind(request)}consent_answered",
        {
            "request": request,
            "version": request.subject,
            "link": settings.SITE_URL + request.subject.get_absolute_url(),
        },
        emails_of(access.referents()),
        triggered_by=request.answered_by,
    )


def send_publication(version: DashboardVersion) -> None:
    """Every source whose data the published version shows is told (Loire art. 5), each on its own."""
    ids = [source["id"] for source in version.published_content["sources"]]
    link = settings.SITE_URL + reverse("dashboards:published_version", args=[version.pk])
    for partner in Partner.objects.filter(pk__in=ids):
        send_templated(
            "dashboard_published",
            {"version": version, "partner": partner, "link": link},
            emails_of(access.correspondents_of(partner)),
            triggered_by=version.published_by,
        )


def send_report_publication(report: AnnualReport) -> None:
    """Every source whose figures the published report carries is told (Loire art. 5)."""
    ids = report.consent_requests.filter(left_out=False).values_list("partner_id", flat=True)
    link = settings.SITE_URL + reverse("dashboards:report_read", args=[report.pk])
    for partner in Partner.objects.filter(pk__in=ids):
        send_templated(
            "report_published",
            {"report": report, "partner": partner, "link": link},
            emails_of(access.correspondents_of(partner)),
            triggered_by=report.published_by,
        )


def send_document_review(document: Document, *, triggered_by=None) -> None:
    """The sharing partner's correspondents hear whether their document went online, was rejected, or
    was withdrawn."""
    send_templated(
        "document_reviewed",
        {"document": document, "link": settings.SITE_URL + document.get_absolute_url()},
        emails_of(access.correspondents_of(document.partner)),
        triggered_by=triggered_by,
    )


def send_document_consent_request(request: ConsentRequest) -> None:
    send_templated(
        "document_consent_requested",
        {
            "request": request,
            "document": request.document,
            "link": settings.SITE_URL + request.get_absolute_url(),
        },
        emails_of(access.correspondents_acting_for(request.partner)),
    )


def send_document_release(document: Document, *, triggered_by=None) -> None:
    """Each source whose data the study uses is told it went to the public (Loire art. 5), on its own."""
    link = settings.SITE_URL + document.get_absolute_url()
    for partner in document.sources.all():
        send_templated(
            "document_released",
            {"document": document, "partner": partner, "link": link},
            emails_of(access.correspondents_of(partner)),
            triggered_by=triggered_by,
        )
