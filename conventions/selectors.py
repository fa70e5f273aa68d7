"""Reads: what a person may see of partners and conventions."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conventions.models import (
    Amendment,
    Body,
    BodyMembership,
    Convention,
    DataRecipient,
    Decision,
    DepartmentNotice,
    DestructionCertificate,
    Meeting,
    MeetingDocument,
    Partner,
    Signatory,
    Withdrawal,
)
from odpe.accounts import access
from odpe.accounts.roles import Role, has_role

SIGNATORIES_WITH_WITHDRAWALS = Prefetch(
    "signatories", queryset=Signatory.objects.select_related("partner", "withdrawal", "via_amendment")
)


def conventions_visible_to(user) -> QuerySet[Convention]:
    # Conventions and their parties are shared with every member of the observatory.
    today = timezone.localdate()
    taking_part_today = Q(signatories__joined_on__lte=today) & (
        Q(signatories__left_on__isnull=True) | Q(signatories__left_on__gt=today)
    )  # as `Signatory.objects.active_on`: a partner whose accession starts later is not counted yet
    return Convention.objects.prefetch_related(SIGNATORIES_WITH_WITHDRAWALS).annotate(
        party_count=Count("signatories", filter=taking_part_today, distinct=True)
    )


def get_convention_for(user, pk) -> Convention:
    return get_object_or_404(
        conventions_visible_to(user)
        .select_related("parent")
        .prefetch_related(
            Prefetch("amendments", queryset=Amendment.objects.select_related("partner")),
            "destruction_certificates__partner",
            "department_notices__partner",
        ),
        pk=pk,
    )


def partners_visible_to(user) -> QuerySet[Partner]:
    return Partner.objects.all()


def get_partner_for(user, pk) -> Partner:
    return get_object_or_404(partners_visible_to(user), pk=pk)


def signatures_of(partner: Partner) -> QuerySet[Signatory]:
    return partner.signatures.select_related("convention", "withdrawal", "via_amendment").order_by(
        "-convention__takes_effect_on"
    )


def withdrawals_under_notice() -> QuerySet[Withdrawal]:
    return Withdrawal.objects.filter(
        applied_at__isnull=True, effective_on__gt=timezone.localdate()
    ).select_related("signatory__partner", "signatory__convention")


def get_certificate_for(user, pk) -> DestructionCertificate:
    return get_object_or_404(certificates_visible_to(user), pk=pk)


def withdrawals_due(today: date) -> list:
    """The ids of the withdrawals not yet applied whose effective date has come (a missed day included)."""
    return list(
        Withdrawal.objects.filter(applied_at__isnull=True, effective_on__lte=today).values_list(
            "pk", flat=True
        )
    )


def destruction_certificate_of(convention: Convention, partner: Partner) -> DestructionCertificate | None:
    return DestructionCertificate.objects.filter(convention=convention, partner=partner).first()


def conventions_to_close(today: date) -> list:
    """The ids of the conventions not yet closed whose end date has passed (a missed day included)."""
    return list(
        Convention.objects.filter(closed_at__isnull=True, current_ends_on__lt=today).values_list(
            "pk", flat=True
        )
    )


def certificates_visible_to(user) -> QuerySet[DestructionCertificate]:
    """Admins see every certificate; a correspondent those of the partners they follow."""
    certificates = DestructionCertificate.objects.select_related("convention", "partner", "withdrawal")
    if has_role(user, Role.ADMIN):
        return certificates
    return certificates.filter(partner__in=access.partners_followed_by(user))


def convention_timeline(convention: Convention, signatories: list[Signatory]) -> list[dict]:
    """The convention's life in date order: signature, entry into force, amendments, withdrawals,
    destruction certificates, the notices owed to the Département (expected, received) and its end."""
    events = [
        {"on": convention.signed_on, "kind": "signed"},
        {"on": convention.takes_effect_on, "kind": "in_force"},
    ]
    events += [{"on": a.signed_on, "kind": "amendment", "amendment": a} for a in convention.amendments.all()]
    events += [
        {"on": s.withdrawal.letter_received_on, "kind": "withdrawal", "withdrawal": s.withdrawal}
        for s in signatories
        if getattr(s, "withdrawal", None) is not None
    ]
    events += [
        {"on": c.destroyed_on, "kind": "certificate", "certificate": c}
        for c in convention.destruction_certificates.all()
    ]
    for notice in convention.department_notices.all():
        events.append({"on": notice.expected_since, "kind": "notice_expected", "notice": notice})
        if notice.notified_on is not None:
            events.append({"on": notice.notified_on, "kind": "notice_received", "notice": notice})
    if convention.current_ends_on is not None:
        events.append({"on": convention.current_ends_on, "kind": "end"})
    order = [
        "signed",
        "in_force",
        "amendment",
        "withdrawal",
        "end",
        "certificate",
        "notice_expected",
        "notice_received",
    ]
    return sorted(events, key=lambda event: (event["on"], order.index(event["kind"])))


def withdrawal_preview(
    convention: Convention,
    *,
    signatory: Signatory,
    letter_sent_on: date,
    letter_received_on: date,
    **_ignored,
) -> dict:
    """What recording this withdrawal would mean, before it is recorded: its effective date, and whether
    the partner keeps its correspondents' rights through another convention then in force."""
    effective_on = convention.notice_effective_on(letter_sent_on, letter_received_on)
    others = (
        Signatory.objects.active_on(effective_on)
        .filter(partner=signatory.partner)
        .exclude(convention=convention)
        .select_related("convention")
    )
    holding = [
        s.convention for s in others if s.convention.status_on(effective_on) != Convention.Status.ENDED
    ]
    return {
        "partner": signatory.partner,
        "effective_on": effective_on,
        "keeps_rights_through": holding,
        "destroys_data": convention.exit_policy == Convention.ExitPolicy.DESTROY,
    }


def notices_visible_to(user) -> QuerySet[DepartmentNotice]:
    """The Département's staff (admins, referents) follow every notice owed to it; a correspondent those
    owed by the partners they follow."""
    notices = DepartmentNotice.objects.select_related("convention", "partner").annotate(
        reminder_count=Count("reminders")
    )
    if access.follows_every_notice(user):
        return notices
    return notices.filter(partner__in=access.partners_followed_by(user))


def get_notice_for(user, pk) -> DepartmentNotice:
    return get_object_or_404(notices_visible_to(user).prefetch_related("reminders"), pk=pk)


def may_record_notice(user, notice: DepartmentNotice) -> bool:
    """An admin (a notice that came by mail), or a correspondent of the partner that owes it."""
    return (
        has_role(user, Role.ADMIN) or access.partners_followed_by(user).filter(pk=notice.partner_id).exists()
    )


def overdue_notices(user, today: date) -> QuerySet[DepartmentNotice]:
    """Expected notices past their due date, the latest first: for the list and the homes."""
    return (
        notices_visible_to(user)
        .filter(status=DepartmentNotice.Status.EXPECTED, due_on__lt=today)
        .order_by("due_on", "convention__reference")
    )


def notices_of(convention: Convention) -> QuerySet[DepartmentNotice]:
    return (
        convention.department_notices.select_related("convention", "partner")
        .annotate(reminder_count=Count("reminders"))
        .order_by("expected_since", "kind")
    )


def recipients_of(convention: Convention) -> QuerySet[DataRecipient]:
    return convention.recipients.select_related("partner")


# Governance bodies -------------------------------------------------------------------------------------


def _sits_in(user):
    return Q(memberships__user=user, memberships__until__isnull=True)


def bodies_visible_to(user) -> QuerySet[Body]:
    """The ODPE team sees every body; a member the bodies they sit in now."""
    if access.keeps_meetings(user):
        return Body.objects.all()
    return Body.objects.filter(_sits_in(user)).distinct()


def get_body_for(user, pk) -> Body:
    return get_object_or_404(bodies_visible_to(user), pk=pk)


def current_members(body: Body) -> QuerySet[BodyMembership]:
    return (
        body.memberships.filter(until__isnull=True)
        .select_related("user", "partner")
        .order_by("partner__name", "user__last_name", "user__email")
    )


def get_membership_for(user, pk) -> BodyMembership:
    return get_object_or_404(
        BodyMembership.objects.filter(body__in=bodies_visible_to(user)).select_related("body", "user"), pk=pk
    )


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(body__in=bodies_visible_to(user)).select_related("body")


def get_meeting_for(user, pk) -> Meeting:
    return get_object_or_404(
        meetings_visible_to(user).prefetch_related(
            "documents",
            Prefetch("decisions", queryset=Decision.objects.order_by("recorded_at")),
            Prefetch("attendees", queryset=BodyMembership.objects.select_related("user", "partner")),
        ),
        pk=pk,
    )


def get_meeting_document_for(user, pk) -> MeetingDocument:
    return get_object_or_404(
        MeetingDocument.objects.filter(meeting__in=meetings_visible_to(user)).select_related("meeting"), pk=pk
    )


def upcoming_meetings_for(user, *, now=None, limit: int = 5) -> QuerySet[Meeting]:
    """The next meetings of the bodies the person sits in, soonest first (for their home page)."""
    return (
        Meeting.objects.filter(
            body__in=Body.objects.filter(_sits_in(user)), held_at__gte=now or timezone.now()
        )
        .select_related("body")
        .order_by("held_at")[:limit]
    )


def indicator_list_decisions() -> QuerySet[Decision]:
    """The decisions that adopt a list of indicators, newest meeting first (for the catalogue)."""
    return (
        Decision.objects.filter(kind=Decision.Kind.INDICATOR_LIST)
        .select_related("meeting__body")
        .order_by("-meeting__held_at")
    )
