"""Roles and partner rights change only through services that write the audit log; platform admins
are staff with their group's rights, never superusers."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone

from conventions.demo import seed_demo
from odpe.accounts import services
from odpe.accounts.access import partners_represented_by
from odpe.accounts.models import User
from odpe.accounts.roles import Role, roles_of
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.accounts.test_invitations import ACCEPT_FORM, accept_url, invite
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_an_invited_admin_is_staff_but_not_a_superuser_and_reaches_the_admin_pages(client, admin_user):
    _invitation, token = invite(admin_user, Role.ADMIN)
    client.post(accept_url(token), ACCEPT_FORM)

    admin = User.objects.get(email="invitee@example.org")
    assert (admin.is_staff, admin.is_superuser) == (True, False)
    TOTP.activate(admin, generate_totp_secret())
    assert signed_in(admin).get(reverse("admin:index")).status_code == 200
    event = AuditEvent.objects.get(action="role.granted", object_id=str(admin.pk))
    assert event.details == {"role": Role.ADMIN}


def test_the_admin_fixture_is_not_a_superuser(admin_user):
    assert admin_user.is_staff
    assert not admin_user.is_superuser


def test_the_seeded_demo_admin_is_not_a_superuser():
    seed_demo(timezone.localdate())  # the accounts part of `seed_demo` (the rest needs no admin)

    admin = User.objects.get(groups__name=Role.ADMIN)
    assert (admin.is_staff, admin.is_superuser) == (True, False)


def test_createsuperuser_still_makes_the_technical_superuser():
    technical = User.objects.create_superuser("technique@example.org", "Un-mot-de-passe-assez-long-42")

    assert technical.is_superuser
    assert roles_of(technical) == frozenset()


def test_granting_and_taking_back_a_role_are_audited():
    user = UserFactory()
    actor = Actor(user=UserFactory(role=Role.ADMIN))

    services.grant_role(user, Role.REFERENT, actor=actor)
    services.revoke_role(user, Role.REFERENT, actor=actor)

    assert roles_of(fresh(user)) == frozenset()
    assert list(
        AuditEvent.objects.filter(object_id=str(user.pk))
        .order_by("at", "pk")
        .values_list("action", "details")
    ) == [("role.granted", {"role": Role.REFERENT}), ("role.revoked", {"role": Role.REFERENT})]


def test_taking_the_admin_role_back_ends_the_admin_access():
    user = UserFactory(role=Role.ADMIN)

    services.revoke_role(user, Role.ADMIN, actor=Actor.platform())

    assert not fresh(user).is_staff


def test_removing_a_correspondent_takes_the_role_back_with_the_last_partner(partner, other_partner):
    user = UserFactory()
    actor = Actor.platform()
    services.add_correspondent(user, partner, actor=actor)
    services.add_correspondent(user, other_partner, actor=actor)

    services.remove_correspondent(user, partner, actor=actor)
    assert list(partners_represented_by(user)) == [other_partner]
    assert Role.CORRESPONDENT in roles_of(fresh(user))

    services.remove_correspondent(user, other_partner, actor=actor)
    assert not partners_represented_by(user).exists()
    assert Role.CORRESPONDENT not in roles_of(fresh(user))
    assert AuditEvent.objects.filter(action="partner.correspondent_added").count() == 2
    assert AuditEvent.objects.filter(action="partner.correspondent_removed").count() == 2
    assert AuditEvent.objects.filter(action="role.revoked", details={"role": Role.CORRESPONDENT}).exists()


def test_removing_someone_who_is_not_a_correspondent_of_the_partner_is_refused(correspondent, other_partner):
    with pytest.raises(TransitionError):
        services.remove_correspondent(correspondent, other_partner, actor=Actor.platform())


def test_taking_the_correspondent_role_back_ends_every_partner_right(correspondent, partner):
    services.revoke_role(correspondent, Role.CORRESPONDENT, actor=Actor.platform())

    assert not fresh(correspondent).has_perm("conventions.view_partner_data", partner)
    assert not fresh(correspondent).has_perm("conventions.submit_partner_data", partner)
