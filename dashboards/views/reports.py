"""The annual report: the referent composes, previews, asks the sources, publishes; readers read it and its PDF.

Kept apart from the dashboard's pages: a report is drawn from a published dashboard's snapshot, but it
is its own page, with its own audience check (the dashboard's readers) and its own PDF file.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from dashboards import report_rendering, reports, selectors
from dashboards.forms import ChapterForm, ReportForm
from dashboards.models import ReportChapter
from dashboards.rendering import published_logo_url, team_logo_url
from odpe.accounts.roles import Role, role_required
from odpe.audit import Actor
from odpe.errors import TransitionError


def _apply(request, transition, subject, success: str, **kwargs):
    """Run a transition; a refused move is a French message, not an error page."""
    try:
        transition(subject, actor=Actor.from_request(request), **kwargs)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(subject.report if isinstance(subject, ReportChapter) else subject)


@role_required(Role.REFERENT)
def report_list(request):
    form = ReportForm(request.POST or None, dashboards=selectors.dashboards_without_report())
    if request.method == "POST" and form.is_valid():
        try:
            report = reports.create_report(
                dashboard=form.cleaned_data["dashboard"], actor=Actor.from_request(request)
            )
        except TransitionError as error:
            messages.error(request, str(error))
            return redirect("dashboards:report_list")
        messages.success(request, _("Report created: compose its chapters, then preview it."))
        return redirect(report)
    context = {"reports": selectors.reports_visible_to(request.user), "form": form}
    return render(request, "dashboards/reports/report_list.html", context)


@role_required(Role.REFERENT)
def report_detail(request, pk):
    report = selectors.get_report_for(request.user, pk)
    context = {
        "report": report,
        "chapters": report.chapters.all(),
        "kinds": ReportChapter.Kind.choices,
        "requests": report.consent_requests.select_related("partner", "answered_by").prefetch_related(
            "reminders"
        ),
    }
    return render(request, "dashboards/reports/report_detail.html", context)


def _chapter_form(request, report, kind: str, initial=None) -> ChapterForm:
    return ChapterForm(
        request.POST or None,
        initial=initial,
        kind=kind,
        figure_choices=report_rendering.figure_choices(report.dashboard.published_content),
        documents=selectors.online_documents(),
    )


def _chapter_fields(form: ChapterForm) -> dict:
    return {name: form.cleaned_data[name] for name in ("body", "figures", "documents") if name in form.fields}


@role_required(Role.REFERENT)
def chapter_add(request, pk, kind):
    report = selectors.get_report_for(request.user, pk)
    if kind not in ReportChapter.Kind.values:
        raise Http404
    form = _chapter_form(request, report, kind, initial={"title": ReportChapter.Kind(kind).label})
    if request.method == "POST" and form.is_valid():
        fields = {"kind": kind, "title": form.cleaned_data["title"], **_chapter_fields(form)}
        return _apply(request, reports.add_chapter, report, _("Chapter added."), **fields)
    context = {"report": report, "form": form, "kind": ReportChapter.Kind(kind)}
    return render(request, "dashboards/reports/chapter_form.html", context)


@role_required(Role.REFERENT)
def chapter_edit(request, pk):
    chapter = selectors.get_chapter_for(request.user, pk)
    initial = {"title": chapter.title, "body": chapter.body, "figures": chapter.figures}
    form = _chapter_form(
        request, chapter.report, chapter.kind, initial={**initial, "documents": chapter.documents.all()}
    )
    if request.method == "POST" and form.is_valid():
        fields = {"title": form.cleaned_data["title"], **_chapter_fields(form)}
        return _apply(request, reports.change_chapter, chapter, _("Chapter saved."), **fields)
    context = {"report": chapter.report, "chapter": chapter, "form": form, "kind": chapter.get_kind_display()}
    return render(request, "dashboards/reports/chapter_form.html", context)


@require_POST
@role_required(Role.REFERENT)
def chapter_remove(request, pk):
    chapter = selectors.get_chapter_for(request.user, pk)
    return _apply(request, reports.remove_chapter, chapter, _("Chapter removed."))


@require_POST
@role_required(Role.REFERENT)
def chapter_move(request, pk, direction):
    chapter = selectors.get_chapter_for(request.user, pk)
    offset = {"up": -1, "down": 1}.get(direction)
    if offset is None:
        raise Http404
    return _apply(request, reports.move_chapter, chapter, _("Chapter moved."), offset=offset)


@role_required(Role.REFERENT)
def report_preview(request, pk):
    """The report as members will read it (the figures as the dashboard publishes them)."""
    report = selectors.get_report_for(request.user, pk)
    context = {"report": report, "body": report_rendering.report_body(report, logo_url=team_logo_url)}
    return render(request, "dashboards/reports/report_preview.html", context)


@require_POST
@role_required(Role.REFERENT)
def report_to_preview(request, pk):
    report = selectors.get_report_for(request.user, pk)
    return _apply(
        request, reports.preview_report, report, _("The report is in preview: read it as members will.")
    )


@require_POST
@role_required(Role.REFERENT)
def report_request_consent(request, pk):
    report = selectors.get_report_for(request.user, pk)
    success = _("Consent asked: the correspondents of each source the report cites are told by e-mail.")
    return _apply(request, reports.request_report_consents, report, success)


@require_POST
@role_required(Role.REFERENT)
def report_return(request, pk):
    report = selectors.get_report_for(request.user, pk)
    return _apply(request, reports.return_report_to_draft, report, _("The report is back to draft."))


@require_POST
@role_required(Role.REFERENT)
def report_publish(request, pk):
    report = selectors.get_report_for(request.user, pk)
    success = _("Published: readers of the dashboard find the report; its PDF is being made.")
    return _apply(request, reports.publish_report, report, success)


# Readers ---------------------------------------------------------------------------------------------


@login_not_required
@require_safe
def published_reports(request):
    found = selectors.published_reports_visible_to(request.user).order_by("-data_year")
    return render(request, "dashboards/reports/published_reports.html", {"reports": found})


@login_not_required
@require_safe
def report_read(request, pk):
    report = selectors.get_published_report_for(request.user, pk)
    body = report_rendering.report_body(report, logo_url=published_logo_url(report.dashboard))
    return render(request, "dashboards/reports/report_read.html", {"report": report, "body": body})


@login_not_required
@require_safe
def report_pdf(request, pk):
    """The report's PDF, for whoever may read the report (a private file, served by this view only)."""
    report = selectors.get_published_report_for(request.user, pk)
    if not report.pdf:
        raise Http404
    return FileResponse(
        report.pdf.open("rb"), as_attachment=True, filename=report_rendering.pdf_filename(report)
    )
