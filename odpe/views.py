import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from odpe import breaches
from odpe.accounts.access import BREACH_KEEPERS
from odpe.accounts.roles import role_required
from odpe.audit import Actor
from odpe.errors import ExplainedNotFound, TransitionError
from odpe.filenames import attach
from odpe.forms import BreachForm, NotificationForm

DATABASE_RETRY_AFTER = 30  # seconds: a restart or a failover of PostgreSQL takes about that long


@login_not_required
def healthz(request):
    return render(request, "healthz.txt", content_type="text/plain")


@login_not_required
@cache_control(public=True, max_age=24 * 3600)
def observatory_css(request):
    """The observatory's colours as a stylesheet.

    A stylesheet of its own rather than an inline <style> in the layout: the Content-Security-Policy
    then allows styles from the platform only ('self'), with no per-request nonce, and browsers
    cache it (the layout links it with a version that changes with the colours).
    """
    css = render_to_string("observatory.css", {"observatory": settings.OBSERVATORY})
    return HttpResponse(css, content_type="text/css; charset=utf-8")


def page_not_found(request, exception):
    reason = str(exception) if isinstance(exception, ExplainedNotFound) else ""
    return render(request, "404.html", {"reason": reason}, status=404)


def bad_request(request, exception):
    """400 for a request Django cannot read (body too large, too many fields, broken multipart): nothing
    was done. Rendered with the request, unlike Django's default, so that the layout has its context.

    A session that could not be saved because the database went away (Django reports it as an
    interrupted session) is the outage's 503, not the person's fault.
    """
    if any(database_unreachable(error) for error in causes(exception)):
        return database_unavailable()
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    """403 for a form sent without its security token (an expired page, or another site posting)."""
    return render(request, "403_csrf.html", status=403)


def database_unreachable(error: BaseException | None) -> bool:
    """A connection refused, lost, or closed by a server shutting down — not a query that failed (a
    missing table or a deadlock is a fault of ours: 500)."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    # psycopg's errors carry the server's SQLSTATE, None when the connection itself failed; class 08 is
    # "connection exception", 57P0x a server shutting down or starting. SQLite's carry none.
    sqlstate = getattr(error.__cause__, "sqlstate", "")
    return sqlstate is None or sqlstate.startswith(("08", "57P"))


def server_error(request):
    """500, or 503 while the database cannot be reached (a restart, a failover): the person may retry.

    Called by Django while it handles the exception, with no context processor, no database access
    and no layout: both pages stand alone.
    """
    if database_unreachable(sys.exc_info()[1]):
        return database_unavailable()
    return defaults.server_error(request)


def database_unavailable() -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def causes(error: BaseException | None):
    """The error and those it was raised from or while handling, innermost last."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


# The personal-data breach register ---------------------------------------------------------------------


@role_required(*BREACH_KEEPERS)
def breach_list(request):
    now = timezone.now()
    rows = [(breach, breaches.clocks(breach, now)) for breach in breaches.breaches_visible_to(request.user)]
    return render(request, "odpe/breach_list.html", {"rows": rows})


@role_required(*BREACH_KEEPERS)
def breach_create(request):
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            breach = breaches.record_breach(actor=Actor.from_request(request), **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Breach recorded: the two clocks run from its discovery."))
            return redirect(breach)
    return render(request, "odpe/breach_form.html", {"form": form})


@role_required(*BREACH_KEEPERS)
def breach_detail(request, pk):
    breach = breaches.get_breach_for(request.user, pk)
    context = {"breach": breach, "clocks": breaches.clocks(breach), "form": NotificationForm()}
    return render(request, "odpe/breach_detail.html", context)


@require_POST
@role_required(*BREACH_KEEPERS)
def breach_notify(request, pk):
    breach = breaches.get_breach_for(request.user, pk)
    form = NotificationForm(request.POST)
    if not form.is_valid():
        context = {"breach": breach, "clocks": breaches.clocks(breach), "form": form}
        return render(request, "odpe/breach_detail.html", context, status=400)
    try:
        breaches.record_notification(breach, actor=Actor.from_request(request), **form.cleaned_data)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Notification recorded."))
    return redirect(breach)


@role_required(*BREACH_KEEPERS)
def breach_export(request, pk):
    breach = breaches.get_breach_for(request.user, pk)
    pdf = breaches.notification_pdf(breach, actor=Actor.from_request(request))
    filename = f"notification-violation-{timezone.localtime(breach.discovered_at):%Y-%m-%d}.pdf"
    return attach(HttpResponse(pdf, content_type="application/pdf"), filename)
