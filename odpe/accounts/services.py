"""Accounts come from invitations; roles are groups, per-partner rights guardian permissions."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from guardian.shortcuts import assign_perm, remove_perm

from odpe import audit
from odpe.accounts.access import CORRESPONDENT_PERMISSIONS, partners_represented_by
from odpe.accounts.models import Invitation, User, hash_token
from odpe.accounts.roles import Role, roles_of
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.queue import registered_task


def _forget_roles(user: User) -> None:
    user.__dict__.pop("_odpe_roles", None)


@transaction.atomic
def grant_role(user: User, role: str, *, actor: Actor) -> None:
    """Give a global role (its group). Admins reach the Django admin as a technical tool, with the
    rights of their group: they are staff, never superusers (only `createsuperuser` makes one)."""
    if role in roles_of(user):
        return
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    if role == Role.ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    _forget_roles(user)
    audit.record(actor, "role.granted", user, role=role)


@transaction.atomic
def revoke_role(user: User, role: str, *, actor: Actor) -> None:
    """Take a global role back. Taking the correspondent role back also ends every partner right."""
    if role not in roles_of(user):
        return
    if role == Role.CORRESPONDENT:
        for partner in partners_represented_by(user):
            _remove_partner_rights(user, partner, actor=actor)
    user.groups.remove(Group.objects.get(name=role))
    if role == Role.ADMIN and user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    _forget_roles(user)
    audit.record(actor, "role.revoked", user, role=role)


def _remove_partner_rights(user: User, partner, *, actor: Actor) -> None:
    for permission in CORRESPONDENT_PERMISSIONS:
        remove_perm(permission, user, partner)
    audit.record(actor, "partner.correspondent_removed", user, **audit.about_partner(partner))


@transaction.atomic
def add_correspondent(user: User, partner, *, actor: Actor) -> None:
    """The person acts for the partner: sees its files, uploads its tables, answers for it."""
    grant_role(user, Role.CORRESPONDENT, actor=actor)
    for permission in CORRESPONDENT_PERMISSIONS:
        assign_perm(permission, user, partner)
    audit.record(actor, "partner.correspondent_added", user, **audit.about_partner(partner))


@transaction.atomic
def remove_correspondent(user: User, partner, *, actor: Actor) -> None:
    """The person no longer acts for the partner; without another partner, the role goes too."""
    if not partners_represented_by(user).filter(pk=partner.pk).exists():
        raise TransitionError(
            _("%(user)s is not a correspondent %(of_partner)s.")
            % {"user": user, "of_partner": partner.of_name()}
        )
    _remove_partner_rights(user, partner, actor=actor)
    if not partners_represented_by(user).exists():
        revoke_role(user, Role.CORRESPONDENT, actor=actor)


@sensitive_variables("token")
@transaction.atomic
def invite_person(email: str, role: str, *, actor: Actor, partners=()) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link. Returns the invitation and its clear token."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise TransitionError(_("%(email)s already has an account.") % {"email": email})
    if role == Role.CORRESPONDENT and not partners:
        raise TransitionError(_("A correspondent must be attached to at least one partner."))
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=actor.user,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.partners.set(partners)
    audit.record(actor, "invitation.sent", invitation, role=role)  # never the token

    # Looked up now: a wrong name fails here, not after the commit.
    task = registered_task("odpe.accounts.tasks.send_invitation_email")

    # argsrepr is what Celery shows of the arguments in its logs and events: not the token.
    def send_email():
        task.apply_async(args=[str(invitation.pk), token], argsrepr=repr([str(invitation.pk), "[redacted]"]))

    # Robust: with the broker down the invitation stands (the admin sees it, and may revoke it and
    # invite again); the failure is logged, not turned into an error page.
    transaction.on_commit(send_email, robust=True)
    return invitation, token


@sensitive_variables("token")
def find_invitation(token: str) -> Invitation | None:
    return Invitation.objects.filter(token_hash=hash_token(token)).first()


@sensitive_variables("password")
@transaction.atomic
def accept_invitation(
    invitation: Invitation, *, first_name: str, last_name: str, password: str, ip=None
) -> User:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise TransitionError(
            _("This invitation has expired or was already used. Ask the administrator for a new one.")
        )
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise TransitionError(_("An account already exists for this address: sign in instead."))
    user = User.objects.create_user(invitation.email, password, first_name=first_name, last_name=last_name)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    actor = Actor(user=user, ip=ip)
    if invitation.role == Role.CORRESPONDENT:
        for partner in invitation.partners.all():
            add_correspondent(user, partner, actor=actor)
    else:
        grant_role(user, invitation.role, actor=actor)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit.record(actor, "invitation.accepted", invitation, role=invitation.role)
    return user


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, actor: Actor) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise TransitionError(_("This invitation was already accepted."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record(actor, "invitation.revoked", invitation)
    return invitation


# The address an anonymised account keeps: unique, and in a domain that can never receive mail (RFC 2606).
ANONYMISED_DOMAIN = "anonymised.invalid"


@transaction.atomic
def delete_old_invitations(before) -> int:
    """Delete the invitations accepted, revoked or expired before `before` (retention)."""
    done = Invitation.objects.filter(
        Q(accepted_at__lt=before)
        | Q(revoked_at__lt=before)
        | Q(accepted_at=None, revoked_at=None, expires_at__lt=before)
    )
    return done.delete()[1].get(Invitation._meta.label, 0)


@transaction.atomic
def anonymise_inactive_accounts(before) -> int:
    """Deactivate and anonymise the accounts of people who hold no role any more and have not signed in
    since `before` (or never did, created before it): name, address, password and second factor go.

    The account's row stays, so that what it did keeps its author in the history; the audit log, which
    is append-only, keeps the address it was written with.
    """
    people = (
        User.objects.select_for_update()
        .filter(is_superuser=False)
        .exclude(email__endswith=f"@{ANONYMISED_DOMAIN}")
        .exclude(groups__name__in=Role.values)
        .filter(Q(last_login__lt=before) | Q(last_login=None, date_joined__lt=before))
    )
    count = 0
    for user in people:
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        user.email = f"{user.pk}@{ANONYMISED_DOMAIN}"
        user.first_name = user.last_name = ""
        user.is_active = user.is_staff = False
        user.set_unusable_password()
        user.save(update_fields=["email", "first_name", "last_name", "is_active", "is_staff", "password"])
        count += 1
    return count
