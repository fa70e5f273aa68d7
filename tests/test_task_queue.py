"""Services enqueue tasks by name (odpe.queue): they never import their app's tasks module."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery.exceptions import NotRegistered
from django.db import transaction

from odpe.queue import enqueue_on_commit

ROOT = Path(__file__).resolve().parent.parent

FRESH_PROCESS = """
import django
django.setup()
from odpe.celery import app
from odpe.queue import registered_task
name = "uploads.tasks.validate_version_task"
print(name in app.tasks, registered_task(name).name)
"""


def test_a_web_process_finds_a_task_it_never_imported():
    """Autodiscovery is lazy (a worker runs it when it starts): the helper imports the tasks modules."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "odpe.settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "uploads.tasks.validate_version_task"]


@pytest.mark.django_db
def test_a_wrong_task_name_fails_where_it_is_written_not_after_the_commit():
    with pytest.raises(NotRegistered), transaction.atomic():
        enqueue_on_commit("uploads.tasks.no_such_task", "x")
