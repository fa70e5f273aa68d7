"""Dashboard benchmark: generation from 6 million observations, then the published page under load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/odpe_bench CONN_MAX_AGE=60 \\
        .venv/bin/python benchmarks/dashboard.py [--years 10 --partners 60 --indicators 200 --territories 50]

DATABASE_URL names a database made for this benchmark: it is created on that PostgreSQL server when it
does not exist, and kept afterwards so that the next run reuses its observations. The script sets the
rest of its environment itself (a benchmark-only SECRET_KEY and data key, DEMO_DATA_ALLOWED, plain HTTP on loopback).

1. Builds the observations (`manage.py seed_benchmark_observations`, skipped when they are there).
2. Generates the last year's dashboard in a process of its own: wall time and peak RSS.
3. Publishes it (consent of every source recorded, marked public) and serves the platform with gunicorn
   on loopback; `wrk` (apt-get install wrk) sends 50 concurrent clients to the published page, then to
   a bare Django view (/healthz/) on the same server: requests/s, p50, p95 and p99 latency, errors, the
   web processes' CPU time per request (steadier than requests/s on a loaded machine), and the ratios.
   The load average is printed before and after: other work on the machine takes the same cores.

Targets: published page ≥ 50 % of the bare view's throughput, p95 < 200 ms.
"""

import argparse
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.3f %.3f %.3f\\n", summary.requests, summary.errors.status
    + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def run(command: list[str], env: dict, what: str) -> str:
    """Run a step of the benchmark; if it fails, show its output and stop with one sentence."""
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{done.stdout}{done.stderr}\nThe benchmark stopped: {what} failed (output above).")
    return done.stdout


def manage(*args: str, env: dict) -> str:
    return run([PYTHON, "manage.py", *args], env, f"manage.py {args[0]}")


def ensure_database(url: str) -> None:
    """Create the benchmark's database on the server of `url` when it does not exist yet."""
    name = urlsplit(url).path.lstrip("/")
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=10) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Created the database {name}.")
    except psycopg.Error as error:
        sys.exit(f"Could not create the database {name} on the server of DATABASE_URL: {error}".strip())


def django_script(code: str, env: dict) -> dict:
    """Run `code` with Django set up, in a process of its own; it prints one JSON line."""
    prelude = "import django, json, os, resource, time\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'odpe.settings')\ndjango.setup()\n"
    output = run([PYTHON, "-c", prelude + code], env, "a step run with Django")
    return json.loads(output.strip().splitlines()[-1])


GENERATE = """
from dashboards.services import build_snapshot
started = time.perf_counter()
content = build_snapshot(YEAR, 5)
elapsed = time.perf_counter() - started
figures = sum(len(section["figures"]) for section in content["sections"])
print(json.dumps({"seconds": elapsed, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "figures": figures,
                  "json_mb": len(json.dumps(content)) / 1e6}))
"""

PUBLISH = """
from celery import current_app
from dashboards import services
from dashboards.models import DashboardVersion
from odpe.accounts.models import User
from odpe.accounts.roles import Role
from odpe.accounts.services import add_correspondent, grant_role
from odpe.audit import Actor
referent, _ = User.objects.get_or_create(email="bench-referent@example.org")
grant_role(referent, Role.REFERENT, actor=Actor.platform())
actor = Actor(user=referent)
# The year's last version, taken up where a previous run left it.
version = DashboardVersion.objects.filter(data_year=YEAR).order_by("-number").first()
if version is None or version.status == "withdrawn":
    version = services.create_version(data_year=YEAR, actor=actor)  # generated in-process (no broker)
# From here tasks are left to a worker that the benchmark does not run: the e-mails, and the PDF, which
# drawn in this process for a dashboard of this size would hold the measurement up for many minutes.
current_app.conf.task_always_eager = False
if version.status == "draft":
    version = services.submit_for_review(DashboardVersion.objects.get(pk=version.pk), actor=actor)
if version.status == "in_review":
    version = services.request_consents(version, actor=actor)
for request in version.consent_requests.filter(status="pending").select_related("partner"):
    # The source's own answer: a correspondent of the partner gives it (nobody else may).
    source, _ = User.objects.get_or_create(email=f"bench-source-{request.partner_id}@example.org")
    add_correspondent(source, request.partner, actor=Actor.platform())
    services.record_consent(request, actor=Actor(user=source), consent=True)
version = DashboardVersion.objects.get(pk=version.pk)
if version.status == "approved":
    version = services.publish(version, actor=actor, is_public=True)
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.urls import reverse
member, _ = User.objects.get_or_create(email="bench-member@example.org")
grant_role(member, Role.MEMBER, actor=Actor.platform())
session = SessionStore()
session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(member.pk), settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = member.get_session_auth_hash()
session.create()
print(json.dumps({"url": reverse("dashboards:published_detail", args=[YEAR]),
                  "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) used so far by a process and its children still running: the
    gunicorn master and its workers."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:  # the process ended meanwhile
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        pending.extend(int(child) for child in children)
    return total


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def wrk(url: str, seconds: int, connections: int, cookie: str = "", server: int = 0) -> dict:
    """`connections` clients for `seconds` on `url` (signed in when `cookie` is given); with `server`,
    the CPU time that process and its children spent per request."""
    cpu_before = cpu_seconds(server) if server else 0.0
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    output = run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script.name, url]
        + ["-H", "Accept-Encoding: gzip, deflate, br"]  # as every browser sends it
        + (["-H", f"Cookie: {cookie}"] if cookie else []),
        dict(os.environ),
        "wrk",
    )
    cpu = cpu_seconds(server) - cpu_before if server else 0.0
    requests, errors, duration_us, p50, p95, p99 = next(
        line for line in output.splitlines() if line.startswith("RESULT")
    ).split()[1:]
    return {
        "rps": int(requests) / (int(duration_us) / 1e6),
        "errors": int(errors),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "cpu_ms": 1000 * cpu / max(int(requests), 1),
        "load": load_average(),
    }


def warm(url: str, connections: int, cookie: str = "") -> None:
    """Short runs on `url` until one has no error and the throughput no longer rises (at most a minute)."""
    before = 0.0
    for _ in range(12):
        result = wrk(url, 5, connections, cookie)
        if not result["errors"] and result["rps"] < 1.2 * before:
            return
        before = result["rps"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--partners", type=int, default=60)
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--territories", type=int, default=50)
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--pages-only", action="store_true", help="measure the pages only, without timing the generation"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database made for this benchmark.")
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    ensure_database(os.environ["DATABASE_URL"])
    env = {
        **os.environ,
        "DEMO_DATA_ALLOWED": "true",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.setdefault("SECRET_KEY", "benchmark-only")
    env.setdefault(
        "DATA_ENCRYPTION_KEYS", base64.urlsafe_b64encode(b"benchmark-only".ljust(32, b"-")).decode()
    )
    env.pop("REDIS_URL", None)  # tasks in-process: the benchmark needs no worker

    manage("migrate", "--noinput", env=env)
    sizes = [
        "--years",
        str(args.years),
        "--partners",
        str(args.partners),
        "--indicators",
        str(args.indicators),
        "--territories",
        str(args.territories),
        "--last-year",
        str(args.year),
    ]
    count = django_script(
        "from uploads.models import Observation\nprint(json.dumps(Observation.objects.count()))", env
    )
    expected = args.years * args.partners * args.indicators * args.territories
    if count < expected:
        started = time.perf_counter()
        print(
            manage("seed_benchmark_observations", *sizes, env=env).strip(),
            f"in {time.perf_counter() - started:.0f} s",
        )

    if not args.pages_only:
        generation = django_script(GENERATE.replace("YEAR", str(args.year)), env)
        print(
            f"\nGeneration of the {args.year} dashboard from {expected:,} observations: {generation['seconds']:.1f} s, "
            f"peak RSS {generation['rss']:.0f} MB, {generation['figures']} figures, snapshot {generation['json_mb']:.1f} MB"
        )

    published = django_script(PUBLISH.replace("YEAR", str(args.year)), env)
    path, cookie = published["url"], published["cookie"]
    manage("collectstatic", "--noinput", env=env)
    port = free_port()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "odpe.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            # A worker's first published page imports every view and renders the body (about 2 s of
            # CPU): on a loaded machine that passes gunicorn's 30 s, and the worker killed starts over.
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        subprocess.run(["curl", "-sf", "-o", "/dev/null", base + path], check=True)
        # Each web process keeps its own cache without Redis, and its first published page imports every
        # view: all are warmed, as on a server that has run a while (else their first renders, seconds on
        # a loaded machine, fall in the measurement).
        warm(base + path, args.clients)
        warm(base + path, args.clients, cookie)
        results = {
            "published page, public": wrk(base + path, args.seconds, args.clients, server=server.pid),
            "bare Django view, public": wrk(
                base + "/healthz/", args.seconds, args.clients, server=server.pid
            ),
            "published page, member": wrk(base + path, args.seconds, args.clients, cookie, server.pid),
            "bare Django view, member": wrk(
                base + "/healthz/", args.seconds, args.clients, cookie, server.pid
            ),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    print(
        f"\n{args.clients} concurrent clients, {args.seconds} s each, gunicorn with {args.workers} workers:"
    )
    print(
        f"{'':26} {'req/s':>8} {'p50 (ms)':>9} {'p95 (ms)':>9} {'p99 (ms)':>9} {'CPU ms/req':>10} "
        f"{'errors':>7}  load average after (1, 5, 15 min)"
    )
    for name, result in results.items():
        print(
            f"{name:26} {result['rps']:8.0f} {result['p50']:9.1f} {result['p95']:9.1f} {result['p99']:9.1f} "
            f"{result['cpu_ms']:10.2f} {result['errors']:7d}  {result['load']}"
        )
    for who in ("public", "member"):
        page, bare = results[f"published page, {who}"], results[f"bare Django view, {who}"]
        print(
            f"{who}: {page['rps'] / bare['rps']:.0%} of the bare view's throughput (target ≥ 50 %), "
            f"{page['cpu_ms'] / bare['cpu_ms']:.1f}× its CPU time per request, "
            f"p95 {page['p95']:.0f} ms (target < 200 ms)"
        )


if __name__ == "__main__":
    main()
