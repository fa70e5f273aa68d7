"""What waits in the dashboards: consents to give or to follow, documents to validate, and what was
published lately (see `odpe.worklist`)."""

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from dashboards.models import AnnualReport, ConsentRequest, DashboardVersion, Document
from dashboards.selectors import document_queue, latest_published_dashboards, online_documents
from odpe.accounts.access import partners_acted_for, partners_followed_by
from odpe.templatetags.french import day
from odpe.worklist import Task, Urgency, urgency_for

LATEST = 5  # publications and documents listed on a member's home


def consents_asked_of(user, today: date) -> list[Task]:
    """Consent requests waiting for the answer of the person's institutions, the oldest first, with the date
    asked and the deadline given (requests asked before deadlines existed have none)."""
    pending = (
        ConsentRequest.objects.filter(
            partner__in=partners_acted_for(user), status=ConsentRequest.Status.PENDING
        )
        .select_related("version", "report", "document", "partner")
        .order_by("requested_at")
    )
    return [
        Task(
            title=capfirst(str(request)),
            detail=_("Asked on %(date)s.") % {"date": day(request.requested_at)},
            url=request.get_absolute_url(),
            due_on=request.due_on,
            urgency=urgency_for(request.due_on, today),
        )
        for request in pending
    ]


def consents_to_follow(today: date) -> list[Task]:
    """Sources of a dashboard, an annual report or a study not yet public that have not answered, or
    refused and are not left out (a study's sources are asked again without them): publication waits for
    them."""
    requests = (
        ConsentRequest.objects.filter(
            Q(version__status=DashboardVersion.Status.AWAITING_CONSENT)
            | Q(report__status=AnnualReport.Status.AWAITING_CONSENT)
            | Q(document__status=Document.Status.VALIDATED, document__public_at__isnull=True),
            status__in=[ConsentRequest.Status.PENDING, ConsentRequest.Status.REFUSED],
            left_out=False,
        )
        .select_related("version", "report", "document", "partner")
        .order_by("-status", "requested_at")  # the refusals first
    )
    return [
        Task(
            title=_("%(partner)s, %(subject)s")
            % {"partner": capfirst(request.partner.with_article()), "subject": request.subject},
            detail=(
                _("Refused: %(reason)s") % {"reason": request.reason}
                if request.status == ConsentRequest.Status.REFUSED
                else _("No answer since %(date)s.") % {"date": day(request.requested_at)}
            ),
            url=request.subject.get_absolute_url(),
            due_on=None if request.status == ConsentRequest.Status.REFUSED else request.due_on,
            urgency=(
                Urgency.LATE
                if request.status == ConsentRequest.Status.REFUSED or request.is_late_on(today)
                else Urgency.WAITING
            ),
        )
        for request in requests
    ]


def documents_waiting_of(user) -> list[Task]:
    """Documents the person's institutions shared that the referent has not validated yet."""
    waiting = (
        Document.objects.filter(partner__in=partners_followed_by(user), status=Document.Status.SUBMITTED)
        .select_related("partner")
        .order_by("uploaded_at")
    )
    return [
        Task(
            title=document.title,
            detail=_("Shared on %(date)s, waiting for the referent’s validation.")
            % {"date": day(document.uploaded_at)},
            url=document.get_absolute_url(),
            urgency=Urgency.INFO,
        )
        for document in waiting
    ]


def documents_to_validate() -> list[Task]:
    """Documents shared with the observatory, waiting for the referent's validation, the oldest first."""
    return [
        Task(
            title=document.title,
            detail=(
                _("Shared by %(partner)s on %(date)s.")
                % {"partner": document.partner.with_article(), "date": day(document.uploaded_at)}
                if document.partner
                else _("Shared on %(date)s.") % {"date": day(document.uploaded_at)}
            ),
            url=document.get_absolute_url(),
        )
        for document in document_queue()
    ]


def latest_publications() -> list[Task]:
    """The published dashboard of each of the latest years."""
    return [
        Task(
            title=_("Dashboard %(year)s") % {"year": version.data_year},
            detail=_("Published on %(date)s.") % {"date": day(version.published_at)},
            url=reverse("dashboards:published_detail", args=[version.data_year]),
            urgency=Urgency.INFO,
        )
        for version in latest_published_dashboards(LATEST)
    ]


def latest_documents() -> list[Task]:
    """The documents put online last in the library."""
    return [
        Task(
            title=document.title,
            detail=capfirst(document.partner.with_article()) if document.partner else "",
            url=document.get_absolute_url(),
            urgency=Urgency.INFO,
        )
        for document in online_documents()[:LATEST]
    ]
