import time

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from odpe.accounts.access import SECOND_FACTOR_ROLES
from odpe.accounts.roles import roles_of

# Pages an admin or referent without a second factor may still reach: enrolment itself,
# signing out, and the assets those pages need.
ENROLMENT_PATH_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/static/",
    "/observatory.css",
    "/i18n/",
    "/accounts/reauthenticate/",
)


class RequireSecondFactorMiddleware:
    """Until they enrol a TOTP authenticator, admins and referents are sent to enrolment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and (user.is_superuser or roles_of(user) & SECOND_FACTOR_ROLES)
            and not request.path.startswith(ENROLMENT_PATH_PREFIXES)
            and not is_mfa_enabled(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


ACTIVITY_KEY = "odpe_activity"  # [signed-in since, last request], in seconds since the epoch
ACTIVITY_WRITE_INTERVAL = 60  # seconds: the session is saved at most once a minute for this


class SessionTimeoutMiddleware:
    """Signs out after SESSION_IDLE_TIMEOUT without a request, or SESSION_COOKIE_AGE after sign-in.

    Django alone ends a session SESSION_COOKIE_AGE after its last save; recording activity saves
    the session, so the limit counted from sign-in is kept here. The page then asks for sign-in
    as for anyone signed out (LoginRequiredMiddleware comes after this in the view phase).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            since, seen = request.session.get(ACTIVITY_KEY, (now, now))
            if now - seen > settings.SESSION_IDLE_TIMEOUT or now - since > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(request, _("Your session has expired. Sign in again to continue."))
            elif ACTIVITY_KEY not in request.session or now - seen >= ACTIVITY_WRITE_INTERVAL:
                request.session[ACTIVITY_KEY] = [since, now]
        return self.get_response(request)
