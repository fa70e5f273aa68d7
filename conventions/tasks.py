from celery import shared_task
from django.utils import timezone

from conventions import notices


@shared_task
def remind_department_notices() -> list[str]:
    """The daily run: the overdue notices owed to the Département are reminded to the recipients."""
    return [str(reminder.pk) for reminder in notices.remind_overdue_notices(timezone.localdate())]
