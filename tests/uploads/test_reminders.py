from datetime import date

import pytest
from django.core import mail

from odpe.audit import Actor
from tests.uploads.factories import CampaignFactory, SubmissionFactory, xlsx_upload
from uploads import services
from uploads.models import ReminderSent
from uploads.reminders import milestone_on, send_due_reminders

OPENS, DUE = date(2026, 1, 5), date(2026, 3, 31)


@pytest.mark.parametrize(
    ("today", "milestone"),
    [
        (date(2026, 1, 4), None),
        (OPENS, "opening"),
        (date(2026, 2, 1), "opening"),
        (date(2026, 3, 16), "due-in-15-days"),
        (date(2026, 3, 28), "due-in-3-days"),
        (DUE, "due-in-3-days"),
        (date(2026, 4, 1), "overdue-week-1"),
        (date(2026, 4, 7), "overdue-week-1"),
        (date(2026, 4, 8), "overdue-week-2"),
    ],
)
def test_milestone_of_a_day(today, milestone):
    assert milestone_on(today, OPENS, DUE) == milestone


@pytest.fixture
def open_campaign(requirement):
    campaign = CampaignFactory(opens_on=OPENS, due_on=DUE)
    SubmissionFactory(campaign=campaign, partner=requirement.partner, spec=requirement.spec)
    return campaign


def test_correspondents_of_a_missing_table_are_reminded_at_opening(open_campaign, correspondent):
    assert send_due_reminders(OPENS) == 1

    assert [message.to for message in mail.outbox] == [[correspondent.email]]
    assert open_campaign.submissions.get().spec.title in mail.outbox[0].body


def test_a_milestone_is_never_sent_twice(open_campaign, correspondent):
    send_due_reminders(OPENS)
    send_due_reminders(OPENS)
    send_due_reminders(date(2026, 1, 20))

    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


def test_reminders_follow_the_calendar_then_weekly_while_overdue(open_campaign, correspondent):
    for day in [
        OPENS,
        date(2026, 3, 16),
        date(2026, 3, 28),
        date(2026, 4, 1),
        date(2026, 4, 3),
        date(2026, 4, 8),
    ]:
        send_due_reminders(day)

    assert len(mail.outbox) == 5
    assert "en retard" in mail.outbox[-1].subject


def test_a_table_waiting_for_review_is_not_reminded(
    open_campaign, correspondent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.receive_upload(
            open_campaign.submissions.get(),
            actor=Actor(user=correspondent),
            uploaded_file=xlsx_upload(),
            attested=True,
        )

    assert send_due_reminders(date(2026, 4, 1)) == 0
    assert mail.outbox == []


def test_a_returned_table_is_reminded(
    open_campaign, correspondent, referent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.receive_upload(
            open_campaign.submissions.get(),
            actor=Actor(user=correspondent),
            uploaded_file=xlsx_upload(),
            attested=True,
        )
    services.return_version(version, actor=Actor(user=referent), comment="Total faux")

    assert send_due_reminders(date(2026, 4, 1)) == 1
    assert "renvoyé pour correction" in mail.outbox[-1].body


def test_a_table_already_accepted_is_not_reminded_when_its_correction_is_returned(
    open_campaign, correspondent, referent, django_capture_on_commit_callbacks
):
    def upload():
        with django_capture_on_commit_callbacks(execute=True):
            return services.receive_upload(
                open_campaign.submissions.get(),
                actor=Actor(user=correspondent),
                uploaded_file=xlsx_upload(),
                attested=True,
            )

    services.accept_version(upload(), actor=Actor(user=referent))
    services.return_version(upload(), actor=Actor(user=referent), comment="Correction inutile")

    assert send_due_reminders(date(2026, 4, 1)) == 0
    assert mail.outbox == []
