"""Reads: what a person may see of partners and conventions."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conventions.models import Amendment, Convention, DestructionCertificate, Partner, Signatory, Withdrawal
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
    destruction certificates and its end."""
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
    if convention.current_ends_on is not None:
        events.append({"on": convention.current_ends_on, "kind": "end"})
    order = ["signed", "in_force", "amendment", "withdrawal", "end", "certificate"]
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
