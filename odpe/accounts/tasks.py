from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from odpe.accounts.models import Invitation


@shared_task
def send_invitation_email(invitation_pk: str, token: str) -> None:
    invitation = Invitation.objects.get(pk=invitation_pk)
    context = {
        "invitation": invitation,
        "link": settings.SITE_URL + reverse("invitation_accept", args=[token]),
        "observatory": settings.OBSERVATORY,
    }
    send_mail(
        render_to_string("emails/invitation_subject.txt", context).strip(),
        render_to_string("emails/invitation_body.txt", context),
        None,
        [invitation.email],
    )
