"""The production shape: settings computed from a production environment, and what browsers get.

Settings are read from the environment when Python imports them, so the production values come
from a separate process started with a production-like environment; the response tests then
apply exactly those values.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
HOST = "odpe.example.org"
PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "DEBUG": "false",
    "SECRET_KEY": "production-like-secret-for-the-test-" + "x" * 40,
    "DATABASE_URL": "postgres://odpe@127.0.0.1:5432/never-connected",
    "ALLOWED_HOSTS": HOST,
    "DATA_ENCRYPTION_KEYS": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
}
SECURITY_SETTINGS = [
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_AGE",
    "SESSION_IDLE_TIMEOUT",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
]
PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings; "
    f"print(json.dumps({{name: getattr(settings, name, None) for name in {SECURITY_SETTINGS!r}}}))"
)


def run(args: list[str], **env) -> subprocess.CompletedProcess:
    """Runs Python with the production environment; a variable given as None is left unset."""
    environment = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "odpe.settings", **env}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={name: value for name, value in environment.items() if value is not None},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def production_values() -> dict:
    result = run(["-c", PRINT_SETTINGS])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def production(settings, production_values):
    for name, value in production_values.items():
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)
    return Client(HTTP_HOST=HOST)


def test_the_deployment_checklist_is_clean_in_the_production_shape():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_is_https_only_with_a_one_year_hsts_including_subdomains(production_values):
    assert production_values["SECURE_SSL_REDIRECT"] is True
    assert production_values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert production_values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_values["SESSION_COOKIE_SECURE"] is True
    assert production_values["CSRF_COOKIE_SECURE"] is True


def test_the_deployment_checklist_is_clean_in_the_production_shape_without_a_database_url():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], DATABASE_URL=None)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("command", ["seed_demo", "demo_totp_code"])
def test_demo_accounts_are_refused_in_the_production_shape_without_a_database_url(command):
    result = run(["manage.py", command], DATABASE_URL=None)

    assert result.returncode != 0
    assert "production settings" in result.stderr


def test_without_a_secret_key_the_production_shape_does_not_start_whatever_the_database():
    result = run(["-c", PRINT_SETTINGS], DATABASE_URL=None, SECRET_KEY=None)

    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_make_demo_with_debug_on_may_seed_the_demo_accounts():
    print_demo = (
        "import django; django.setup(); from django.conf import settings; print(settings.DEMO_DATA_ALLOWED)"
    )
    result = run(["-c", print_demo], DEBUG="true", DATABASE_URL=None, SECRET_KEY=None, ALLOWED_HOSTS=None)

    assert result.stdout.strip() == "True", result.stderr


def test_the_embedded_demo_keeps_plain_http_for_a_local_run():
    result = run(["-c", PRINT_SETTINGS], DATABASE_URL=None, SECRET_KEY=None, DEBUG=None, ALLOWED_HOSTS=None)

    values = json.loads(result.stdout)
    assert (values["SECURE_SSL_REDIRECT"], values["SESSION_COOKIE_SECURE"]) == (False, False)


def test_a_colour_that_is_not_a_hex_colour_stops_the_start_up():
    result = run(["-c", PRINT_SETTINGS], OBSERVATORY_PRIMARY_COLOUR="red;} body{display:none")

    assert result.returncode != 0
    assert "OBSERVATORY_PRIMARY_COLOUR must be a colour" in result.stderr


def test_a_visibility_timeout_shorter_than_a_task_stops_the_start_up():
    result = run(["-c", PRINT_SETTINGS], CELERY_VISIBILITY_TIMEOUT="900")

    assert result.returncode != 0
    assert (
        "CELERY_VISIBILITY_TIMEOUT (900 s) must exceed the longest task time limit (1800 s)" in result.stderr
    )


def test_plain_http_is_sent_to_https(production, db):
    response = production.get(reverse("account_login"))

    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}{reverse('account_login')}"


def test_https_pages_carry_the_security_headers(production, db):
    response = production.get(reverse("account_login"), secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_session_cookie_is_secure_http_only_same_site_and_ends_with_the_browser(production, member):
    response = production.post(
        reverse("account_login"), {"login": member.email, "password": PASSWORD}, secure=True
    )

    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["max-age"] == ""  # a browser-session cookie: closing the browser signs out
    csrf = production.cookies["csrftoken"]
    assert (csrf["secure"], csrf["samesite"]) == (True, "Lax")


def test_a_web_worker_has_imported_every_view_before_its_first_request():
    result = run(["-c", "import sys, odpe.wsgi; print('dashboards.views.published' in sys.modules)"])

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
