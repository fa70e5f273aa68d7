from datetime import date

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from odpe.audit import Actor
from odpe.models import AuditEvent
from tests.uploads.factories import CampaignFactory, SubmissionFactory, TableRequirementFactory, xlsx_upload
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
    campaign = CampaignFactory(data_year=2025, opens_on=OPENS, due_on=DUE)
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


# Reminders you can see and send (issue 15 §4) -------------------------------------------------------------

TODAY = date(2026, 4, 2)


@pytest.fixture
def accepted_elsewhere(
    open_campaign, other_partner, other_partner_correspondent, referent, django_capture_on_commit_callbacks
):
    """Another partner of the same campaign, whose table is accepted: it owes nothing."""
    requirement = TableRequirementFactory(partner=other_partner)
    submission = SubmissionFactory(campaign=open_campaign, partner=other_partner, spec=requirement.spec)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.receive_upload(
            submission,
            actor=Actor(user=other_partner_correspondent),
            uploaded_file=xlsx_upload(),
            attested=True,
        )
    services.accept_version(version, actor=Actor(user=referent))
    mail.outbox.clear()
    return submission


def remind_url(campaign) -> str:
    return reverse("uploads:campaign_remind", args=[campaign.pk])


@time_machine.travel(TODAY)
def test_the_preview_shows_the_email_and_only_those_still_missing(
    open_campaign, correspondent, accepted_elsewhere, referent_client
):
    response = referent_client.get(remind_url(open_campaign))

    assertContains(response, "Vos tableaux 2025 sont en retard")
    assertContains(response, correspondent.email)
    assertNotContains(response, accepted_elsewhere.partner.name)
    assert mail.outbox == []


@time_machine.travel(TODAY)
def test_remind_now_goes_only_to_those_still_missing_and_is_recorded(
    open_campaign,
    correspondent,
    accepted_elsewhere,
    referent,
    referent_client,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = referent_client.post(remind_url(open_campaign))

    assertRedirects(response, open_campaign.get_absolute_url(), fetch_redirect_response=False)
    assert [message.to for message in mail.outbox] == [[correspondent.email]]
    (reminder,) = ReminderSent.objects.filter(milestone=ReminderSent.MANUAL)
    assert (reminder.partner_id, reminder.sent_by) == (correspondent_partner(open_campaign), referent)
    event = AuditEvent.objects.get(action="campaign.reminded")
    assert event.details == {"partners": [reminder.partner.name], "tables": 1}


def correspondent_partner(campaign):
    return campaign.submissions.get(accepted_version__isnull=True).partner_id


@time_machine.travel(TODAY)
def test_remind_now_can_be_sent_again_after_a_daily_reminder(
    open_campaign, correspondent, referent_client, django_capture_on_commit_callbacks
):
    send_due_reminders(TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        referent_client.post(remind_url(open_campaign))
        referent_client.post(remind_url(open_campaign))

    assert len(mail.outbox) == 3
    assert ReminderSent.objects.filter(milestone=ReminderSent.MANUAL).count() == 2


@time_machine.travel(TODAY)
def test_with_nobody_missing_remind_now_says_so_and_sends_nothing(
    open_campaign, accepted_elsewhere, referent_client
):
    open_campaign.submissions.exclude(pk=accepted_elsewhere.pk).delete()

    response = referent_client.post(remind_url(open_campaign), follow=True)

    assertContains(response, "personne à relancer")
    assert mail.outbox == []


@time_machine.travel(TODAY)
def test_remind_now_is_rate_limited(open_campaign, correspondent, referent_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "remind_partners": "1/h/user"}

    statuses = [referent_client.post(remind_url(open_campaign)).status_code for _ in range(2)]

    assert statuses == [302, 429]
    assert ReminderSent.objects.count() == 1


@time_machine.travel(TODAY)
def test_the_matrix_shows_each_tables_reminders_and_the_correspondents_contacts(
    open_campaign, correspondent, referent_client
):
    send_due_reminders(TODAY)

    response = referent_client.get(open_campaign.get_absolute_url())

    assertContains(response, f'<a href="mailto:{correspondent.email}">{correspondent.email}</a>', html=True)
    assertContains(response, "1 relance")
    assertContains(response, "Relance automatique\u00a0: semaine 1 de retard")


@time_machine.travel(TODAY)
def test_the_table_page_shows_its_reminders_to_the_correspondent(
    open_campaign, correspondent_client, referent_client, django_capture_on_commit_callbacks
):
    referent_client.post(remind_url(open_campaign))

    response = correspondent_client.get(open_campaign.submissions.get().get_absolute_url())

    assertContains(response, "Relances envoyées")
    assertContains(response, "Relance immédiate par")


def test_the_matrix_reads_contacts_and_reminders_in_a_bounded_number_of_queries(
    open_campaign, correspondent, referent_client, django_assert_max_num_queries
):
    for _ in range(5):
        requirement = TableRequirementFactory()
        SubmissionFactory(campaign=open_campaign, partner=requirement.partner, spec=requirement.spec)
    send_due_reminders(OPENS)

    with django_assert_max_num_queries(40):
        referent_client.get(open_campaign.get_absolute_url())
