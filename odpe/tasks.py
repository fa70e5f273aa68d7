from smtplib import SMTPException

from celery import Task, shared_task
from django.core.mail import send_mail

from odpe import notifications


class EmailTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Called once the e-mail is given up: its last try failed, or it could not be sent at all."""
        subject, _body, recipients, triggered_by = args
        notifications.record_email_failure(subject, recipients, triggered_by, type(exc).__name__)


# A mail server that refuses or does not answer is tried again after 1, 2, 4… minutes (up to an hour
# apart, about four hours in all) before the e-mail is given up.
@shared_task(
    base=EmailTask,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_email(subject: str, body: str, recipients: list[str], triggered_by: str | None = None) -> None:
    send_mail(subject, body, None, recipients)
