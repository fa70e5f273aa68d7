import hashlib

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from odpe.accounts import access
from odpe.accounts.roles import roles_of


def observatory(request):
    """The layout's context; what the person may reach is `access`'s answer (a single role by its name)."""
    user = getattr(request, "user", AnonymousUser())
    return {
        "observatory": settings.OBSERVATORY,
        "public_pages": settings.PUBLIC_PAGES,
        "observatory_css_version": observatory_css_version(),
        "user_roles": roles_of(user),
        "reads_extranet": access.reads_extranet(user),
        "is_reviewer": access.is_reviewer(user),
        "is_editor": access.is_editor(user),
        "reads_olinpe": access.reads_olinpe(user),
    }


def observatory_css_version() -> str:
    """Changes with the colours, so browsers fetch /observatory.css again after a change."""
    colours = f"{settings.OBSERVATORY['primary_colour']}{settings.OBSERVATORY['accent_colour']}"
    return hashlib.sha256(colours.encode()).hexdigest()[:10]
