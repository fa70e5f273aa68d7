"""A real Celery worker process on Redis, working on the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from odpe.celery import app

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must run the worker tests: set DATABASE_URL (PostgreSQL) and REDIS_URL.")
        pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "CELERY_QUEUE": app.conf.task_default_queue,
        # Mail stays in the worker's memory: tests read its log, which must hold no secret.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    log = (tmp_path / "worker.log").open("w")
    hostname = f"test-{os.getpid()}@localhost"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "odpe",
            "worker",
            "--pool=solo",
            "--loglevel=debug",
            "-n",
            hostname,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.inspect(destination=[hostname], timeout=1).ping():
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("The Celery worker did not start:\n" + (tmp_path / "worker.log").read_text())
        process.log_path = tmp_path / "worker.log"
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
