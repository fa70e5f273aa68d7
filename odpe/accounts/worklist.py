"""What waits for the administrators in the accounts: invitations not answered yet (see `odpe.worklist`)."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from odpe.accounts.models import Invitation
from odpe.worklist import Task, urgency_for


def pending_invitations(now: datetime) -> list[Task]:
    """Invitations still usable, the first to expire first: remind the person, or revoke it."""
    pending = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).order_by("expires_at")
    today = timezone.localdate(now)
    return [
        Task(
            title=_("Invitation sent to %(email)s, not accepted yet") % {"email": invitation.email},
            detail=invitation.get_role_display(),
            url=reverse("invitation_list"),
            due_on=timezone.localdate(invitation.expires_at),
            urgency=urgency_for(timezone.localdate(invitation.expires_at), today),
        )
        for invitation in pending
    ]
