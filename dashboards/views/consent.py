"""The sources' side: see the figures built from your data, as they will be published, and answer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dashboards import report_rendering, selectors, services
from dashboards.forms import ConsentForm
from odpe.accounts import access
from odpe.accounts.access import CONSENT_PARTICIPANTS
from odpe.accounts.roles import Role, role_required
from odpe.audit import Actor
from odpe.errors import TransitionError


@role_required(Role.CORRESPONDENT)
def consent_list(request):
    requests = selectors.consent_requests_visible_to(request.user).order_by("-requested_at")
    return render(request, "dashboards/consent_list.html", {"requests": requests})


@role_required(*CONSENT_PARTICIPANTS)
def consent_detail(request, pk):
    consent = selectors.get_consent_request_for(request.user, pk)
    may_answer = access.may_act_for(request.user, consent.partner)
    form = ConsentForm(request.POST or None) if may_answer else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_consent(
                    consent,
                    actor=Actor.from_request(request),
                    consent=form.cleaned_data["decision"] == ConsentForm.CONSENT,
                    reason=form.cleaned_data["reason"],
                )
            except TransitionError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your answer is recorded; the ODPE referent is told."))
            return redirect(consent)
    context = {
        "consent": consent,
        "form": form,
        "sources": selectors.sources_by_id(consent.figures),
        # A report's source reads its figures in their place, among the commentary, as members will.
        "report_body": consent.report_id
        and report_rendering.report_body(
            consent.report, logo_url=None, nested=True, source=str(consent.partner_id)
        ),
    }
    return render(request, "dashboards/consent_detail.html", context)
