"""Enqueueing a Celery task by its name: an app's services never import its tasks module (the tasks
import the services, to load what they work on by id and call a transition), so the two go one way.

The name is the task's registered name (`"uploads.tasks.validate_version_task"`, module and function).
It is looked up in the Celery app's registry at once, so a wrong name fails where it is written, not
later in a log line. The web process imports no tasks module by itself (Celery's autodiscovery is lazy:
a worker runs it when it starts), so a name not registered yet first has every installed app's tasks
module imported. Eager (no REDIS_URL: CELERY_TASK_ALWAYS_EAGER) the task runs in-process, else it goes
to the broker; either way through the registered task, with its options.

The Celery app is imported at the first task sent (see `odpe.celery`), and each task is taken from it,
not from Celery's "current app", which is another, unconfigured one in a process that has not
imported ours.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from celery import Task

# Celery's discovery returns at once, having imported nothing, while another thread runs it.
_discovery = threading.Lock()


def registered_task(name: str) -> Task:
    from odpe.celery import app

    if name not in app.tasks:
        with _discovery:
            if name not in app.tasks:
                app.autodiscover_tasks(force=True)
    return app.tasks[name]


def enqueue(name: str, *args) -> None:
    """Send the task now (a broker that cannot take it raises)."""
    registered_task(name).delay(*args)


def enqueue_on_commit(name: str, *args) -> None:
    """Send the task once the current transaction commits. A broker that cannot take it (Redis down)
    is logged and costs nothing else: the committed work stands, and the request goes on.

    A plain function rather than functools.partial: Django logs a failing robust callback by its
    `__qualname__`, which a partial lacks — the log call itself then raised, and the request failed.
    """
    task = registered_task(name)

    def send():
        task.delay(*args)

    transaction.on_commit(send, robust=True)
