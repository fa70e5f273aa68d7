"""Private services and real web processes for the fault tests.

The machine's PostgreSQL and Redis are shared with other test runs: a test that stops a service
starts its own, in a temporary folder, on a free loopback port, and stops only that one. Every process
starts in a group of its own through `tests.processes`, which stops it whatever happens.
"""

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psycopg
import pytest
import redis
from django.conf import settings

from tests import processes

ROOT = Path(__file__).resolve().parent.parent.parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def missing(what: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the fault tests: {what} is missing.")
    pytest.skip(f"needs {what}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(interval)
    pytest.fail(f"{what} after {timeout} s")


class PrivateRedis:
    """A throw-away redis-server: no persistence, so a restart loses every queued message."""

    def __init__(self, folder: Path):
        self.binary = shutil.which("redis-server") or missing("redis-server")
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = processes.start(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_until(self._answers, 30, "The private Redis does not answer")
        except BaseException:
            self.stop()
            raise

    def _answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=1).ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            processes.stop(self.process)


class PrivatePostgres:
    """A throw-away PostgreSQL cluster (initdb), run by the `postgres` account when we are root."""

    def __init__(self):
        bindir = os.environ.get("PG_BINDIR") or self._bindir()
        self.initdb, self.pg_ctl = Path(bindir) / "initdb", Path(bindir) / "pg_ctl"
        if not self.pg_ctl.exists():
            missing("PostgreSQL's server programs (initdb, pg_ctl: set PG_BINDIR)")
        # initdb refuses to run as root; its folder must belong to the account that runs the server.
        self.user = "postgres" if os.geteuid() == 0 else None
        self.folder = Path(tempfile.mkdtemp(prefix="odpe-pg-"))
        if self.user:
            account = pwd.getpwnam(self.user)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.data = self.folder / "data"
        self.port = free_port()
        self.server_group = None

    @staticmethod
    def _bindir() -> str:
        if shutil.which("pg_ctl"):
            return str(Path(shutil.which("pg_ctl")).resolve().parent)
        try:
            return subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        except FileNotFoundError:
            return ""

    def _run(self, *command) -> None:
        done = subprocess.run([str(part) for part in command], user=self.user, capture_output=True, text=True)
        if done.returncode:
            pytest.fail(f"{command[0]} failed:\n{done.stdout}\n{done.stderr}")

    def init(self) -> None:
        self._run(self.initdb, "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            self.pg_ctl, "start", "-w", "-D", self.data, "-l", self.folder / "server.log", "-o", options
        )
        # pg_ctl starts the server in a session of its own: track its group for `remove` and the
        # session-end check (never the group of this process, which a kill would reach).
        group = os.getpgid(self._postmaster())
        if group != os.getpgrp():
            self.server_group = group
            processes.register(group, f"PostgreSQL cluster {self.data}")

    def _postmaster(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        self._run(self.pg_ctl, "stop", "-w", "-m", "fast", "-D", self.data)
        if self.server_group is not None:
            processes.kill_group(self.server_group)  # nothing left after pg_ctl: forget the group
            self.server_group = None

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        """Stop the cluster at once (SIGKILL to its processes if it does not), then delete its folder."""
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [
                    self.pg_ctl,
                    "stop",
                    "-w",
                    "-t",
                    str(processes.GRACE_SECONDS),
                    "-m",
                    "immediate",
                    "-D",
                    self.data,
                ],
                user=self.user,
                capture_output=True,
            )
        if self.server_group is not None:
            processes.kill_group(self.server_group)
        shutil.rmtree(self.folder, ignore_errors=True)


def production_environment(folder: Path, **overrides: str) -> dict[str, str]:
    """The environment of a web or worker process in production shape, over plain HTTP on loopback."""
    return {
        **os.environ,
        "SECRET_KEY": settings.SECRET_KEY,  # the test process signs the sessions these processes read
        "DATA_ENCRYPTION_KEYS": ",".join(settings.DATA_ENCRYPTION_KEYS),  # and reads the files they encrypt
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "STATIC_ROOT": str(folder / "static"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **overrides,
    }


def manage(env: dict[str, str], *arguments: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        pytest.fail(f"manage.py {' '.join(arguments[:1])} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Gunicorn:
    """The platform's web process, as in production (`gunicorn odpe.wsgi`), on a free loopback port."""

    def __init__(self, folder: Path, env: dict[str, str], name: str = "web", workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / f"{name}.log"
        manage(env, "collectstatic", "--noinput")
        with self.log_path.open("w") as log:
            self.process = processes.start(
                [sys.executable, "-m", "gunicorn", "odpe.wsgi", "--bind", f"127.0.0.1:{self.port}"]
                + ["--workers", str(workers), "--access-logfile", "-"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until(self._answers, 60, f"gunicorn does not answer (its log: {self.log_path})")
        except BaseException:
            self.stop()
            raise

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"gunicorn stopped:\n{self.log_path.read_text()}")
        try:
            return httpx.get(f"{self.url}/healthz/", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        processes.stop(self.process)


class Browser:
    """A signed-in person's HTTP client: session cookie and CSRF token, as a browser sends them.

    The cookies go in a header of their own: outside the embedded default they are `Secure`, and an
    HTTP client keeps Secure cookies away from plain HTTP.
    """

    def __init__(self, base_url: str, session_key: str):
        self.csrf = secrets.token_hex(16)  # an unmasked CSRF secret: 32 letters and digits
        cookies = f"sessionid={session_key}; csrftoken={self.csrf}"
        self.client = httpx.Client(base_url=base_url, headers={"Cookie": cookies}, timeout=60)

    def get(self, path: str) -> httpx.Response:
        return self.client.get(path)

    def upload(self, path: str, name: str, content: bytes) -> httpx.Response:
        return self.client.post(
            path,
            data={"attested": "on", "csrfmiddlewaretoken": self.csrf},
            files={"file": (name, content, XLSX)},
        )

    def close(self) -> None:
        self.client.close()
