from celery import shared_task
from django.conf import settings
from django.urls import reverse

from odpe.accounts.models import Invitation
from odpe.notifications import send_templated


@shared_task
def send_invitation_email(invitation_pk: str, token: str) -> None:
    invitation = Invitation.objects.select_related("invited_by").get(pk=invitation_pk)
    context = {
        "invitation": invitation,
        "link": settings.SITE_URL + reverse("invitation_accept", args=[token]),
    }
    send_templated("invitation", context, [invitation.email], triggered_by=invitation.invited_by)
