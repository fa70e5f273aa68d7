"""Rate limits for our own actions, on allauth's limiter: the same cache, rates and 429 page as sign-in.

    @role_required(Role.ADMIN)
    @rate_limited("invite_person")
    def invitation_list(request): ...

The rate of each action sits in settings.ACCOUNT_RATE_LIMITS (e.g. "20/h/user"); only POST
requests count. Over the limit the person gets the French 429 page and the view does not run.
"""

from collections.abc import Callable
from functools import wraps

from allauth.core import ratelimit
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def rate_limited(action: str) -> Callable:
    if action not in settings.ACCOUNT_RATE_LIMITS:
        # allauth would silently apply no limit to an action it does not know.
        raise ImproperlyConfigured(f"No rate for {action!r} in ACCOUNT_RATE_LIMITS.")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refused = ratelimit.consume_or_429(request, action=action)
            return refused or view(request, *args, **kwargs)

        return wrapped

    return decorator
