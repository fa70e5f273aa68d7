"""The personal-data breach register: an admin records a breach, the page shows the 36-hour (PIPASE
art. 8.3) and 72-hour (CNIL) clocks, notifications are recorded, and the notification is exported as a
PDF with the audit log's extract of the period. Every step is audited."""

from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertRedirects

from odpe import audit, breaches
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent, Breach

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
DISCOVERED = datetime(2026, 11, 2, 9, 0, tzinfo=PARIS)

CONTENT = {
    "title": "Tableau OLINPE envoyé au mauvais destinataire",
    "nature": "Envoi par erreur d'un export à un partenaire non habilité.",
    "people_categories": "Mineurs suivis en protection de l'enfance",
    "people_count": 120,
    "record_categories": "Parcours de placement",
    "record_count": 340,
    "consequences": "Atteinte à la confidentialité de données sensibles.",
    "measures": "Demande de suppression, accès révoqués.",
}


def record(**changes) -> Breach:
    fields = {**CONTENT, "discovered_at": DISCOVERED, "began_at": DISCOVERED - timedelta(hours=2), **changes}
    return breaches.record_breach(actor=Actor.platform(), **fields)


def form_data(**changes) -> dict:
    return {
        **CONTENT,
        "discovered_at": "2026-11-02T09:00",
        "began_at": "2026-11-02T07:00",
        **changes,
    }


@time_machine.travel(DISCOVERED + timedelta(hours=10), tick=False)
def test_admin_records_a_breach_and_sees_both_clocks_running(admin_client):
    response = admin_client.post(reverse("breach_create"), form_data())

    breach = Breach.objects.get()
    assertRedirects(response, breach.get_absolute_url())
    page = admin_client.get(breach.get_absolute_url())
    assertContains(page, "Il reste 26\u00a0h\u00a000")  # 36 h − 10 h
    assertContains(page, "Il reste 2\u00a0j 14\u00a0h")  # 72 h − 10 h, in days past two days
    assertContains(page, "120 personnes")
    event = AuditEvent.objects.get(action="breach.recorded")
    assert event.details["people"] == 120 and event.object_id == str(breach.pk)


def test_the_department_clock_is_overdue_after_36_hours_and_the_cnil_one_still_runs():
    breach = record()

    department, cnil = breaches.clocks(breach, now=DISCOVERED + timedelta(hours=40))

    assert department.late and not department.notified
    assert department.overdue_by == timedelta(hours=4)
    assert not cnil.late and cnil.remaining == timedelta(hours=32)


@time_machine.travel(DISCOVERED + timedelta(hours=50), tick=False)
def test_the_page_says_a_clock_is_overdue(admin_client):
    breach = record()

    assertContains(admin_client.get(breach.get_absolute_url()), "En retard de 14\u00a0h\u00a000")


@time_machine.travel(DISCOVERED + timedelta(hours=30), tick=False)
def test_admin_records_the_notification_to_the_department_in_time(admin_client):
    breach = record()

    response = admin_client.post(
        reverse("breach_notify", args=[breach.pk]),
        {"recipient": "department", "notified_at": "2026-11-03T11:30"},
    )

    assertRedirects(response, breach.get_absolute_url())
    breach.refresh_from_db()
    assert breach.department_notified_at == datetime(2026, 11, 3, 11, 30, tzinfo=PARIS)
    department, _cnil = breaches.clocks(breach)
    assert department.notified and not department.late
    assert AuditEvent.objects.get(action="breach.notified").details["late"] is False
    assertContains(admin_client.get(breach.get_absolute_url()), "à temps")


@time_machine.travel(DISCOVERED + timedelta(hours=80), tick=False)
def test_a_late_notification_is_recorded_as_late():
    breach = record()

    breaches.record_notification(
        breach, actor=Actor.platform(), recipient="cnil", notified_at=DISCOVERED + timedelta(hours=75)
    )

    _department, cnil = breaches.clocks(breach.__class__.objects.get(pk=breach.pk))
    assert cnil.notified and cnil.late
    assert AuditEvent.objects.get(action="breach.notified").details["late"] is True


@time_machine.travel(DISCOVERED + timedelta(hours=5), tick=False)
def test_a_notification_before_the_discovery_or_twice_is_refused():
    breach = record()

    with pytest.raises(TransitionError, match="précéder la découverte"):
        breaches.record_notification(
            breach, actor=Actor.platform(), recipient="cnil", notified_at=DISCOVERED - timedelta(hours=1)
        )
    breaches.record_notification(breach, actor=Actor.platform(), recipient="cnil", notified_at=DISCOVERED)
    with pytest.raises(TransitionError, match="déjà enregistrée"):
        breaches.record_notification(breach, actor=Actor.platform(), recipient="cnil", notified_at=DISCOVERED)


@time_machine.travel(DISCOVERED + timedelta(hours=1), tick=False)
def test_a_breach_beginning_after_its_discovery_is_refused_with_a_french_message(admin_client):
    response = admin_client.post(reverse("breach_create"), form_data(began_at="2026-11-02T10:00"))

    assertContains(response, "Une violation ne peut pas commencer après sa découverte.")
    assert not Breach.objects.exists()


def test_the_export_is_a_pdf_with_the_content_and_the_audit_extract_of_the_period(admin_client):
    with time_machine.travel(DISCOVERED - timedelta(hours=5), tick=False):
        audit.record(Actor.platform(), "user.signed_in", None, what="avant la période")
    with time_machine.travel(DISCOVERED - timedelta(hours=1), tick=False):
        audit.record(Actor.platform(), "submission.downloaded", None, what="pendant la période")
    with time_machine.travel(DISCOVERED + timedelta(hours=3), tick=False):
        breach = record()
        response = admin_client.get(reverse("breach_export", args=[breach.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert "notification-violation-2026-11-02.pdf" in response["Content-Disposition"]
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages).split()
    )
    assert "Tableau OLINPE envoyé au mauvais destinataire" in text
    assert "Tableau déposé téléchargé" in text  # the event of the period, by its label
    assert "Connexion" not in text  # the event before the breach began
    assert "120" in text and "340" in text
    assert AuditEvent.objects.get(action="breach.exported").details["events"] == 2  # download + breach


def test_the_export_prints_the_audit_extract_on_a_page_of_its_own(admin_client):
    breach = record()

    pages = PdfReader(BytesIO(admin_client.get(reverse("breach_export", args=[breach.pk])).content)).pages

    assert "Annexe" not in pages[0].extract_text()
    assert "Annexe" in pages[-1].extract_text()


def test_only_admins_reach_the_register(referent_client, member_client):
    assert referent_client.get(reverse("breach_list")).status_code == 403
    assert member_client.get(reverse("breach_create")).status_code == 403
