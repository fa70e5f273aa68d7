"""Global roles are groups; a person may hold several."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    REFERENT = "referent", _("ODPE referent")
    CORRESPONDENT = "correspondent", _("Correspondent")
    MEMBER = "member", _("Member")


def roles_of(user) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_odpe_roles"):
        names = set(user.groups.values_list("name", flat=True))
        user._odpe_roles = frozenset(role for role in Role.values if role in names)
    return user._odpe_roles


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def role_required(*roles: str) -> Callable:
    """403 for a signed-in person without one of the roles, decided before any lookup."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
