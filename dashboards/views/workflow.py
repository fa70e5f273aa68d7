"""The ODPE team's pages: generate a year's dashboard, review it, ask the sources, publish."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dashboards import rendering, selectors, services
from dashboards.forms import PublishForm, ReasonForm, VersionForm
from odpe.accounts.access import EDITORS
from odpe.accounts.roles import role_required
from odpe.audit import Actor
from odpe.errors import TransitionError


def _apply(request, transition, version, success: str, **kwargs):
    """Run a transition; a refused move is a French message, not an error page."""
    try:
        transition(version, actor=Actor.from_request(request), **kwargs)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(version)


@role_required(*EDITORS)
def version_list(request):
    form = VersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year, threshold = form.cleaned_data["data_year"], form.cleaned_data["threshold"]
        if not form.cleaned_data["empty_year_confirmed"] and not selectors.has_data_for(year):
            return render(request, "dashboards/version_empty_year.html", {"form": form, "year": year})
        version = services.create_version(
            actor=Actor.from_request(request), data_year=year, threshold=threshold
        )
        messages.success(request, _("Version created: it is being generated from the observatory’s data."))
        return redirect(version)
    versions = selectors.versions_visible_to(request.user)
    return render(request, "dashboards/version_list.html", {"versions": versions, "form": form})


@role_required(*EDITORS)
def version_detail(request, pk):
    version = selectors.get_version_for(request.user, pk)
    if request.htmx:
        return render(request, "dashboards/partials/_generation.html", {"version": version})
    context = {
        "version": version,
        "requests": version.consent_requests.select_related("partner", "answered_by").prefetch_related(
            "reminders"
        ),
        "sources": selectors.sources_by_id(version.content),
        "contributors": rendering.contributors(version.content or {}, rendering.team_logo_url),
        "internal": True,
    }
    return render(request, "dashboards/version_detail.html", context)


@require_POST
@role_required(*EDITORS)
def version_regenerate(request, pk):
    version = selectors.get_version_for(request.user, pk)
    return _apply(request, services.regenerate, version, _("The dashboard is being generated again."))


@require_POST
@role_required(*EDITORS)
def version_submit(request, pk):
    version = selectors.get_version_for(request.user, pk)
    return _apply(request, services.submit_for_review, version, _("The dashboard is in review."))


@require_POST
@role_required(*EDITORS)
def version_request_consent(request, pk):
    version = selectors.get_version_for(request.user, pk)
    return _apply(
        request,
        services.request_consents,
        version,
        _("Consent asked: each source’s correspondents are told by e-mail."),
    )


@role_required(*EDITORS)
def version_return(request, pk):
    version = selectors.get_version_for(request.user, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _apply(
            request,
            services.return_to_draft,
            version,
            _("The dashboard is back to draft."),
            reason=form.cleaned_data["reason"],
        )
    return render(
        request, "dashboards/version_action.html", {"version": version, "form": form, "action": "return"}
    )


@role_required(*EDITORS)
def version_publish(request, pk):
    version = selectors.get_version_for(request.user, pk)
    form = PublishForm(request.POST if request.method == "POST" else None)  # an unticked box posts nothing
    if request.method == "POST" and form.is_valid():
        return _apply(
            request,
            services.publish,
            version,
            _("Published: the sources are told that their data is used."),
            is_public=form.cleaned_data["is_public"],
        )
    return render(
        request, "dashboards/version_action.html", {"version": version, "form": form, "action": "publish"}
    )


@role_required(*EDITORS)
def version_withdraw(request, pk):
    version = selectors.get_version_for(request.user, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _apply(
            request,
            services.withdraw,
            version,
            _("The publication is withdrawn."),
            reason=form.cleaned_data["reason"],
        )
    return render(
        request, "dashboards/version_action.html", {"version": version, "form": form, "action": "withdraw"}
    )


@require_POST
@role_required(*EDITORS)
def consent_leave_out(request, pk):
    consent = selectors.get_consent_request_for(request.user, pk)
    try:
        services.leave_out_source(consent, actor=Actor.from_request(request))
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(partner)s is left out: its figures will not be published.")
            % {"partner": capfirst(consent.partner.with_article())},
        )
    return redirect(consent.subject)
