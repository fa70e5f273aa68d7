"""Load run: people browsing and partners uploading at once, against the production topology on loopback.

    .venv/bin/python benchmarks/load.py [--duration 180] [--browsers 50] [--uploaders 20] [--think 1.0]

Starts what docker-compose.yml describes, on this machine only: a database of its own (created on the
PostgreSQL server of --database-url or DATABASE_URL, dropped at the end), a private redis-server on a
free port, gunicorn (4 sync workers) and a Celery worker (2 processes). Loads the demo data (`seed_demo`:
the Loire signatories, five past years of tables, the open collection), then for --duration seconds:

- browsers: signed-in people reading pages (members, referents, correspondents: home, conventions,
  partners, collection, submissions, campaign, review queue, versions under review, dashboards);
- uploaders: correspondents of the two demo partners sending their table through the real upload form
  (CSRF token, session, multipart), a quarter of them with a total that does not add up.

Each person waits --think seconds on average between two requests (0 makes it a stress run). Sessions
are opened in the database as a sign-in would: sign-in itself is rate-limited per address by design, and
the upload limit is raised for the run. Reports throughput, p50/p95/p99 latency per page family and the
errors; then waits for the worker and checks that every version uploaded during the run was checked
exactly once (one report, one to_review/invalid event, one audit row, one attempt). Exit status 1 on
any error or any upload not checked exactly once.

The client is httpx, one thread per person: enough to keep 70 people busy on loopback, with the
session, CSRF and multipart handling the checks need; the server, not the client, is what saturates.
"""

import argparse
import base64
import io
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TERMINAL = {"to_review", "invalid", "superseded"}
CHECKED = ("to_review", "invalid")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} after {timeout} s")
        time.sleep(0.2)


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, family: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies[family].append(seconds)
            if error:
                self.errors.append(f"{family}: {error}")


class Person(threading.Thread):
    """One signed-in person: their session cookie and a CSRF secret they send back with each form."""

    def __init__(
        self, base_url: str, session_key: str, pages, results: Results, stop_at: float, think: float
    ):
        super().__init__(daemon=True)
        self.csrf = secrets.token_hex(16)
        self.client = httpx.Client(
            base_url=base_url,
            headers={"Cookie": f"sessionid={session_key}; csrftoken={self.csrf}"},
            timeout=60,
        )
        self.pages, self.results, self.stop_at, self.think = pages, results, stop_at, think

    def request(self, family: str, method: str, path: str, expected: int, **kwargs) -> None:
        started = time.perf_counter()
        try:
            response = self.client.request(method, path, **kwargs)
            error = None if response.status_code == expected else f"{method} {path} → {response.status_code}"
        except httpx.HTTPError as failure:
            error = f"{method} {path} → {type(failure).__name__}"
        self.results.record(family, time.perf_counter() - started, error)

    def pause(self) -> None:
        time.sleep(self.think * random.uniform(0.5, 1.5))

    def run(self) -> None:
        while time.monotonic() < self.stop_at:
            self.step()
            self.pause()
        self.client.close()

    def step(self) -> None:
        family, path = random.choice(self.pages)
        self.request(family, "GET", path, 200)


class Uploader(Person):
    def __init__(self, *args, submission: str, good: bytes, faulty: bytes, **kwargs):
        super().__init__(*args, **kwargs)
        self.submission, self.good, self.faulty = submission, good, faulty

    def step(self) -> None:
        self.request("submission", "GET", f"/submissions/{self.submission}/", 200)
        content, name = (
            (self.faulty, "tableau-faux.xlsx") if random.random() < 0.25 else (self.good, "tableau.xlsx")
        )
        self.request(
            "upload",
            "POST",
            f"/submissions/{self.submission}/upload/",
            302,
            data={"attested": "on", "csrfmiddlewaretoken": self.csrf},
            files={"file": (name, content, XLSX)},
        )


def database_urls(server_url: str, name: str) -> tuple[str, str]:
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{name}"))


def environment(folder: Path, database_url: str, redis_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": "odpe-load",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATA_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "STATIC_ROOT": str(folder / "static"),
        "DEMO_DATA_ALLOWED": "true",
        "RATE_LIMIT_UPLOADS": "100000/h/user",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "odpe.settings",
    }


def open_session(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def workbook(spec, rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = spec.sheet_name
    sheet.append(list(spec.column_labels.values()))
    for row in rows:
        sheet.append(row)
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


def prepare() -> dict:
    """Demo data, and what each kind of person reads: returns the sessions and pages of the run."""
    from django.core.management import call_command
    from django.utils import timezone

    from conventions.models import Convention, Partner
    from dashboards.models import DashboardVersion
    from odpe.accounts.models import User
    from uploads.demo import demo_rows
    from uploads.models import Campaign

    quiet = io.StringIO()
    call_command("migrate", "--noinput", stdout=quiet)
    call_command("seed_demo", stdout=quiet)
    call_command("collectstatic", "--noinput", stdout=quiet)
    campaign = Campaign.objects.get(data_year=timezone.localdate().year - 1)
    submissions = list(campaign.submissions.select_related("spec", "partner"))
    conventions = [f"/conventions/{pk}/" for pk in Convention.objects.values_list("pk", flat=True)[:10]]
    partners = [f"/partners/{pk}/" for pk in Partner.objects.values_list("pk", flat=True)[:10]]
    past = Campaign.objects.exclude(pk=campaign.pk).order_by("-data_year").first()
    past_versions = [
        f"/versions/{s.accepted_version_id}/" for s in past.submissions.filter(accepted_version__isnull=False)
    ]
    dashboards = [f"/dashboards/{pk}/" for pk in DashboardVersion.objects.values_list("pk", flat=True)[:5]]
    common = [("home", "/"), ("conventions", "/conventions/"), ("partners", "/partners/")]
    common += [("convention", path) for path in conventions] + [("partner", path) for path in partners]
    pages = {
        "membre@odpe-demo.fr": common,
        "referent@odpe-demo.fr": common
        + [("review", "/review/"), ("campaign", f"/campaigns/{campaign.pk}/"), ("dashboards", "/dashboards/")]
        + [("submission", f"/submissions/{s.pk}/") for s in submissions]
        + [("version", path) for path in past_versions]
        + [("dashboard", path) for path in dashboards],
    }
    uploads = {}
    for email, code in (
        ("correspondant.caf@odpe-demo.fr", "caf-allocataires"),
        ("correspondant.chu@odpe-demo.fr", "chu-uaped"),
    ):
        submission = next(s for s in submissions if s.spec.code == code)
        rows = demo_rows(code, campaign.data_year)
        faulty = [list(row) for row in rows]
        faulty[0][-1] += 1  # a total that is not the sum of its parts
        uploads[email] = (
            str(submission.pk),
            workbook(submission.spec, rows),
            workbook(submission.spec, faulty),
        )
        pages[email] = [
            ("home", "/"),
            ("collection", "/collection/"),
            ("submission", f"/submissions/{submission.pk}/"),
        ]
    users = {user.email: user for user in User.objects.filter(email__in=pages)}
    return {"pages": pages, "uploads": uploads, "users": users}


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(results: Results, seconds: float) -> None:
    total = sum(len(values) for values in results.latencies.values())
    print(f"\n{total} requests in {seconds:.0f} s: {total / seconds:.1f} req/s, {len(results.errors)} errors")
    print(f"{'page family':<14} {'requests':>9} {'p50 (ms)':>9} {'p95 (ms)':>9} {'p99 (ms)':>9}")
    for family, values in sorted(results.latencies.items()):
        p50, p95, p99 = (percentile(values, share) * 1000 for share in (0.5, 0.95, 0.99))
        print(f"{family:<14} {len(values):>9} {p50:>9.0f} {p95:>9.0f} {p99:>9.0f}")
    for error in results.errors[:20]:
        print(f"  error: {error}")


def check_uploads(since, timeout: float) -> list[str]:
    """Wait for the worker, then: every version uploaded since `since` checked exactly once."""
    from django.db.models import Count, Q

    from odpe.models import AuditEvent
    from uploads.models import SubmissionVersion

    versions = SubmissionVersion.objects.filter(uploaded_at__gte=since)
    deadline = time.monotonic() + timeout
    while versions.exclude(status__in=TERMINAL).exists() and time.monotonic() < deadline:
        time.sleep(1)
    checked = dict(
        AuditEvent.objects.filter(
            action="submission.checked",
            object_id__in=[str(pk) for pk in versions.values_list("pk", flat=True)],
        )
        .values_list("object_id")
        .annotate(n=Count("id"))
    )
    problems = []
    counts = defaultdict(int)
    for version in versions.annotate(results=Count("events", filter=Q(events__status__in=CHECKED))):
        counts[version.status] += 1
        if version.status not in TERMINAL:
            problems.append(f"version {version.pk} still « {version.status} »")
        elif (version.results, checked.get(str(version.pk), 0), version.validation_attempts) != (1, 1, 1):
            problems.append(
                f"version {version.pk}: {version.results} results, {checked.get(str(version.pk), 0)} audit rows, "
                f"{version.validation_attempts} attempts"
            )
    print(
        f"\n{versions.count()} versions uploaded: "
        + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    )
    print("every one checked exactly once" if not problems else f"{len(problems)} not checked exactly once")
    for problem in problems[:20]:
        print(f"  {problem}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=180, help="seconds of load (default 180)")
    parser.add_argument("--browsers", type=int, default=50)
    parser.add_argument("--uploaders", type=int, default=20)
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds between two requests of a person"
    )
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()

    redis_server = shutil.which("redis-server")
    if redis_server is None:
        raise SystemExit("redis-server is needed (apt-get install redis-server).")
    folder = Path(tempfile.mkdtemp(prefix="odpe-load-"))
    admin_url, database_url = database_urls(args.database_url, f"odpe_load_{os.getpid()}")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {urlsplit(database_url).path[1:]}")
    redis_port = free_port()
    processes = [
        subprocess.Popen(
            [
                redis_server,
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
    ]
    env = {**os.environ, **environment(folder, database_url, f"redis://127.0.0.1:{redis_port}/0")}
    os.environ.update(env)
    try:
        import django

        django.setup()
        from django.db import connections
        from django.utils import timezone

        started = time.monotonic()
        plan = prepare()
        print(f"Demo data loaded in {time.monotonic() - started:.0f} s.")
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        python = sys.executable
        processes.append(
            start(
                [
                    python,
                    "-m",
                    "gunicorn",
                    "odpe.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.web_workers),
                ],
                env,
                folder / "web.log",
            )
        )
        processes.append(
            start(
                [python, "-m", "celery", "-A", "odpe", "worker", "--concurrency=2", "--loglevel=info"],
                env,
                folder / "worker.log",
            )
        )

        def web_answers() -> bool:
            try:
                return httpx.get(f"{base_url}/healthz/", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        wait_until(web_answers, 60, "gunicorn does not answer")
        wait_until(
            lambda: " ready." in (folder / "worker.log").read_text(), 60, "the Celery worker did not start"
        )

        results = Results()
        since = timezone.now()
        stop_at = time.monotonic() + args.duration
        users, pages, uploads = plan["users"], plan["pages"], plan["uploads"]
        readers = ["membre@odpe-demo.fr", "referent@odpe-demo.fr", *uploads]
        people = []
        for n in range(args.browsers):
            email = readers[n % len(readers)]
            people.append(
                Person(base_url, open_session(users[email]), pages[email], results, stop_at, args.think)
            )
        senders = list(uploads)
        for n in range(args.uploaders):
            email = senders[n % len(senders)]
            submission, good, faulty = uploads[email]
            people.append(
                Uploader(
                    base_url,
                    open_session(users[email]),
                    pages[email],
                    results,
                    stop_at,
                    args.think * 2,
                    submission=submission,
                    good=good,
                    faulty=faulty,
                )
            )
        print(f"{args.browsers} people browsing and {args.uploaders} uploading for {args.duration:.0f} s…")
        load_started = time.monotonic()
        for person in people:
            person.start()
        for person in people:
            person.join()
        report(results, time.monotonic() - load_started)
        problems = check_uploads(since, timeout=120)
        connections.close_all()
        return 1 if results.errors or problems else 0
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {urlsplit(database_url).path[1:]} WITH (FORCE)")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
