"""What waits in the conventions: ends and withdrawals coming, notices owed to the Département, the next
meetings of one's bodies (see `odpe.worklist`)."""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conventions import selectors
from conventions.models import ENDING_SOON_DAYS, Convention, Withdrawal
from odpe.worklist import Task, Urgency, urgency_for


def conventions_ending(today: date) -> list[Task]:
    """Conventions reaching their end date within ENDING_SOON_DAYS: renew them by an amendment, or let
    them close."""
    ending = Convention.objects.filter(
        closed_at__isnull=True,
        current_ends_on__gte=today,
        current_ends_on__lte=today + timedelta(days=ENDING_SOON_DAYS),
    ).order_by("current_ends_on")
    return [
        Task(
            title=_("Convention %(reference)s ends") % {"reference": convention.reference},
            detail=convention.title,
            url=convention.get_absolute_url(),
            due_on=convention.current_ends_on,
            urgency=urgency_for(convention.current_ends_on, today),
        )
        for convention in ending
    ]


def withdrawals_coming(today: date) -> list[Task]:
    """Withdrawals under notice, the nearest first: the partner leaves on the effective date."""
    withdrawals = (
        Withdrawal.objects.filter(applied_at__isnull=True, effective_on__gte=today)
        .select_related("signatory__partner", "signatory__convention")
        .order_by("effective_on")
    )
    return [
        Task(
            title=_("%(partner)s leaves convention %(reference)s")
            % {
                "partner": capfirst(withdrawal.signatory.partner.with_article(full=True)),
                "reference": withdrawal.signatory.convention.reference,
            },
            detail=ngettext("Under notice: %(days)s day left.", "Under notice: %(days)s days left.", days)
            % {"days": days},
            url=withdrawal.signatory.convention.get_absolute_url(),
            due_on=withdrawal.effective_on,
            urgency=urgency_for(withdrawal.effective_on, today),
        )
        for withdrawal in withdrawals
        for days in [withdrawal.days_left(today)]
    ]


def notices_overdue(user, today: date) -> list[Task]:
    """Notices owed to the Département under a data-transfer convention and past their due date (PIPASE
    art. 3.3 and 4.2): the Département's staff see them all, a correspondent those of their partners."""
    return [
        Task(
            title=_("%(kind)s %(of_partner)s under %(reference)s")
            % {
                "kind": notice.get_kind_display(),
                "of_partner": notice.partner.of_name(full=True),
                "reference": notice.convention.reference,
            },
            detail=ngettext("%(days)s day late.", "%(days)s days late.", days) % {"days": days},
            url=notice.get_absolute_url(),
            due_on=notice.due_on,
            urgency=urgency_for(notice.due_on, today),
        )
        for notice in selectors.overdue_notices(user, today)
        for days in [notice.days_late(today)]
    ]


def next_meetings(user, today: date) -> list[Task]:
    """The next meetings of the bodies the person sits in."""
    return [
        Task(
            title=str(meeting),
            detail=meeting.place,
            url=meeting.get_absolute_url(),
            due_on=timezone.localtime(meeting.held_at).date(),
            urgency=Urgency.INFO,
        )
        for meeting in selectors.upcoming_meetings_for(user)
    ]
