"""E-mails of the platform: always in the observatory's language, sent from Celery tasks.

Every e-mail goes through `send_templated`, which hands it to the `odpe.tasks.send_email` task: a
server that does not answer is tried again, with growing delays, and an e-mail that could not be sent
at all is written to the audit log and shown on the home page of the person whose act it told of.
"""

from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from odpe import audit
from odpe.audit import Actor
from odpe.models import AuditEvent
from odpe.queue import registered_task

FAILURES_SHOWN_DAYS = 30


def emails_of(people) -> list[str]:
    """The recipients among people (who they are is `odpe.accounts.access`'s answer): the active ones."""
    return sorted(person.email for person in people if person.is_active)


def single_line(text: str) -> str:
    """A subject is one line: any line break (from a title, a name) would make Django refuse the e-mail."""
    return " ".join(text.split())


def render_templated(template: str, context: dict) -> tuple[str, str]:
    """The subject and body `send_templated` sends, for a preview before sending."""
    context = {"observatory": settings.OBSERVATORY, "site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = single_line(render_to_string(f"emails/{template}_subject.txt", context))
        body = render_to_string(f"emails/{template}_body.txt", context)
    return subject, body


def send_templated(template: str, context: dict, recipients: list[str], *, triggered_by=None) -> None:
    """`emails/<template>_subject.txt` and `_body.txt`, rendered in French, to each recipient.

    `triggered_by` is the person whose act the e-mail tells of: they see it on their home page if it
    could not be sent."""
    if not recipients:
        return
    subject, body = render_templated(template, context)
    person = str(triggered_by.pk) if triggered_by is not None else None
    # argsrepr is what Celery shows of the arguments in its logs: neither the body (an invitation's
    # link holds its token) nor the addresses.
    registered_task("odpe.tasks.send_email").apply_async(
        args=[subject, body, recipients, person],
        argsrepr=repr([subject, "[body]", f"[{len(recipients)} recipients]", person]),
    )


def record_email_failure(subject: str, recipients: list[str], triggered_by: str | None, error: str) -> None:
    """An e-mail given up after its last try: audited, and shown to the person who triggered it."""
    audit.record(
        Actor.platform(),
        "email.failed",
        subject=subject,
        recipients=len(recipients),
        triggered_by=triggered_by,
        error=error,
    )


def failed_emails_triggered_by(user) -> list[AuditEvent]:
    since = timezone.now() - timedelta(days=FAILURES_SHOWN_DAYS)
    return list(
        AuditEvent.objects.filter(action="email.failed", at__gte=since, details__triggered_by=str(user.pk))[
            :10
        ]
    )
