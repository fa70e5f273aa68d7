from celery import shared_task
from django.utils import timezone

from conventions import services


@shared_task
def apply_due_withdrawals() -> list[str]:
    return [str(w.pk) for w in services.apply_due_withdrawals(timezone.localdate())]
