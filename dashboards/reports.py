"""The annual report (Loire art. 2): every write, one function per transition.

A report is composed while a draft (chapters added, changed, moved, removed), then goes to preview (the
referent reads it as members will), to the consent of every source whose figures it carries (the same
requests and answers as a dashboard's, `dashboards.services.record_consent`), then is published; its
PDF is made in the background. From preview, consent or approval it can go back to draft.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dashboards import report_rendering, snapshot
from dashboards.models import AnnualReport, ConsentRequest, DashboardVersion, Document, ReportChapter
from dashboards.services import approve_when_every_source_agreed, consent_due_on
from odpe import audit
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.queue import enqueue_on_commit

Status = AnnualReport.Status
Kind = ReportChapter.Kind


def _locked(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().get(pk=report.pk)


def _drafting(report: AnnualReport) -> AnnualReport:
    report = _locked(report)
    if report.status != Status.DRAFT:
        raise TransitionError(
            _("This report is “%(status)s”: return it to draft to change its chapters.")
            % {"status": report.get_status_display()}
        )
    return report


@transaction.atomic(durable=True)
def create_report(*, dashboard: DashboardVersion, actor: Actor) -> AnnualReport:
    """A year's report, drafted on its published dashboard with the chapters every report has."""
    dashboard = DashboardVersion.objects.select_for_update().get(pk=dashboard.pk)
    if dashboard.status != DashboardVersion.Status.PUBLISHED:
        raise TransitionError(_("A report cites a published dashboard: publish this one first."))
    if AnnualReport.objects.filter(data_year=dashboard.data_year).exists():
        raise TransitionError(_("The report of this year already exists: open it to compose it."))
    with translation.override(settings.LANGUAGE_CODE):  # the report is written in the observatory's language
        title = _("Annual report %(year)s") % {"year": dashboard.data_year}
        chapters = [
            (Kind.COMMENTARY, _("Introduction")),
            (Kind.METHODOLOGY, _("Methodology")),
            (Kind.CONTRIBUTORS, _("Contributors")),
        ]
    report = AnnualReport.objects.create(
        data_year=dashboard.data_year, dashboard=dashboard, title=title, created_by=actor.user
    )
    for position, (kind, title) in enumerate(chapters, start=1):
        ReportChapter.objects.create(report=report, position=position, kind=kind, title=title)
    audit.record(actor, "report.created", report, data_year=report.data_year, dashboard=str(dashboard.pk))
    return report


@transaction.atomic(durable=True)
def add_chapter(
    report: AnnualReport,
    *,
    actor: Actor,
    kind: str,
    title: str,
    body: str = "",
    figures: list[str] | None = None,
    documents: list[Document] | None = None,
) -> ReportChapter:
    """A chapter at the end of a draft report."""
    report = _drafting(report)
    last = report.chapters.aggregate(last=Max("position"))["last"] or 0
    chapter = ReportChapter.objects.create(
        report=report, position=last + 1, kind=kind, title=title, body=body, figures=figures or []
    )
    chapter.documents.set(documents or [])
    audit.record(actor, "report.chapter_added", report, chapter=title, kind=kind)
    return chapter


@transaction.atomic(durable=True)
def change_chapter(
    chapter: ReportChapter,
    *,
    actor: Actor,
    title: str,
    body: str = "",
    figures: list[str] | None = None,
    documents: list[Document] | None = None,
) -> ReportChapter:
    report = _drafting(chapter.report)
    chapter.title, chapter.body, chapter.figures = title, body, figures or []
    chapter.save(update_fields=["title", "body", "figures"])
    chapter.documents.set(documents or [])
    audit.record(actor, "report.chapter_changed", report, chapter=title)
    return chapter


@transaction.atomic(durable=True)
def remove_chapter(chapter: ReportChapter, *, actor: Actor) -> None:
    """The chapter goes; those after it move up a place."""
    report = _drafting(chapter.report)
    chapter.delete()
    for later in report.chapters.filter(position__gt=chapter.position).order_by("position"):
        later.position = F("position") - 1
        later.save(update_fields=["position"])
    audit.record(actor, "report.chapter_removed", report, chapter=chapter.title)


@transaction.atomic(durable=True)
def move_chapter(chapter: ReportChapter, *, actor: Actor, offset: int) -> None:
    """The chapter changes place with its neighbour before (offset -1) or after (+1)."""
    report = _drafting(chapter.report)
    chapter = report.chapters.get(pk=chapter.pk)
    neighbour = report.chapters.filter(position=chapter.position + offset).first()
    if neighbour is None:
        return
    here, there = chapter.position, neighbour.position
    chapter.position = 0  # out of the way of the one-chapter-per-place constraint during the swap
    chapter.save(update_fields=["position"])
    neighbour.position = here
    neighbour.save(update_fields=["position"])
    chapter.position = there
    chapter.save(update_fields=["position"])
    audit.record(actor, "report.chapter_moved", report, chapter=chapter.title, position=there)


@transaction.atomic(durable=True)
def preview_report(report: AnnualReport, *, actor: Actor) -> AnnualReport:
    """The referent reads the report as members will, before asking the sources."""
    report = _locked(report)
    if not report.chapters.exists():
        raise TransitionError(_("The report has no chapter yet: add one before the preview."))
    report.move(Status.PREVIEW)
    audit.record(actor, "report.previewed", report)
    return report


@transaction.atomic(durable=True)
def return_report_to_draft(report: AnnualReport, *, actor: Actor) -> AnnualReport:
    """Back to composing; consent will be asked again for the figures it then carries."""
    report = _locked(report)
    report.move(Status.DRAFT)
    audit.record(actor, "report.returned_to_draft", report)
    return report


@transaction.atomic(durable=True)
def request_report_consents(report: AnnualReport, *, actor: Actor) -> AnnualReport:
    """Ask each source whose figures the report carries, showing them those figures and the report
    around them. A report that carries no figure needs nobody's consent: it is approved at once."""
    report = _locked(report)
    report.move(Status.AWAITING_CONSENT)
    carried = report_rendering.carried_content(report)
    sources = [source["id"] for source in carried["sources"]]
    report.consent_requests.exclude(partner_id__in=sources).delete()  # figures taken out since
    for source in sources:
        request, _created = ConsentRequest.objects.update_or_create(
            report=report,
            partner_id=source,
            defaults={
                "status": ConsentRequest.Status.PENDING,
                "figures": snapshot.restricted_to(carried, source),
                "answered_at": None,
                "answered_by": None,
                "reason": "",
                "left_out": False,
                "reminded_at": None,
                "due_on": consent_due_on(),
            },
        )
        enqueue_on_commit("dashboards.tasks.notify_consent_requested_task", str(request.pk))
    audit.record(actor, "report.consent_requested", report, sources=len(sources))
    approve_when_every_source_agreed(report, actor)
    return report


@transaction.atomic(durable=True)
def publish_report(report: AnnualReport, *, actor: Actor) -> AnnualReport:
    """Publish an approved report for the readers of its dashboard; its PDF is made in the background.

    Refused (TransitionError) while any source has not consented and was not left out, or when its
    dashboard is no longer published.
    """
    report = _locked(report)
    requests = list(report.consent_requests.select_related("partner"))
    waiting = [r.partner.name for r in requests if r.status not in ConsentRequest.AGREED and not r.left_out]
    if waiting:
        raise TransitionError(
            _("Publication needs the consent of every source; still missing: %(sources)s.")
            % {"sources": ", ".join(waiting)}
        )
    if report.dashboard.status != DashboardVersion.Status.PUBLISHED:
        raise TransitionError(_("The dashboard this report cites is no longer published."))
    report.move(Status.PUBLISHED, published_at=timezone.now(), published_by=actor.user)
    audit.record(actor, "report.published", report, left_out=[r.partner.name for r in requests if r.left_out])
    enqueue_on_commit("dashboards.tasks.make_report_pdf_task", str(report.pk))
    enqueue_on_commit("dashboards.tasks.notify_report_published_task", str(report.pk))
    return report


def make_report_pdf(report: AnnualReport) -> AnnualReport:
    """Draw the published report's PDF once and keep it as a private file (safe to run twice)."""
    if report.status != Status.PUBLISHED or report.pdf:
        return report
    pdf = report_rendering.make_pdf(report)
    with transaction.atomic():
        report = _locked(report)
        if not report.pdf:
            report.pdf.save(report_rendering.pdf_filename(report), ContentFile(pdf), save=False)
            report.save(update_fields=["pdf"])
            audit.record(Actor.platform(), "report.pdf_made", report, size=len(pdf))
    return report
