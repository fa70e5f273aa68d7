from celery import shared_task
from django.conf import settings
from django.utils import timezone

from dashboards import notifications, reports, services
from dashboards.models import AnnualReport, ConsentRequest, DashboardVersion, Document
from odpe.accounts.models import User


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.DASHBOARD_TIME_LIMIT * 9 // 10,
    time_limit=settings.DASHBOARD_TIME_LIMIT,
)
def generate_version_task(version_pk: str) -> str:
    return services.generate_version(DashboardVersion.objects.get(pk=version_pk)).generation


@shared_task
def notify_consent_requested_task(request_pk: str, reminder: bool = False) -> None:
    notifications.send_consent_request(ConsentRequest.objects.get(pk=request_pk), reminder=reminder)


@shared_task
def notify_consent_answered_task(request_pk: str) -> None:
    notifications.send_consent_answer(ConsentRequest.objects.get(pk=request_pk))


@shared_task
def notify_document_consent_requested_task(request_pk: str) -> None:
    notifications.send_document_consent_request(ConsentRequest.objects.get(pk=request_pk))


@shared_task
def notify_document_released_task(document_pk: str, by_pk: str | None = None) -> None:
    by = User.objects.filter(pk=by_pk).first() if by_pk else None
    notifications.send_document_release(Document.objects.get(pk=document_pk), triggered_by=by)


@shared_task
def notify_published_task(version_pk: str) -> None:
    notifications.send_publication(DashboardVersion.objects.get(pk=version_pk))


@shared_task
def remind_pending_consents() -> int:
    return services.remind_pending_consents(timezone.now())


@shared_task
def notify_document_reviewed_task(document_pk: str, by_pk: str | None = None) -> None:
    notifications.send_document_review(
        Document.objects.select_related("partner").get(pk=document_pk),
        triggered_by=User.objects.filter(pk=by_pk).first() if by_pk else None,
    )


@shared_task(acks_late=True, reject_on_worker_lost=True)
def make_version_pdf_task(version_pk: str) -> None:
    services.make_version_pdf(DashboardVersion.objects.get(pk=version_pk))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def make_report_pdf_task(report_pk: str) -> None:
    reports.make_report_pdf(AnnualReport.objects.get(pk=report_pk))


@shared_task
def notify_report_published_task(report_pk: str) -> None:
    notifications.send_report_publication(AnnualReport.objects.select_related("dashboard").get(pk=report_pk))
