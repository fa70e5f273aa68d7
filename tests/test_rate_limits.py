"""Rate limits: sign-in (allauth's own), invitations and uploads, through one helper."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from odpe.accounts.models import Invitation
from odpe.accounts.roles import Role
from odpe.ratelimits import rate_limited
from tests.accounts.factories import UserFactory
from tests.conftest import signed_in
from tests.uploads.factories import CampaignFactory, SubmissionFactory, TableRequirementFactory, xlsx_upload

pytestmark = pytest.mark.django_db


def invite(client, number: int):
    return client.post(
        reverse("invitation_list"), {"email": f"personne{number}@example.org", "role": Role.MEMBER}
    )


def test_too_many_sign_in_attempts_get_the_french_429_page(client):
    for number in range(30):
        client.post(reverse("account_login"), {"login": f"p{number}@example.org", "password": "non"})

    response = client.post(reverse("account_login"), {"login": "p@example.org", "password": "non"})

    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


def test_an_admin_over_the_invitation_rate_gets_a_429_and_no_invitation(admin_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "invite_person": "3/h/user"}
    statuses = [invite(admin_client, number).status_code for number in range(4)]

    assert statuses == [302, 302, 302, 429]
    assert Invitation.objects.count() == 3


def test_the_429_page_is_in_french_and_says_what_to_do(admin_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "invite_person": "1/h/user"}
    invite(admin_client, 1)

    response = invite(admin_client, 2)

    page = response.content.decode()
    assert "Trop de tentatives" in page
    assert "Attendez quelques minutes" in page


def test_the_invitation_rate_is_counted_per_admin(admin_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "invite_person": "1/h/user"}
    invite(admin_client, 1)
    other_admin = signed_in(UserFactory(role=Role.ADMIN, with_totp=True))

    assert invite(other_admin, 2).status_code == 302


def test_reading_the_invitation_page_is_not_counted(admin_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "invite_person": "1/h/user"}
    for _ in range(3):
        assert admin_client.get(reverse("invitation_list")).status_code == 200

    assert invite(admin_client, 1).status_code == 302


def test_a_view_limited_on_an_action_without_a_rate_fails_at_start_up():
    with pytest.raises(ImproperlyConfigured):
        rate_limited("upload_with_a_typo")


def test_a_correspondent_over_the_upload_rate_gets_a_429_and_nothing_is_kept(
    correspondent_client, partner, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "upload_table": "2/h/user"}
    requirement = TableRequirementFactory(partner=partner)
    submission = SubmissionFactory(campaign=CampaignFactory(), partner=partner, spec=requirement.spec)
    url = reverse("uploads:submission_upload", args=[submission.pk])

    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            correspondent_client.post(url, {"file": xlsx_upload(), "attested": "on"}).status_code
            for _ in range(3)
        ]

    assert statuses == [302, 302, 429]
    assert submission.versions.count() == 2
