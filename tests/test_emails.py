"""E-mails: one-line subjects, tried again when the mail server fails, and a failure nobody misses."""

import smtplib
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from dashboards import documents
from dashboards.models import Document
from odpe.audit import Actor
from odpe.celery import app
from odpe.models import AuditEvent
from odpe.notifications import send_templated
from odpe.tasks import send_email
from tests.dashboards.factories import DocumentFactory, upload
from tests.dashboards.test_document_pages import form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def retries_as_a_worker_makes_them():
    """In-process tasks that propagate errors cannot retry (the Retry itself propagates); a worker retries
    by delivering the task again, which in-process tasks do when they do not propagate."""
    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


@pytest.fixture
def failing_smtp(monkeypatch):
    """A mail server that never answers: the outside world, the only thing these tests replace."""
    attempts = []

    def refuse(self, messages):
        attempts.append(messages)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    return attempts


def test_a_title_with_a_line_break_still_gets_its_e_mail_out_on_one_line(
    referent, correspondent, partner, django_capture_on_commit_callbacks
):
    document = DocumentFactory(partner=partner, title="Étude\r\nBcc: tout-le-monde@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        documents.validate_document(document, actor=Actor(user=referent))

    [message] = mail.outbox
    assert message.subject == "« Étude Bcc: tout-le-monde@example.org » est en ligne sur l’extranet"
    assert message.to == [correspondent.email]
    assert not AuditEvent.objects.filter(action="email.failed").exists()


def test_the_document_title_field_keeps_a_title_on_one_line(correspondent_client, partner):
    correspondent_client.post(
        reverse("dashboards:document_share"),
        form(partner, upload("etude.pdf"), title="Étude sur\nl’accueil   familial"),
    )

    assert Document.objects.get().title == "Étude sur l’accueil familial"


def test_a_failing_mail_server_is_tried_again_before_the_e_mail_is_given_up(failing_smtp, referent):
    send_templated(
        "invitation",
        {"invitation": None, "link": "https://odpe.example.org/x"},
        ["a@example.org", "b@example.org"],
        triggered_by=referent,
    )

    assert len(failing_smtp) == send_email.max_retries + 1
    event = AuditEvent.objects.get(action="email.failed")
    assert event.details["recipients"] == 2
    assert event.details["triggered_by"] == str(referent.pk)
    assert event.details["subject"].startswith("Votre invitation")
    assert event.details["error"] == "SMTPServerDisconnected"


def test_a_mail_server_that_answers_at_the_second_try_delivers_the_e_mail(monkeypatch):
    real_send = mail.backends.locmem.EmailBackend.send_messages
    attempts = []

    def flaky(self, messages):
        attempts.append(messages)
        if len(attempts) == 1:
            raise ConnectionRefusedError("mail server restarting")
        return real_send(self, messages)

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", flaky)

    send_email.delay("Objet", "Corps", ["a@example.org"], None)

    assert len(attempts) == 2
    assert [message.subject for message in mail.outbox] == ["Objet"]
    assert not AuditEvent.objects.filter(action="email.failed").exists()


def test_the_referent_whose_decision_could_not_be_told_sees_it_on_the_home_page(
    failing_smtp, referent, referent_client, correspondent, partner, django_capture_on_commit_callbacks
):
    document = DocumentFactory(partner=partner, title="Étude sur l’accueil")

    with django_capture_on_commit_callbacks(execute=True):  # robust: the decision stands, the request goes on
        documents.validate_document(document, actor=Actor(user=referent))

    page = referent_client.get(reverse("home")).content.decode()
    assert "n’a pas pu être envoyé" in page
    assert "« Étude sur l’accueil » est en ligne sur l’extranet" in page
    document.refresh_from_db()
    assert document.status == Document.Status.VALIDATED


def test_someone_else_does_not_see_the_failed_e_mail(
    failing_smtp, referent, admin_client, correspondent, partner, django_capture_on_commit_callbacks
):
    document = DocumentFactory(partner=partner, title="Étude sur l’accueil")
    with django_capture_on_commit_callbacks(execute=True):
        documents.validate_document(document, actor=Actor(user=referent))

    page = admin_client.get(reverse("home")).content.decode()

    assert "n’a pas pu être envoyé" not in page


def test_make_demo_serves_the_e_mail_links_on_its_own_host_and_port():
    """`make demo PORT=8123` seeds and serves with SITE_URL on that port, so e-mail links lead to the demo."""
    commands = subprocess.run(
        ["make", "--dry-run", "--always-make", "demo", "HOST=127.0.0.1", "PORT=8123"],
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()

    serving = [line for line in commands if "runserver" in line or "seed_demo" in line]
    assert len(serving) == 2
    assert all("SITE_URL=http://127.0.0.1:8123 " in line for line in serving)
