from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conventions import services
from conventions.models import Signatory, Withdrawal
from odpe.accounts.models import User
from odpe.accounts.services import add_correspondent
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from odpe.roof import tasks, withdrawals
from tests.conventions.factories import ConventionFactory, PartnerFactory, correspondents_of, sign

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SENT, RECEIVED, EFFECTIVE = date(2024, 11, 27), date(2024, 11, 30), date(2025, 2, 28)
SUBMIT = "conventions.submit_partner_data"


def at_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=PARIS)


def can_submit(user, partner) -> bool:
    # A fresh instance: permission checks must not come from a cache on the old object.
    return User.objects.get(pk=user.pk).has_perm(SUBMIT, partner)


@pytest.fixture
def signatory(partner, correspondent, other_partner):
    convention = ConventionFactory(multipartite=True, parties=[other_partner])
    return sign(convention, partner)


def withdraw(signatory, admin_user, sent=SENT, received=RECEIVED) -> Withdrawal:
    return services.record_withdrawal(
        signatory, actor=Actor(user=admin_user), letter_sent_on=sent, letter_received_on=received
    )


def test_recording_a_withdrawal_computes_the_effective_date_and_audits_it(signatory, admin_user):
    withdrawal = withdraw(signatory, admin_user)

    assert withdrawal.effective_on == EFFECTIVE
    assert withdrawal.recorded_by == admin_user
    assert withdrawal.applied_at is None
    event = AuditEvent.objects.get(action="withdrawal.recorded")
    assert (event.actor, event.object_id) == (admin_user, str(withdrawal.pk))
    assert event.details["effective_on"] == "2025-02-28"


def test_a_second_withdrawal_of_the_same_signatory_is_refused(signatory, admin_user):
    withdraw(signatory, admin_user)

    with pytest.raises(TransitionError):
        withdraw(signatory, admin_user, sent=date(2024, 12, 2), received=date(2024, 12, 4))

    assert Withdrawal.objects.count() == 1
    assert AuditEvent.objects.filter(action="withdrawal.recorded").count() == 1


def test_a_letter_received_before_it_was_sent_is_refused(signatory, admin_user):
    with pytest.raises(TransitionError):
        withdraw(signatory, admin_user, sent=date(2024, 11, 30), received=date(2024, 11, 27))

    assert not Withdrawal.objects.exists()
    assert not AuditEvent.objects.filter(action="withdrawal.recorded").exists()


def test_a_partner_that_has_already_left_cannot_withdraw_again(signatory, admin_user):
    signatory.left_on = date(2024, 6, 30)
    signatory.save()

    with pytest.raises(TransitionError):
        withdraw(signatory, admin_user)


def test_the_partner_stays_fully_active_during_the_notice(signatory, admin_user, correspondent, partner):
    withdraw(signatory, admin_user)
    withdrawals.apply_due_withdrawals(date(2025, 1, 15))

    with time_machine.travel(at_noon(date(2025, 1, 15)), tick=False):
        assert Signatory.objects.get(pk=signatory.pk).status == Signatory.Status.UNDER_NOTICE
    assert can_submit(correspondent, partner)
    assert Signatory.objects.get(pk=signatory.pk).left_on is None


def test_nothing_is_applied_the_day_before_the_effective_date(signatory, admin_user, correspondent, partner):
    withdrawal = withdraw(signatory, admin_user)

    assert withdrawals.apply_due_withdrawals(date(2025, 2, 27)) == []

    withdrawal.refresh_from_db()
    assert withdrawal.applied_at is None
    assert Signatory.objects.get(pk=signatory.pk).left_on is None
    assert can_submit(correspondent, partner)
    assert not AuditEvent.objects.filter(action="withdrawal.applied").exists()


def test_on_the_effective_date_the_partner_leaves_and_its_correspondents_lose_submission(
    signatory, admin_user, correspondent, partner
):
    withdrawal = withdraw(signatory, admin_user)

    applied = withdrawals.apply_due_withdrawals(EFFECTIVE)

    assert applied == [withdrawal]
    withdrawal.refresh_from_db()
    signatory.refresh_from_db()
    assert signatory.left_on == EFFECTIVE
    assert withdrawal.applied_at is not None
    assert signatory.status_on(EFFECTIVE) == Signatory.Status.LEFT
    assert not can_submit(correspondent, partner)
    assert User.objects.get(pk=correspondent.pk).has_perm("conventions.view_partner_data", partner)
    assert AuditEvent.objects.filter(action="withdrawal.applied", object_id=str(withdrawal.pk)).count() == 1
    revoked = AuditEvent.objects.get(action="partner.rights_revoked", object_id=str(partner.pk))
    assert revoked.details["users"] == [correspondent.email]


def test_every_correspondent_of_the_leaving_partner_loses_submission_for_that_partner_only(admin_user):
    leaving, staying = PartnerFactory(with_correspondent=True), PartnerFactory(with_correspondent=True)
    [shared] = correspondents_of(staying)
    add_correspondent(shared, leaving, actor=Actor.platform())  # acts for both institutions
    convention = ConventionFactory(multipartite=True, parties=[leaving, staying])
    people = correspondents_of(leaving)
    withdraw(convention.signatories.get(partner=leaving), admin_user)

    withdrawals.apply_due_withdrawals(EFFECTIVE)

    assert len(people) == 2
    assert not any(can_submit(user, leaving) for user in people)
    assert can_submit(shared, staying)


def test_a_partner_still_party_to_another_convention_in_force_keeps_submission(
    signatory, admin_user, correspondent, partner
):
    sign(ConventionFactory(bilateral=True), partner)
    withdraw(signatory, admin_user)

    withdrawals.apply_due_withdrawals(EFFECTIVE)

    assert Signatory.objects.get(pk=signatory.pk).left_on == EFFECTIVE
    assert can_submit(correspondent, partner)
    assert not AuditEvent.objects.filter(action="partner.rights_revoked").exists()


def test_another_convention_that_has_ended_does_not_keep_submission(
    signatory, admin_user, correspondent, partner
):
    ended = ConventionFactory(bilateral=True, ends_on=date(2024, 12, 31))
    sign(ended, partner)
    withdraw(signatory, admin_user)

    withdrawals.apply_due_withdrawals(EFFECTIVE)

    assert not can_submit(correspondent, partner)


def test_the_other_partners_correspondents_are_untouched(
    signatory, admin_user, other_partner, other_partner_correspondent
):
    withdraw(signatory, admin_user)

    withdrawals.apply_due_withdrawals(EFFECTIVE)

    assert can_submit(other_partner_correspondent, other_partner)


def test_applying_twice_changes_nothing_the_second_time(signatory, admin_user):
    withdrawal = withdraw(signatory, admin_user)
    withdrawals.apply_due_withdrawals(EFFECTIVE)
    withdrawal.refresh_from_db()
    first_applied_at = withdrawal.applied_at
    events = AuditEvent.objects.count()

    assert withdrawals.apply_due_withdrawals(date(2025, 3, 1)) == []

    withdrawal.refresh_from_db()
    assert withdrawal.applied_at == first_applied_at
    assert Signatory.objects.get(pk=signatory.pk).left_on == EFFECTIVE
    assert AuditEvent.objects.count() == events
    assert AuditEvent.objects.filter(action="withdrawal.applied").count() == 1


def test_a_missed_day_is_caught_up_by_the_next_run(signatory, admin_user):
    withdraw(signatory, admin_user)

    withdrawals.apply_due_withdrawals(date(2025, 3, 10))

    assert Signatory.objects.get(pk=signatory.pk).left_on == EFFECTIVE


def test_the_daily_task_applies_the_withdrawals_due_today(signatory, admin_user, correspondent, partner):
    withdrawal = withdraw(signatory, admin_user)

    with time_machine.travel(at_noon(date(2025, 2, 27)), tick=False):
        assert tasks.apply_due_withdrawals.delay().get() == []
    with time_machine.travel(at_noon(EFFECTIVE), tick=False):
        result = tasks.apply_due_withdrawals.delay().get()

    assert result == [str(withdrawal.pk)]
    assert Signatory.objects.get(pk=signatory.pk).left_on == EFFECTIVE
    assert not can_submit(correspondent, partner)
