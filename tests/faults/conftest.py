"""The web process, workers and a private Redis of a fault test, all real processes on the test database."""

from datetime import timedelta

import pytest
from django.test import Client

from tests.celery_worker import database_url, require_worker_services, start_worker, stop
from tests.faults.processes import Browser, Gunicorn, PrivateRedis, manage, production_environment


class Stack:
    """gunicorn and Celery workers with a private Redis as their broker, so that the test may stop it."""

    def __init__(self, folder, redis: PrivateRedis):
        self.folder = folder
        self.redis = redis
        self.env = production_environment(
            folder, DATABASE_URL=database_url(), REDIS_URL=redis.url, CELERY_QUEUE="odpe-faults"
        )
        self.web = Gunicorn(folder, self.env)
        self.workers = []
        self.browsers = []

    def start_worker(self, name: str, **overrides: str):
        worker = start_worker(self.folder, name, **{**self.env, **overrides})
        self.workers.append(worker)
        return worker

    def browser(self, user) -> Browser:
        client = Client()
        client.force_login(user)  # a session row in the test database, which gunicorn reads
        browser = Browser(self.web.url, client.session.session_key)
        self.browsers.append(browser)
        return browser

    def sweep(self, later: timedelta = timedelta(hours=1)) -> int:
        """Run the beat's sweep of stuck checks as its task would, `later` from now, in a process of
        its own (it enqueues on this stack's broker)."""
        code = (
            "from datetime import timedelta; from django.utils import timezone; from uploads import services; "
            f"print(services.requeue_stuck_validations(timezone.now() + timedelta(seconds={later.total_seconds()})))"
        )
        return int(manage(self.env, "shell", "-c", code).strip().splitlines()[-1])

    def close(self) -> None:
        try:
            for browser in self.browsers:
                browser.close()
        finally:
            for worker in self.workers:
                stop(worker)
            self.web.stop()


@pytest.fixture
def stack(transactional_db, tmp_path):
    """Stopped whatever happens: a process the test could not stop is killed with its whole group."""
    require_worker_services()
    redis = PrivateRedis(tmp_path)
    try:
        redis.start()
        stack = Stack(tmp_path, redis)
        try:
            yield stack
        finally:
            stack.close()
    finally:
        redis.stop()
