from celery import shared_task

from uploads.olinpe import services
from uploads.olinpe.models import YearlyBase


@shared_task(acks_late=True, reject_on_worker_lost=True)
def check_base_task(base_pk: str) -> str:
    return services.check_yearly_base(YearlyBase.objects.get(pk=base_pk)).status
