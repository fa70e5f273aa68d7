"""PostgreSQL restarts under traffic: the outage shows the French « unavailable » page, then the same
web processes serve again, with per-request and with kept connections."""

import threading
import time
from dataclasses import dataclass

import httpx
import pytest

from tests.faults.processes import Gunicorn, PrivatePostgres, manage, production_environment, wait_until

pytestmark = pytest.mark.faults

OPEN_SESSION = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model().objects.create_user(email="membre@example.org", password=None)
user.groups.add(Group.objects.get(name="member"))
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


@dataclass
class Answer:
    sent_at: float
    status: int
    body: str
    retry_after: str | None


class Traffic(threading.Thread):
    """One person reloading the home page every 50 ms until told to stop (bounded: 4 minutes at most)."""

    def __init__(self, url: str, session_key: str):
        super().__init__(daemon=True)
        self.client = httpx.Client(base_url=url, headers={"Cookie": f"sessionid={session_key}"}, timeout=10)
        self.answers: list[Answer] = []
        self.done = threading.Event()

    def run(self):
        deadline = time.monotonic() + 240
        while not self.done.is_set() and time.monotonic() < deadline:
            sent_at = time.monotonic()
            response = self.client.get("/")
            self.answers.append(
                Answer(sent_at, response.status_code, response.text, response.headers.get("Retry-After"))
            )
            time.sleep(0.05)
        self.client.close()

    def count(self, status: int, sent_after: float = 0) -> int:
        return sum(
            1 for answer in list(self.answers) if answer.status == status and answer.sent_at > sent_after
        )

    def stop(self) -> None:
        self.done.set()
        self.join()


@pytest.fixture
def database():
    postgres = PrivatePostgres()
    try:
        postgres.init()
        postgres.start()
        yield postgres
    finally:
        postgres.remove()


@pytest.fixture
def web_servers(tmp_path):
    """Start gunicorn servers (`start(env, name)`); all stopped at the end, whatever happened."""
    started = []

    def start(env: dict[str, str], name: str) -> Gunicorn:
        started.append(Gunicorn(tmp_path, env, name=name))
        return started[-1]

    try:
        yield start
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def traffic_on():
    """Start a `Traffic` thread per server (`traffic_on(servers, session_key)`); all stopped at the end."""
    started = []

    def start(servers: dict[str, Gunicorn], session_key: str) -> dict[str, Traffic]:
        traffic = {name: Traffic(server.url, session_key) for name, server in servers.items()}
        for thread in traffic.values():
            started.append(thread)
            thread.start()
        return traffic

    try:
        yield start
    finally:
        for thread in started:
            thread.stop()


def test_a_database_restart_shows_the_unavailable_page_then_the_same_processes_serve_again(
    database, tmp_path, web_servers, traffic_on
):
    # No Redis: this test stops nothing but its own PostgreSQL (Celery runs in-process, the cache in memory).
    env = production_environment(tmp_path, DATABASE_URL=database.create_database("odpe"), REDIS_URL="")
    manage(env, "migrate", "--noinput")
    session_key = manage(env, "shell", "-c", OPEN_SESSION).strip().splitlines()[-1]
    servers = {
        "per-request connections": web_servers({**env, "CONN_MAX_AGE": "0"}, "per-request"),
        "kept connections": web_servers({**env, "CONN_MAX_AGE": "600"}, "kept"),
    }
    traffic = traffic_on(servers, session_key)

    # Each phase lasts until every server has shown it, however slow the machine: served, unavailable,
    # served again (more than ten answers after the restart).
    wait_until(
        lambda: all(t.count(200) >= 5 for t in traffic.values()), 60, "No page served before the outage"
    )
    database.stop()
    wait_until(
        lambda: all(t.count(503) >= 5 for t in traffic.values()), 60, "No unavailable page during the outage"
    )
    database.start()
    back_at = time.monotonic()
    wait_until(
        lambda: all(len([a for a in list(t.answers) if a.sent_at > back_at]) > 10 for t in traffic.values()),
        60,
        "Too few answers after the restart",
    )
    for thread in traffic.values():
        thread.stop()

    for name, server in servers.items():
        answers = traffic[name].answers
        assert {answer.status for answer in answers} == {200, 503}, name
        for answer in answers:
            if answer.status == 503:
                assert "La plateforme est momentanément indisponible" in answer.body, name
                assert "Traceback" not in answer.body and "OperationalError" not in answer.body, name
                assert answer.retry_after == "30", name
        after = [answer.status for answer in answers if answer.sent_at > back_at]
        assert len(after) > 10 and set(after) == {200}, f"{name}: {after}"
        # Served by the web process started before the outage, with none of its workers replaced.
        assert server.process.poll() is None, name
        log = server.log_path.read_text()
        assert log.count("Booting worker") == 2 and "WORKER TIMEOUT" not in log, name
