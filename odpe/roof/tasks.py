from celery import shared_task
from django.utils import timezone

from odpe.roof import retention, withdrawals


@shared_task
def apply_due_withdrawals() -> list[str]:
    """The daily run: withdrawals whose notice has ended, then conventions past their end date."""
    today = timezone.localdate()
    applied = [str(w.pk) for w in withdrawals.apply_due_withdrawals(today)]
    return applied + [str(c.pk) for c in withdrawals.close_ended_conventions(today)]


@shared_task
def purge_expired_data() -> dict[str, int]:
    """The daily purge of what has been kept for its retention duration."""
    return retention.purge_expired_data(timezone.now())
