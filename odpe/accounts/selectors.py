from django.apps import apps
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from guardian.shortcuts import get_objects_for_user

from odpe.accounts.models import Invitation


def recent_invitations(limit: int = 200) -> QuerySet[Invitation]:
    return Invitation.objects.select_related("invited_by").prefetch_related("partners")[:limit]


def get_invitation_for(user, pk) -> Invitation:
    # Invitations are managed by admins only; the view has checked the role.
    return get_object_or_404(Invitation.objects.all(), pk=pk)


PARTNER_MODEL = "conventions.Partner"
PARTNER_PERMISSIONS = ("conventions.view_partner_data", "conventions.submit_partner_data")


def partners_represented_by(user) -> QuerySet:
    """The partners on which the person holds a correspondent's right of their own (the model is read
    by its label: the accounts never import the conventions)."""
    return get_objects_for_user(
        user,
        list(PARTNER_PERMISSIONS),
        klass=apps.get_model(PARTNER_MODEL),
        any_perm=True,
        use_groups=False,
        with_superuser=False,
        accept_global_perms=False,
    )
