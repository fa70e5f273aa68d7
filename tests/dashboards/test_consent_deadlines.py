"""Consent requests have a deadline, are reminded while unanswered, and show the history of their reminders."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from pytest_django.asserts import assertContains

from dashboards import services
from dashboards.models import ConsentReminder
from odpe.audit import Actor
from tests.dashboards.factories import ConsentRequestFactory, observe
from tests.uploads.factories import IndicatorFactory

pytestmark = pytest.mark.django_db
ASKED = date(2026, 5, 4)


@pytest.fixture
def asked(referent, partner, correspondent, django_capture_on_commit_callbacks):
    """The 2023 dashboard waits for its only source's consent, asked on 4 May 2026."""
    observe(IndicatorFactory(label="Enfants suivis"), partner, 2023, 40)
    with time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=timezone.get_current_timezone())):
        with django_capture_on_commit_callbacks(execute=True):
            version = services.create_version(data_year=2023, actor=Actor(user=referent))
        services.submit_for_review(version, actor=Actor(user=referent))
        with django_capture_on_commit_callbacks(execute=True):
            services.request_consents(version, actor=Actor(user=referent))
    return version.consent_requests.get()


def test_a_source_is_asked_to_answer_within_three_weeks_and_the_email_says_by_when(asked):
    assert asked.due_on == ASKED + timedelta(days=services.CONSENT_ANSWER_DAYS)
    assert "Votre réponse est attendue au plus tard le 25 mai 2026." in mail.outbox[-1].body


def test_an_unanswered_request_is_late_after_its_deadline_and_an_answered_one_never(asked):
    assert not asked.is_late_on(date(2026, 5, 25))
    assert asked.is_late_on(date(2026, 5, 26))
    asked.status = asked.Status.CONSENTED

    assert not asked.is_late_on(date(2026, 5, 26))


def test_each_reminder_joins_the_requests_history(asked, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    for day in (12, 13, 20):
        with django_capture_on_commit_callbacks(execute=True):
            services.remind_pending_consents(
                datetime(2026, 5, day, 9, tzinfo=timezone.get_current_timezone())
            )

    assert [reminder.sent_at.day for reminder in asked.reminders.all()] == [12, 20]
    assert len(mail.outbox) == 2


@time_machine.travel(date(2026, 5, 27))
def test_the_source_sees_the_deadline_lateness_and_reminders(asked, correspondent_client):
    ConsentReminder.objects.create(request=asked, sent_at=timezone.now())

    response = correspondent_client.get(asked.get_absolute_url())

    assertContains(response, "Réponse attendue au plus tard le")
    assertContains(response, "25 mai 2026")
    assertContains(response, "en retard")
    assertContains(response, "Relances envoyées")
    assertContains(response, "27 mai 2026")


@time_machine.travel(date(2026, 5, 27))
def test_the_referent_sees_each_sources_deadline_and_reminders_on_the_version(asked, referent_client):
    ConsentReminder.objects.create(request=asked, sent_at=timezone.now())

    response = referent_client.get(asked.version.get_absolute_url())

    assertContains(response, "à rendre au plus tard le 25 mai 2026")
    assertContains(response, "1 relance")


def test_a_request_without_a_deadline_is_never_late(partner):
    request = ConsentRequestFactory(partner=partner, due_on=None)

    assert not request.is_late_on(date(2099, 1, 1))
