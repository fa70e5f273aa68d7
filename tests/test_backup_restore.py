"""Backup, then restore into a new database and an empty storage: the platform serves the same things.

The restored platform runs in its own processes (migrate, restore, then requests), on a SQLite
file, and on a new PostgreSQL database when the tests themselves run on PostgreSQL (as in CI): a
backup taken on one engine restores on the other.
"""

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from conventions import services as convention_services
from odpe.accounts import services as account_services
from odpe.accounts.roles import Role
from odpe.audit import Actor
from odpe.models import AuditEvent
from odpe.roof import withdrawals
from tests.conventions.factories import ConventionFactory, PartnerFactory
from tests.dashboards.factories import DashboardVersionFactory, sample_content

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# Run in the restored platform: signs in as the admin (second factor restored with the account)
# and fetches the pages; prints the audit actions as restored, then each page's status, digest, body.
FETCH_PAGES = """
import hashlib, json
from django.test import Client
from odpe.accounts.models import User
from odpe.models import AuditEvent
actions = list(AuditEvent.objects.values_list("action", flat=True))
client = Client()
client.force_login(User.objects.get(email=EMAIL))
pages = {}
for url in URLS:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    pages[url] = [response.status_code, hashlib.sha256(body).hexdigest(), body.decode(errors="replace")]
print(json.dumps({"pages": pages, "actions": actions}))
"""


@pytest.fixture
def platform(admin_user, partner):
    """Partners (one with a logo), a convention with its signed PDF, a withdrawal, an invitation."""
    logo_partner = PartnerFactory(with_logo=True)
    convention = ConventionFactory(
        data_transfer=True, parties=[partner, logo_partner], signed_document=SimpleUploadedFile("c.pdf", PDF)
    )
    withdrawal = convention_services.record_withdrawal(
        convention.signatories.get(partner=logo_partner),
        actor=Actor(user=admin_user),
        letter_sent_on=date(2024, 3, 1),
        letter_received_on=date(2024, 3, 4),
    )
    withdrawals.apply_due_withdrawals(withdrawal.effective_on)
    account_services.invite_person("invitee@example.org", Role.MEMBER, actor=Actor(user=admin_user))
    published = DashboardVersionFactory(published=True, content=sample_content(partner, logo_partner))
    return {
        "convention": convention,
        "logo_partner": logo_partner,
        "partner": partner,
        "published": published,
    }


def digest(field) -> str:
    with field.open("rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest()


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    if connection.vendor != "postgresql":
        pytest.skip("the tests run on SQLite: no PostgreSQL server to restore into")
    settings, name = connection.settings_dict, f"odpe_restore_{uuid.uuid4().hex[:12]}"
    server = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_restored(database_url: str, files: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": database_url,
        "PRIVATE_MEDIA_ROOT": str(files),
        "SECRET_KEY": "restored-platform-" + "x" * 40,
        "ALLOWED_HOSTS": "testserver",
        # Static files as in development: the pages render without a collectstatic run.
        "DEBUG": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_a_restored_platform_serves_the_same_pages_and_files(platform, admin_user, tmp_path, fresh_database):
    convention, logo_partner = platform["convention"], platform["logo_partner"]
    archive = tmp_path / "backup.tar.gz"
    actions_before = list(AuditEvent.objects.values_list("action", flat=True))
    call_command("backup", output=archive)
    restored_files = tmp_path / "restored-files"

    run_restored(fresh_database, restored_files, "migrate", "--noinput")
    run_restored(fresh_database, restored_files, "restore", str(archive))
    urls = [
        reverse("conventions:partner_logo", args=[logo_partner.pk]),
        reverse("conventions:convention_document", args=[convention.pk]),
        reverse("conventions:convention_detail", args=[convention.pk]),
        reverse("conventions:partner_detail", args=[platform["partner"].pk]),
        reverse("invitation_list"),
        reverse("audit_log"),
        reverse("admin:index"),
        reverse("dashboards:published_version", args=[platform["published"].pk]),
        reverse("dashboards:export", args=[platform["published"].pk, "csv"]),
    ]
    script = f"EMAIL, URLS = {admin_user.email!r}, {urls!r}\n{FETCH_PAGES}"
    fetched = run_restored(fresh_database, restored_files, "shell", "-c", script)

    result = json.loads(fetched.stdout.splitlines()[-1])
    pages = result["pages"]
    assert {url: page[0] for url, page in pages.items()} == dict.fromkeys(urls, 200)
    assert pages[urls[0]][1] == digest(logo_partner.logo)
    assert pages[urls[1]][1] == hashlib.sha256(PDF).hexdigest()
    assert convention.reference in pages[urls[2]][2]
    assert logo_partner.name in pages[urls[2]][2]
    assert "invitee@example.org" in pages[urls[4]][2]
    # The same published dashboard: its page, and its data to the byte.
    assert "Enfants suivis" in pages[urls[7]][2]
    client = Client()
    client.force_login(admin_user)
    assert pages[urls[8]][1] == hashlib.sha256(client.get(urls[8]).content).hexdigest()
    assert result["actions"] == ["backup.restored", *actions_before]


def test_the_archive_holds_the_data_and_every_stored_file_and_is_private(platform, tmp_path):
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", output=archive)

    with tarfile.open(archive) as backup:
        names = set(backup.getnames())
        manifest = json.load(backup.extractfile("manifest.json"))
    assert {"manifest.json", "data.jsonl", f"files/{platform['convention'].signed_document.name}"} <= names
    assert f"files/{platform['logo_partner'].logo.name}" in names
    assert manifest["format"] == 1
    assert "odpe.0002_audit_append_only" in manifest["migrations"]
    assert archive.stat().st_mode & 0o077 == 0  # password hashes inside: owner only
    assert AuditEvent.objects.filter(action="backup.created").count() == 1


def test_a_backup_never_overwrites_an_existing_file(tmp_path, db):
    archive = tmp_path / "backup.tar.gz"
    archive.write_bytes(b"an older backup")

    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=archive)

    assert archive.read_bytes() == b"an older backup"


def test_restoring_into_a_database_that_holds_data_is_refused_before_writing_anything(platform, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive)
    count = AuditEvent.objects.count()

    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive))

    assert AuditEvent.objects.count() == count


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, db):
    archive = tmp_path / "not-a-backup.tar.gz"
    with tarfile.open(archive, "w:gz") as other:
        other.add(__file__, arcname="something.py")

    with pytest.raises(CommandError, match="manifest.json is missing"):
        call_command("restore", str(archive))
