from celery import shared_task
from django.conf import settings
from django.utils import timezone

from uploads import notifications, reminders, services
from uploads.data_requests import services as data_requests
from uploads.models import SubmissionVersion


# Late acknowledgement: a worker that dies mid-check leaves the message to be delivered again.
# The hard limit kills a check that never ends; `validate_version` counts the attempts.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.VALIDATION_TIME_LIMIT * 9 // 10,
    time_limit=settings.VALIDATION_TIME_LIMIT,
)
def validate_version_task(version_pk: str) -> str:
    version = SubmissionVersion.objects.get(pk=version_pk)
    return services.validate_version(version).status


@shared_task
def requeue_stuck_validations() -> int:
    return services.requeue_stuck_validations(timezone.now())


@shared_task
def notify_review_task(version_pk: str) -> None:
    notifications.send_review_outcome(SubmissionVersion.objects.get(pk=version_pk))


@shared_task
def send_collection_reminders() -> int:
    today = timezone.localdate()
    services.open_current_submissions(today)
    return reminders.send_due_reminders(today) + data_requests.send_due_request_reminders(today)
