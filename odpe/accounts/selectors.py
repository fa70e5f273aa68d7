from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from odpe.accounts.models import Invitation


def recent_invitations(limit: int = 200) -> QuerySet[Invitation]:
    return Invitation.objects.select_related("invited_by").prefetch_related("partners")[:limit]


def get_invitation_for(user, pk) -> Invitation:
    # Invitations are managed by admins only; the view has checked the role.
    return get_object_or_404(Invitation.objects.all(), pk=pk)
