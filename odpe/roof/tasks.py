from celery import shared_task
from django.utils import timezone

from odpe.roof import withdrawals


@shared_task
def apply_due_withdrawals() -> list[str]:
    """The daily run: withdrawals whose notice has ended, then conventions past their end date."""
    today = timezone.localdate()
    applied = [str(w.pk) for w in withdrawals.apply_due_withdrawals(today)]
    return applied + [str(c.pk) for c in withdrawals.close_ended_conventions(today)]
