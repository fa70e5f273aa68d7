from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse

from odpe.accounts.roles import SECOND_FACTOR_ROLES, roles_of

# Pages an admin or referent without a second factor may still reach: enrolment itself,
# signing out, and the assets those pages need.
ENROLMENT_PATH_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/static/",
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
