"""What waits for the administrators in the conventions: ends and withdrawals coming (see `odpe.worklist`)."""

from datetime import date, timedelta

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conventions.models import ENDING_SOON_DAYS, Convention, Withdrawal
from odpe.worklist import Task, urgency_for


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
