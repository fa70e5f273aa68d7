"""What a process pays to start: a management command, a sheet's check in its own process."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT = {**os.environ, "DJANGO_SETTINGS_MODULE": "odpe.settings"}


def python(*arguments: str) -> str:
    done = subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=ENVIRONMENT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_a_process_that_sends_no_task_starts_without_celery():
    """Celery and kombu are a fifth of Django's start: a command or a sheet's check does without."""
    loaded = python(
        "-c",
        "import django, sys; django.setup(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('celery', 'kombu')))",
    )

    assert loaded == "[]"


def test_a_command_collects_garbage_again_once_django_has_started():
    """manage.py holds the collector off while Django starts: it must be back for the command itself."""
    state = python("manage.py", "shell", "-c", "import gc; print(gc.isenabled(), gc.get_freeze_count() > 0)")

    assert state == "True True"


def test_django_starts_without_pillow():
    """Pillow is loaded where a logo is read, not by every process that imports the models."""
    loaded = python("-c", "import django, sys; django.setup(); print('PIL' in sys.modules)")

    assert loaded == "False"
