import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects, assertTemplateUsed

from odpe.accounts import services
from odpe.accounts.models import Invitation, User, hash_token
from odpe.accounts.roles import Role, roles_of
from odpe.audit import Actor
from odpe.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Une-phrase-de-passe-bien-longue-7"
ACCEPT_FORM = {
    "first_name": "Camille",
    "last_name": "Martin",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
}


def invite(admin_user, role=Role.MEMBER, partners=()) -> tuple[Invitation, str]:
    return services.invite_person(
        "invitee@example.org", role, actor=Actor(user=admin_user), partners=partners
    )


def accept_url(token: str) -> str:
    return reverse("invitation_accept", args=[token])


def test_signup_page_is_closed(client):
    response = client.get(reverse("account_signup"))

    assertTemplateUsed(response, "account/signup_closed.html")


def test_posting_the_signup_form_creates_no_account(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "intrus@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assertTemplateUsed(response, "account/signup_closed.html")
    assert not User.objects.filter(email="intrus@example.org").exists()


def test_admin_invites_someone_who_receives_a_link_by_email(
    admin_client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("invitation_list"), {"email": "Camille.Martin@Example.org", "role": Role.REFERENT}
        )

    assertRedirects(response, reverse("invitation_list"), fetch_redirect_response=False)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "camille.martin@example.org",
        Role.REFERENT,
        admin_user,
    )
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    [email] = mailoutbox
    assert email.to == ["camille.martin@example.org"]
    token = re.search(r"/invitations/accept/([\w-]+)/", email.body).group(1)
    assert hash_token(token) == invitation.token_hash
    event = AuditEvent.objects.get(action="invitation.sent")
    assert (event.actor, event.object_id) == (admin_user, str(invitation.pk))


def test_a_correspondent_invitation_needs_a_partner(admin_client):
    response = admin_client.post(
        reverse("invitation_list"), {"email": "c@example.org", "role": Role.CORRESPONDENT}
    )

    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_nobody_is_invited_twice_once_they_have_an_account(admin_client, member):
    response = admin_client.post(reverse("invitation_list"), {"email": member.email, "role": Role.MEMBER})

    assert response.status_code == 200
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role_client", ["referent_client", "member_client", "correspondent_client"])
def test_only_an_admin_can_invite(request, role_client):
    client = request.getfixturevalue(role_client)

    response = client.post(reverse("invitation_list"), {"email": "x@example.org", "role": Role.ADMIN})

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_accepting_creates_the_account_with_the_invited_role(client, admin_user):
    invitation, token = invite(admin_user, Role.REFERENT)

    response = client.post(accept_url(token), ACCEPT_FORM)

    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    user = User.objects.get(email="invitee@example.org")
    assert (user.first_name, user.last_name) == ("Camille", "Martin")
    assert user.check_password(NEW_PASSWORD)
    assert roles_of(user) == {Role.REFERENT}
    assert not user.is_staff
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert AuditEvent.objects.filter(action="invitation.accepted", actor=user).count() == 1
    assert int(client.session["_auth_user_id"]) == user.pk


def test_an_accepted_correspondent_acts_for_the_invited_partners_only(
    client, admin_user, partner, other_partner
):
    _invitation, token = invite(admin_user, Role.CORRESPONDENT, partners=[partner])

    client.post(accept_url(token), ACCEPT_FORM)

    user = User.objects.get(email="invitee@example.org")
    assert roles_of(user) == {Role.CORRESPONDENT}
    assert user.has_perm("conventions.view_partner_data", partner)
    assert user.has_perm("conventions.submit_partner_data", partner)
    assert not user.has_perm("conventions.submit_partner_data", other_partner)


def test_an_expired_invitation_cannot_be_accepted(client, admin_user):
    invitation, token = invite(admin_user)

    with time_machine.travel(invitation.expires_at + timedelta(minutes=1)):
        response = client.post(accept_url(token), ACCEPT_FORM)

    assert response.status_code == 410
    assert not User.objects.filter(email="invitee@example.org").exists()


def test_an_invitation_cannot_be_used_twice(client, admin_user):
    _invitation, token = invite(admin_user)
    client.post(accept_url(token), ACCEPT_FORM)
    client.logout()

    response = client.post(accept_url(token), {**ACCEPT_FORM, "first_name": "Autre"})

    assert response.status_code == 410
    assert User.objects.get(email="invitee@example.org").first_name == "Camille"


def test_an_unknown_token_is_404(client, db):
    assert client.get(accept_url("not-a-real-token")).status_code == 404


def test_admin_revokes_an_invitation_which_then_cannot_be_accepted(admin_client, admin_user, client):
    invitation, token = invite(admin_user)

    response = admin_client.post(reverse("invitation_revoke", args=[invitation.pk]))

    assertRedirects(response, reverse("invitation_list"), fetch_redirect_response=False)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(action="invitation.revoked", object_id=str(invitation.pk)).count() == 1
    assert client.post(accept_url(token), ACCEPT_FORM).status_code == 410
    assert not User.objects.filter(email="invitee@example.org").exists()


def test_revoking_an_accepted_invitation_changes_nothing(admin_client, admin_user, client):
    invitation, token = invite(admin_user)
    client.post(accept_url(token), ACCEPT_FORM)

    admin_client.post(reverse("invitation_revoke", args=[invitation.pk]))

    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert not AuditEvent.objects.filter(action="invitation.revoked").exists()


def test_revoking_needs_a_post(admin_client, admin_user):
    invitation, _token = invite(admin_user)

    assert admin_client.get(reverse("invitation_revoke", args=[invitation.pk])).status_code == 405
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_non_admin_cannot_revoke(referent_client, admin_user):
    invitation, _token = invite(admin_user)

    assert referent_client.post(reverse("invitation_revoke", args=[invitation.pk])).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_invitation_expiry_follows_the_setting(settings, admin_user):
    settings.INVITATION_VALID_DAYS = 2

    with time_machine.travel(datetime(2025, 3, 1, 9, tzinfo=timezone.get_default_timezone()), tick=False):
        invitation, _token = invite(admin_user)

    assert invitation.expires_at == datetime(2025, 3, 3, 9, tzinfo=timezone.get_default_timezone())
