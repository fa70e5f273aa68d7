from celery import shared_task
from django.utils import timezone

from odpe.roof import withdrawals


@shared_task
def apply_due_withdrawals() -> list[str]:
    return [str(w.pk) for w in withdrawals.apply_due_withdrawals(timezone.localdate())]
