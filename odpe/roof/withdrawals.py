"""A withdrawal taking effect, and a convention reaching its end date, composed above the floors they touch.

On the effective date the partner leaves the convention (conventions); if it is party to no other
convention in force, its correspondents lose the right to submit (conventions), its open consent
requests close (dashboards) and so do its open data requests (uploads); under a convention that
destroys the data on exit, what it sent is destroyed (uploads) and the certificate issued (conventions).
All of it in one transaction, each step writing its own audit row. Under a data-transfer convention, the
party that received the data now owes the Département its deletion notice (PIPASE art. 3.3), which the
platform expects and chases.
"""

import logging
from datetime import date, timedelta

from django.db import transaction

from conventions import notices
from conventions import selectors as convention_selectors
from conventions import services as convention_services
from conventions.models import Convention, DestructionCertificate, Partner, Withdrawal
from dashboards.services import close_consent_requests
from odpe.audit import Actor
from uploads.data_requests.services import close_data_requests, destroy_partner_answers
from uploads.services import destroy_partner_files

logger = logging.getLogger(__name__)


def apply_due_withdrawals(today: date) -> list[Withdrawal]:
    """Apply every withdrawal whose effective date has come, each in its own transaction.

    Safe to run any number of times: an applied withdrawal is skipped.
    """
    return _each_on_its_own(
        convention_selectors.withdrawals_due(today), apply_withdrawal, today, "withdrawal"
    )


def close_ended_conventions(today: date) -> list[Convention]:
    """Close every convention whose end date has passed, each in its own transaction: it ends like a
    withdrawal of all its parties taking effect. Safe to run any number of times: a closed one is skipped."""
    return _each_on_its_own(
        convention_selectors.conventions_to_close(today), close_ended_convention, today, "convention"
    )


def _each_on_its_own(pks, apply, today: date, what: str) -> list:
    """`apply(pk, today=…, actor=platform)` for each pk; the ones it returns, those it did something to.
    One that fails must not block the others: it is logged and tried again at the next run."""
    done = []
    for pk in pks:
        try:
            result = apply(pk, today=today, actor=Actor.platform())
        except Exception:
            logger.exception("Could not apply %s %s", what, pk)
            continue
        if result is not None:
            done.append(result)
    return done


@transaction.atomic
def close_ended_convention(convention_pk, *, today: date, actor: Actor) -> Convention | None:
    """Every party leaves; each loses its rights unless another convention in force holds them; under a
    `destroy` exit policy what each sent under it is destroyed and its certificate issued."""
    ended = convention_services.end_participations(convention_pk, today=today, actor=actor)
    if ended is None:
        return None
    convention, partners = ended
    closed_on = convention.current_ends_on + timedelta(days=1)
    for partner in partners:
        notices.expect_deletion_notice(convention, partner, closed_on=closed_on, actor=actor)
        if not convention_services.is_party_to_a_convention_in_force(partner, today):
            convention_services.revoke_correspondents_submission_rights(partner, actor=actor)
            close_consent_requests(partner, actor=actor)
            close_data_requests(partner, actor=actor)
        if convention.exit_policy == Convention.ExitPolicy.DESTROY:
            destroy_received_data(convention, partner, destroyed_on=today, actor=actor)
    return convention


@transaction.atomic
def apply_withdrawal(withdrawal_pk, *, today: date, actor: Actor) -> Withdrawal | None:
    """End the signatory; remove the partner's rights if it is party to nothing else; destroy if due."""
    withdrawal = convention_services.end_participation(withdrawal_pk, today=today, actor=actor)
    if withdrawal is None:
        return None
    convention, partner = withdrawal.signatory.convention, withdrawal.signatory.partner
    notices.expect_deletion_notice(convention, partner, closed_on=withdrawal.effective_on, actor=actor)
    if not convention_services.is_party_to_a_convention_in_force(partner, today):
        convention_services.revoke_correspondents_submission_rights(partner, actor=actor)
        close_consent_requests(partner, actor=actor)
        close_data_requests(partner, actor=actor)
    if convention.exit_policy == Convention.ExitPolicy.DESTROY:
        destroy_received_data(convention, partner, destroyed_on=today, actor=actor, withdrawal=withdrawal)
    return withdrawal


def destroy_received_data(
    convention: Convention,
    partner: Partner,
    *,
    destroyed_on: date,
    actor: Actor,
    withdrawal: Withdrawal | None = None,
) -> DestructionCertificate:
    """Destroy what the partner sent under the convention and issue the certificate, once."""
    existing = convention_selectors.destruction_certificate_of(convention, partner)
    if existing is not None:
        return existing
    datasets = destroy_partner_files(partner, convention, actor=actor)
    datasets += destroy_partner_answers(partner, convention, actor=actor)
    return convention_services.issue_destruction_certificate(
        convention, partner, datasets=datasets, destroyed_on=destroyed_on, actor=actor, withdrawal=withdrawal
    )
