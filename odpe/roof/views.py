"""The pages that read several apps: the home page, the audit log (filtered by partner) and the
invitations (which offer the partners)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from conventions.models import Partner
from dashboards import selectors as dashboard_selectors
from odpe import audit, exports
from odpe.accounts import access
from odpe.accounts import selectors as account_selectors
from odpe.accounts import services as account_services
from odpe.accounts.forms import InvitationForm
from odpe.accounts.roles import Role, role_required, roles_of
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from odpe.notifications import failed_emails_triggered_by
from odpe.ratelimits import rate_limited
from odpe.roof import homes, olinpe
from odpe.roof import selectors as audit_selectors
from odpe.roof.forms import AuditFilterForm, TransmissionForm
from odpe.spreadsheets import csv_response
from uploads.olinpe.selectors import get_base_for
from uploads.olinpe.views import olinpe_referent
from uploads.transfers import selectors as transfer_selectors

AUDIT_PAGE_SIZE = 50
PUBLIC_HOME_DASHBOARDS = 3
PUBLIC_HOME_STUDIES = 3


@login_not_required
@require_safe
def public_home(request):
    """What the observatory is, its latest dashboards published for everyone and its latest studies
    released to the public: the same page for any visitor, signed in or not."""
    latest = dashboard_selectors.latest_published_by_year_for(AnonymousUser())
    context = {
        "dashboards": list(latest.values())[:PUBLIC_HOME_DASHBOARDS],
        "studies": dashboard_selectors.released_studies()[:PUBLIC_HOME_STUDIES],
    }
    return render(request, "public/home.html", context)


def home(request):
    """What waits for the person: a section of task lists for each role they hold (`odpe.roof.homes`)."""
    roles = roles_of(request.user)
    today = timezone.localdate()
    context = {
        "today": today,
        "failed_emails": failed_emails_triggered_by(request.user),
        "sections": homes.sections_for(request.user, today),
    }
    if Role.ADMIN in roles:
        context["recent_events"] = AuditEvent.objects.select_related("actor")[:10]
    if Role.CORRESPONDENT in roles:
        context["my_partners"] = access.partners_followed_by(request.user)
        context["my_transfers"] = transfer_selectors.transfer_conventions_of(request.user)
    return render(request, "home.html", context)


@role_required(Role.ADMIN)
def audit_log(request):
    """The audit log filtered by person, partner, action and period: the support of an incident
    investigation (a personal-data breach is notified to the partners within 36 hours, PIPASE art. 8.3)."""
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.none() if form.errors else audit_selectors.audit_events(**form.filters())
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "odpe/audit_log.html", context)


@role_required(Role.ADMIN)
def audit_log_export(request):
    """The filtered events as a CSV file for Excel; the export itself is audited."""
    form = AuditFilterForm(request.GET or None)
    if form.errors:
        return redirect(f"{reverse('audit_log')}?{request.GET.urlencode()}")
    events = audit_selectors.audit_events(**form.filters())
    exported = audit.record(
        Actor.from_request(request), "audit.exported", events=events.count(), **form.audit_details()
    )
    events = events.filter(pk__lt=exported.pk)  # the events as counted, not the export's own row
    filename = f"journal-audit-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(filename, exports.audit_header(), exports.audit_rows(events))


@role_required(Role.ADMIN)
@rate_limited("invite_person")
def invitation_list(request):
    form = InvitationForm(request.POST or None, partners=Partner.objects.order_by("name"))
    if form.is_valid():
        try:
            invitation, _token = account_services.invite_person(
                form.cleaned_data["email"],
                form.cleaned_data["role"],
                partners=form.cleaned_data["partners"],
                actor=Actor.from_request(request),
            )
        except TransitionError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("invitation_list")
    invitations = account_selectors.recent_invitations()
    return render(request, "accounts/invitation_list.html", {"form": form, "invitations": invitations})


@require_POST
@olinpe_referent
def olinpe_transmission(request, year):
    base = get_base_for(request.user, year)
    form = TransmissionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the package was sent to the ONPE."))
        return redirect(base)
    try:
        olinpe.record_transmission(base, form.cleaned_data["sent_on"], actor=Actor.from_request(request))
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The transmission to the ONPE is recorded with the package's SHA-256."))
    return redirect(base)
