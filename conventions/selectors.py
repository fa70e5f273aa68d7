"""Reads: what a person may see of partners and conventions."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conventions.models import Amendment, Convention, DestructionCertificate, Partner, Signatory, Withdrawal

SIGNATORIES_WITH_WITHDRAWALS = Prefetch(
    "signatories", queryset=Signatory.objects.select_related("partner", "withdrawal", "via_amendment")
)


def conventions_visible_to(user) -> QuerySet[Convention]:
    # Conventions and their parties are shared with every member of the observatory.
    return Convention.objects.prefetch_related(SIGNATORIES_WITH_WITHDRAWALS).annotate(
        party_count=Count("signatories", filter=Q(signatories__left_on__isnull=True), distinct=True)
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
    return get_object_or_404(DestructionCertificate.objects.select_related("convention", "partner"), pk=pk)


def withdrawals_due(today: date) -> list:
    """The ids of the withdrawals not yet applied whose effective date has come (a missed day included)."""
    return list(
        Withdrawal.objects.filter(applied_at__isnull=True, effective_on__lte=today).values_list(
            "pk", flat=True
        )
    )


def destruction_certificate_of(convention: Convention, partner: Partner) -> DestructionCertificate | None:
    return DestructionCertificate.objects.filter(convention=convention, partner=partner).first()
