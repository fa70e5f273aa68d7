"""Passwords and invitation tokens never reach a log line, the audit log or an error report."""

import io
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from odpe.accounts.models import Invitation
from odpe.accounts.roles import Role
from odpe.logs import RedactSecrets
from odpe.models import AuditEvent
from tests import processes

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "Une-phrase-de-passe-bien-longue-7"
TOKEN_IN_LINK = re.compile(r"/invitations/accept/([\w-]+)/")


@pytest.fixture
def console(caplog):
    """What the platform's configured log handler (settings.LOGGING) writes, everything from DEBUG."""
    [handler] = [
        h for h in logging.getLogger().handlers if any(isinstance(f, RedactSecrets) for f in h.filters)
    ]
    caplog.set_level(logging.DEBUG)
    previous = handler.setStream(io.StringIO())
    yield handler.stream
    handler.setStream(previous)


@pytest.fixture
def invitation_token(admin_client, mailoutbox, django_capture_on_commit_callbacks, console):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("invitation_list"), {"email": "invitee@example.org", "role": Role.MEMBER})
    return TOKEN_IN_LINK.search(mailoutbox[0].body).group(1)


@pytest.mark.django_db
def test_inviting_and_accepting_logs_neither_the_token_nor_the_password(invitation_token, client, console):
    url = reverse("invitation_accept", args=[invitation_token])
    client.get(url)
    client.post(url, {"first_name": "A", "last_name": "B", "password1": "court", "password2": "court"})
    client.post(url, {"first_name": "A", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD})
    client.get(url)  # used already: 410

    logged = console.getvalue()
    assert Invitation.objects.get().accepted_at is not None
    assert "send_invitation_email" in logged  # the e-mail task logged, and so did the rest
    assert invitation_token not in logged
    assert PASSWORD not in logged


@pytest.mark.django_db
def test_the_audit_log_of_an_invitation_never_holds_its_token(invitation_token, client):
    client.post(
        reverse("invitation_accept", args=[invitation_token]),
        {"first_name": "A", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD},
    )

    events = list(AuditEvent.objects.values())
    assert {event["action"] for event in events} >= {"invitation.sent", "invitation.accepted"}
    assert invitation_token not in repr(events)
    assert PASSWORD not in repr(events)


@pytest.mark.django_db
def test_error_reports_mask_the_passwords_posted_to_the_invitation_page(invitation_token, client, settings):
    settings.DEBUG = False
    response = client.post(
        reverse("invitation_accept", args=[invitation_token]),
        {"first_name": "A", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD},
    )

    posted = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert posted["first_name"] == "A"
    assert posted["password1"] == posted["password2"] == SafeExceptionReporterFilter.cleansed_substitute


def test_the_log_filter_masks_a_token_in_the_message_its_arguments_and_the_traceback():
    try:
        raise ValueError("/invitations/accept/secret-token-1/")
    except ValueError:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/invitations/accept/secret-token-2/",),
            sys.exc_info(),
        )

    RedactSecrets().filter(record)

    text = logging.Formatter().format(record)
    assert "secret-token" not in text
    assert "Internal Server Error: /invitations/accept/[redacted]/" in text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_logs_a_failing_invitation_request_without_its_token(tmp_path):
    """The web server as deployed (gunicorn reads gunicorn.conf.py), on a database that is not
    there: the access log and the error's log lines both carry the request's path."""
    port, token = free_port(), "jeton-secret-de-test-0123456789abcdefghijk"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SECRET_KEY": "test-" + "x" * 50,
        "DATA_ENCRYPTION_KEYS": ",".join(settings.DATA_ENCRYPTION_KEYS),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    server = processes.start(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "odpe.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        status = request_until_up(f"http://127.0.0.1:{port}/invitations/accept/{token}/", server)
    finally:
        processes.stop(server)
        log.close()

    logged = (tmp_path / "gunicorn.log").read_text()
    assert status == 500
    assert "Internal Server Error: /invitations/accept/[redacted]/" in logged
    assert '"GET /invitations/accept/[redacted]/ HTTP/1.1" 500' in logged
    assert token not in logged


def request_until_up(url: str, server: subprocess.Popen) -> int:
    deadline = time.monotonic() + 60
    while True:
        try:
            return urllib.request.urlopen(url, timeout=10).status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)
