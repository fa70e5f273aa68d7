"""A real Celery worker process on Redis, working on the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from odpe.celery import app
from tests import processes

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def require_worker_services() -> None:
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must run the worker tests: set DATABASE_URL (PostgreSQL) and REDIS_URL.")
        pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")


def worker_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "CELERY_QUEUE": app.conf.task_default_queue,
        # Mail stays in the worker's memory: tests read its log, which must hold no secret.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **overrides,
    }


def is_ready(process: subprocess.Popen, hostname: str) -> bool:
    """The worker wrote that it consumes (the line `celery worker` logs once its consumer runs)."""
    return f"{hostname} ready." in process.log_path.read_text()


def start_worker(tmp_path: Path, name: str, **overrides: str) -> subprocess.Popen:
    """Start a worker (solo pool: SIGKILL ends the process doing the task) and wait until it answers.

    `overrides` change its environment, e.g. REDIS_URL for a private broker; its log is `name`.log.
    """
    env = worker_environment(tmp_path, **overrides)
    log_path = tmp_path / f"{name}.log"
    hostname = f"{name}-{os.getpid()}@localhost"
    with log_path.open("w") as log:
        process = processes.start(
            [sys.executable, "-m", "celery", "-A", "odpe", "worker", "--pool=solo", "--loglevel=debug"]
            + ["-n", hostname],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    process.log_path = log_path
    try:
        deadline = time.monotonic() + 90
        while not is_ready(process, hostname):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("The Celery worker did not start:\n" + log_path.read_text())
            time.sleep(0.1)
    except BaseException:
        stop(process)
        raise
    return process


def stop(process: subprocess.Popen) -> None:
    """A warm shutdown (SIGTERM), then SIGKILL to the worker's whole process group after a short grace."""
    processes.stop(process)


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    require_worker_services()
    process = start_worker(tmp_path, "worker")
    try:
        yield process
    finally:
        stop(process)
