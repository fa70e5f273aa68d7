import hashlib

from django.conf import settings

from odpe.accounts.roles import roles_of


def observatory(request):
    return {
        "observatory": settings.OBSERVATORY,
        "observatory_css_version": observatory_css_version(),
        "user_roles": roles_of(request.user) if hasattr(request, "user") else frozenset(),
    }


def observatory_css_version() -> str:
    """Changes with the colours, so browsers fetch /observatory.css again after a change."""
    colours = f"{settings.OBSERVATORY['primary_colour']}{settings.OBSERVATORY['accent_colour']}"
    return hashlib.sha256(colours.encode()).hexdigest()[:10]
