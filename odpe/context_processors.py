from django.conf import settings

from odpe.accounts.roles import roles_of


def observatory(request):
    return {
        "observatory": settings.OBSERVATORY,
        "user_roles": roles_of(request.user) if hasattr(request, "user") else frozenset(),
    }
