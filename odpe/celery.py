"""The Celery app of the worker and the beat (`celery -A odpe`), and of the web process when it enqueues.

Imported only where a task is sent or run (`odpe.queue`), not by the `odpe` package: Celery and kombu
take about a fifth of Django's start, which every other process (a management command, a file's
check in its own process) would pay for nothing.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "odpe.settings")

app = Celery("odpe")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "apply-due-withdrawals": {
        "task": "odpe.roof.tasks.apply_due_withdrawals",
        # Daily; a missed day is caught up because the task applies everything due.
        "schedule": crontab(hour=0, minute=15),
    },
    "requeue-stuck-validations": {
        "task": "uploads.tasks.requeue_stuck_validations",
        # Uploads made while the broker was down, and checks whose worker died, are enqueued again.
        "schedule": crontab(minute="*/5"),
    },
    "remind-pending-consents": {
        "task": "dashboards.tasks.remind_pending_consents",
        # Weekly per request at most, whatever the schedule: the task keeps the date of each reminder.
        "schedule": crontab(hour=8, minute=0),
    },
    "send-collection-reminders": {
        "task": "uploads.tasks.send_collection_reminders",
        # Each (partner, table, milestone) is sent once, so running late or twice is harmless.
        "schedule": crontab(hour=7, minute=30),
    },
    "remind-department-notices": {
        "task": "conventions.tasks.remind_department_notices",
        # Each overdue notice is reminded once per NOTICE_REMINDER_DAYS, whatever the schedule.
        "schedule": crontab(hour=7, minute=45),
    },
    "purge-expired-data": {
        "task": "odpe.roof.tasks.purge_expired_data",
        # Daily; what a missed day left is purged the next, and a second run finds nothing more to purge.
        "schedule": crontab(hour=3, minute=30),
    },
}
