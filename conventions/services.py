"""Every write that matters on partners and conventions: one function per transition."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from guardian.shortcuts import remove_perm

from conventions import notifications
from conventions.models import (
    Amendment,
    Body,
    BodyMembership,
    Convention,
    DestructionCertificate,
    Partner,
    Signatory,
    Withdrawal,
)
from odpe import audit
from odpe.accounts import access
from odpe.accounts.roles import Role
from odpe.accounts.services import grant_role, revoke_role
from odpe.audit import Actor
from odpe.errors import TransitionError


def current_parties(convention: Convention) -> list[Partner]:
    return [s.partner for s in convention.signatories.filter(left_on__isnull=True).select_related("partner")]


def tell_on_commit(convention: Convention, partners: list[Partner], message: str, actor: Actor) -> None:
    """Once the transaction commits, the partners' correspondents and the referents get `message`."""

    def send():
        notifications.send_convention_news(convention, partners, message, triggered_by=actor.user)

    transaction.on_commit(send)


@transaction.atomic
def create_convention(*, actor: Actor, **fields) -> Convention:
    """A signed convention enters the platform; its end date as signed is its current end date."""
    convention = Convention(**fields)
    convention.current_ends_on = convention.ends_on
    convention.save()
    audit.record(actor, "convention.created", convention, kind=convention.kind)
    return convention


@transaction.atomic
def add_signatory(convention: Convention, partner: Partner, *, actor: Actor, joined_on: date | None = None):
    """A partner that signed the convention itself (a later one joins by an accession amendment)."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.closed_at is not None:
        raise TransitionError(_("This convention has ended: no partner can sign it any more."))
    if convention.signatories.filter(partner=partner, left_on__isnull=True).exists():
        raise TransitionError(
            _("%(partner)s is already a party to this convention.")
            % {"partner": capfirst(partner.with_article())}
        )
    signatory = Signatory.objects.create(
        convention=convention, partner=partner, joined_on=joined_on or convention.takes_effect_on
    )
    audit.record(
        actor, "signatory.added", signatory, convention=convention.reference, **audit.about_partner(partner)
    )
    with translation.override(settings.LANGUAGE_CODE):
        message = _("%(partner)s is recorded as a signatory of this convention.") % {
            "partner": capfirst(partner.with_article(full=True))
        }
    tell_on_commit(convention, [partner], message, actor)
    return signatory


@transaction.atomic
def attach_signed_document(convention: Convention, document, *, actor: Actor) -> Convention:
    """The signed PDF (checked as a PDF from its bytes by the form); a new upload replaces the old one."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    replaced = bool(convention.signed_document)
    convention.signed_document = document
    convention.save(update_fields=["signed_document"])
    audit.record(actor, "convention.document_uploaded", convention, replaced=replaced)
    with translation.override(settings.LANGUAGE_CODE):
        message = _("The signed document of the convention is available on the platform.")
    tell_on_commit(convention, current_parties(convention), message, actor)
    return convention


PARTNER_EDITABLE_FIELDS = ("article", "name", "short_name", "kind", "representative_title", "address", "logo")


@transaction.atomic
def update_partner(partner: Partner, *, actor: Actor, **changes) -> Partner:
    """A partner's identity and logo; the audit row names the fields that changed."""
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    changed = [
        name for name in PARTNER_EDITABLE_FIELDS if name in changes and changes[name] != getattr(locked, name)
    ]
    for name in changed:
        setattr(locked, name, changes[name])
    if changed:
        locked.save(update_fields=changed)
    audit.record(actor, "partner.updated", locked, fields=changed, **audit.about_partner(locked))

    def send():
        notifications.send_partner_updated(locked, triggered_by=actor.user)

    transaction.on_commit(send)
    return locked


@transaction.atomic
def record_amendment(
    convention: Convention,
    *,
    actor: Actor,
    signed_on: date,
    takes_effect_on: date,
    subject: str,
    effect: str,
    partner: Partner | None = None,
    new_end_date: date | None = None,
    signed_document=None,
) -> Amendment:
    """Record an avenant and apply its effect: a new signatory, or a new end date."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if effect == Amendment.Effect.PARTNER_ACCESSION:
        if partner is None:
            raise TransitionError(_("An accession amendment must name the acceding partner."))
        if convention.signatories.filter(partner=partner, left_on__isnull=True).exists():
            raise TransitionError(
                _("%(partner)s is already a party to this convention.")
                % {"partner": capfirst(partner.with_article())}
            )
    if effect == Amendment.Effect.CHANGE_OF_END_DATE and new_end_date is None:
        raise TransitionError(_("An amendment changing the end date must give the new date."))
    number = (convention.amendments.aggregate(last=Max("number"))["last"] or 0) + 1
    amendment = Amendment.objects.create(
        convention=convention,
        number=number,
        signed_on=signed_on,
        takes_effect_on=takes_effect_on,
        subject=subject,
        effect=effect,
        partner=partner if effect == Amendment.Effect.PARTNER_ACCESSION else None,
        new_end_date=new_end_date if effect == Amendment.Effect.CHANGE_OF_END_DATE else None,
        signed_document=signed_document or "",
    )
    if effect == Amendment.Effect.PARTNER_ACCESSION:
        Signatory.objects.create(
            convention=convention, partner=partner, joined_on=takes_effect_on, via_amendment=amendment
        )
    elif effect == Amendment.Effect.CHANGE_OF_END_DATE:
        convention.current_ends_on = new_end_date
        convention.save(update_fields=["current_ends_on"])
    concerns = audit.about_partner(partner) if effect == Amendment.Effect.PARTNER_ACCESSION else {}
    audit.record(
        actor, "amendment.recorded", amendment, convention=convention.reference, effect=effect, **concerns
    )
    told = [partner] if effect == Amendment.Effect.PARTNER_ACCESSION else current_parties(convention)
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Amendment no. %(number)s was recorded: %(subject)s (%(effect)s).") % {
            "number": amendment.number,
            "subject": subject,
            "effect": amendment.get_effect_display(),
        }
    tell_on_commit(convention, told, message, actor)
    return amendment


@transaction.atomic
def record_withdrawal(
    signatory: Signatory,
    *,
    actor: Actor,
    letter_sent_on: date,
    letter_received_on: date,
    initiated_by: str = Withdrawal.InitiatedBy.PARTNER,
    reason: str = "",
) -> Withdrawal:
    """Register a dénonciation; the partner stays fully active until the effective date."""
    signatory = (
        Signatory.objects.select_for_update().select_related("convention", "partner").get(pk=signatory.pk)
    )
    if signatory.left_on is not None:
        raise TransitionError(
            _("%(partner)s has already left this convention.")
            % {"partner": capfirst(signatory.partner.with_article())}
        )
    if Withdrawal.objects.filter(signatory=signatory).exists():
        raise TransitionError(
            _("A withdrawal %(of_partner)s is already recorded.")
            % {"of_partner": signatory.partner.of_name()}
        )
    if letter_received_on < letter_sent_on:
        raise TransitionError(_("The letter cannot be received before it was sent."))
    withdrawal = Withdrawal.objects.create(
        signatory=signatory,
        initiated_by=initiated_by,
        letter_sent_on=letter_sent_on,
        letter_received_on=letter_received_on,
        effective_on=signatory.convention.notice_effective_on(letter_sent_on, letter_received_on),
        reason=reason,
        recorded_by=actor.user,
    )
    audit.record(
        actor,
        "withdrawal.recorded",
        withdrawal,
        convention=signatory.convention.reference,
        effective_on=withdrawal.effective_on.isoformat(),
        **audit.about_partner(signatory.partner),
    )
    with translation.override(settings.LANGUAGE_CODE):
        message = _("The withdrawal %(of_partner)s was recorded: it takes effect on %(date)s.") % {
            "of_partner": signatory.partner.of_name(full=True),
            "date": withdrawal.effective_on.strftime("%d/%m/%Y"),
        }
    tell_on_commit(signatory.convention, [signatory.partner], message, actor)
    return withdrawal


def end_participation(withdrawal_pk, *, today: date, actor: Actor) -> Withdrawal | None:
    """The withdrawing signatory leaves the convention on the effective date: the conventions' part of a
    withdrawal taking effect, which `odpe.roof.withdrawals` composes with the other apps' parts.

    Runs in the caller's transaction (it locks the withdrawal). None when the withdrawal is already
    applied or not yet due.
    """
    withdrawal = (
        Withdrawal.objects.select_for_update()
        .select_related("signatory__convention", "signatory__partner")
        .get(pk=withdrawal_pk)
    )
    if withdrawal.applied_at is not None or withdrawal.effective_on > today:
        return None
    signatory = withdrawal.signatory
    signatory.left_on = withdrawal.effective_on
    signatory.save(update_fields=["left_on"])
    withdrawal.applied_at = timezone.now()
    withdrawal.save(update_fields=["applied_at"])
    audit.record(
        actor,
        "withdrawal.applied",
        withdrawal,
        convention=signatory.convention.reference,
        **audit.about_partner(signatory.partner),
    )
    return withdrawal


def end_participations(convention_pk, *, today: date, actor: Actor):
    """The conventions' part of a convention reaching its end date: every current party leaves the day
    after it, and the convention is closed. Runs in the caller's transaction (it locks the convention);
    None when the convention is already closed or not yet ended. Returns the convention and the partners
    that left, for `odpe.roof.withdrawals` to compose with the other apps' parts."""
    convention = Convention.objects.select_for_update().get(pk=convention_pk)
    if convention.closed_at is not None or convention.current_ends_on is None:
        return None
    if convention.current_ends_on >= today:
        return None
    left_on = convention.current_ends_on + timedelta(days=1)
    signatories = list(
        convention.signatories.filter(left_on__isnull=True)
        .select_related("partner")
        .order_by("partner__name")
    )
    for signatory in signatories:
        signatory.left_on = max(left_on, signatory.joined_on)
        signatory.save(update_fields=["left_on"])
    convention.closed_at = timezone.now()
    convention.save(update_fields=["closed_at"])
    audit.record(
        actor,
        "convention.ended",
        convention,
        ends_on=convention.current_ends_on.isoformat(),
        partners=[s.partner.name for s in signatories],
    )
    return convention, [s.partner for s in signatories]


def is_party_to_a_convention_in_force(partner: Partner, today: date) -> bool:
    signatures = Signatory.objects.active_on(today).filter(partner=partner).select_related("convention")
    return any(s.convention.status_on(today) != Convention.Status.ENDED for s in signatures)


def revoke_correspondents_submission_rights(partner: Partner, *, actor: Actor) -> list:
    """Correspondents keep sight of what they sent, but can no longer upload or consent."""
    users = list(access.correspondents_acting_for(partner))
    for user in users:
        remove_perm(access.SUBMIT_PARTNER_DATA, user, partner)
    audit.record(actor, "partner.rights_revoked", partner, users=[u.email for u in users])
    return users


def issue_destruction_certificate(
    convention: Convention,
    partner: Partner,
    *,
    datasets: list[dict],
    destroyed_on: date,
    actor: Actor,
    withdrawal: Withdrawal | None = None,
) -> DestructionCertificate:
    """The certificate that what the partner sent under the convention (`datasets`, as the collection
    destroyed them) is destroyed. Issued once: `odpe.roof.withdrawals.destroy_received_data` destroys
    and calls it only when `conventions.selectors.destruction_certificate_of` finds none."""
    certificate = DestructionCertificate.objects.create(
        convention=convention,
        partner=partner,
        withdrawal=withdrawal,
        destroyed_on=destroyed_on,
        datasets=datasets,
    )
    audit.record(
        actor,
        "data.destroyed",
        certificate,
        convention=convention.reference,
        datasets=len(datasets),
        **audit.about_partner(partner),
    )

    def send():
        notifications.send_destruction_certificate(certificate)

    transaction.on_commit(send)
    return certificate


@transaction.atomic
def end_body_membership(
    membership: BodyMembership, *, actor: Actor, on: date | None = None
) -> BodyMembership:
    """End a membership of a governance body. The member role goes with it, unless the person still
    sits in another body."""
    membership = (
        BodyMembership.objects.select_for_update(of=("self",))
        .select_related("body", "partner", "user")
        .get(pk=membership.pk)
    )
    on = on or timezone.localdate()
    if membership.until is not None and membership.until <= on:
        raise TransitionError(
            _("This membership already ended on %(date)s.") % {"date": membership.until.strftime("%d/%m/%Y")}
        )
    membership.until = on
    membership.save(update_fields=["until"])
    concerns = audit.about_partner(membership.partner) if membership.partner is not None else {}
    audit.record(
        actor,
        "body.membership_ended",
        membership,
        body=membership.body.kind,
        body_id=membership.body_id,
        **concerns,
    )
    standing = BodyMembership.objects.filter(user=membership.user).exclude(pk=membership.pk)
    if not standing.filter(Q(until__isnull=True) | Q(until__gt=on)).exists():
        revoke_role(membership.user, Role.MEMBER, actor=actor)
    return membership


@transaction.atomic
def add_body_member(body, user, *, actor: Actor, partner: Partner | None = None, since: date | None = None):
    """Membership of a governance body gives the member role. A person representing an organisation
    takes one of its seats: no more than the body's limit per organisation (charter art. IV: two)."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    current = BodyMembership.objects.filter(body=body, until__isnull=True)
    if current.filter(user=user).exists():
        raise TransitionError(
            _("%(person)s already sits in %(body)s.")
            % {"person": user.get_full_name() or user.email, "body": body}
        )
    seat = None
    if partner is not None:
        taken = set(current.filter(partner=partner).values_list("seat", flat=True))
        limit = body.representatives_per_partner
        free = [n for n in range(1, (limit or len(taken) + 1) + 1) if n not in taken]
        if not free:
            raise TransitionError(
                _("%(partner)s already has %(count)s representatives in %(body)s, the most it may have.")
                % {"partner": capfirst(partner.with_article()), "count": limit, "body": body}
            )
        seat = free[0]
    membership = BodyMembership.objects.create(
        body=body, user=user, partner=partner, seat=seat, since=since or timezone.localdate()
    )
    grant_role(user, Role.MEMBER, actor=actor)
    concerns = audit.about_partner(partner) if partner is not None else {}
    audit.record(actor, "body.member_added", membership, body=body.kind, body_id=body.pk, **concerns)
    return membership
