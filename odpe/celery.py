import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "odpe.settings")

app = Celery("odpe")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def send_on_commit(task, *args) -> None:
    """Enqueue `task` once the current transaction commits. A broker that cannot take it (Redis down)
    is logged and costs nothing else: the committed work stands, and the request goes on.

    A plain function rather than functools.partial: Django logs a failing robust callback by its
    `__qualname__`, which a partial lacks — the log call itself then raised, and the request failed.
    """
    from django.db import transaction

    def send():
        task.delay(*args)

    transaction.on_commit(send, robust=True)
