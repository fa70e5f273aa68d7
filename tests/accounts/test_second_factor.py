import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from odpe.accounts.models import User
from odpe.accounts.roles import Role
from odpe.models import AuditEvent
from tests.accounts.factories import PASSWORD, UserFactory
from tests.conventions.factories import ConventionFactory

pytestmark = pytest.mark.django_db

PAGES = ["home", "conventions:convention_list", "conventions:partner_list", "invitation_list"]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def status(response) -> int:
    if response.streaming:
        b"".join(response.streaming_content)  # reading a download to the end closes its file
    return response.status_code


@pytest.fixture
def without_totp(request):
    """A referent or admin who has not enrolled a second factor yet."""
    return UserFactory(role=request.param)


@pytest.fixture
def document_url(db):
    convention = ConventionFactory(signed_document=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n"))
    return reverse("conventions:convention_document", args=[convention.pk])


@pytest.mark.parametrize("without_totp", [Role.REFERENT, Role.ADMIN], indirect=True)
@pytest.mark.parametrize("page", PAGES)
def test_referent_or_admin_without_totp_is_sent_to_enrolment_from_every_page(without_totp, page):
    response = signed_in(without_totp).get(reverse(page))

    assertRedirects(response, reverse("mfa_activate_totp"), fetch_redirect_response=False)


def test_a_superuser_without_totp_is_sent_to_enrolment_too(db):
    superuser = User.objects.create_superuser("root@example.org", PASSWORD)

    response = signed_in(superuser).get(reverse("admin:index"))

    assertRedirects(response, reverse("mfa_activate_totp"), fetch_redirect_response=False)


@pytest.mark.parametrize("without_totp", [Role.REFERENT, Role.ADMIN], indirect=True)
def test_without_totp_the_enrolment_page_is_reachable_after_confirming_the_password(without_totp):
    client = signed_in(without_totp)
    reauthenticate = f"{reverse('account_reauthenticate')}?next={reverse('mfa_activate_totp')}"

    assertRedirects(client.get(reverse("mfa_activate_totp")), reauthenticate, fetch_redirect_response=False)
    response = client.post(reauthenticate, {"password": PASSWORD})
    assertRedirects(response, reverse("mfa_activate_totp"), fetch_redirect_response=False)
    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200
    assert "form" in response.context


@pytest.mark.parametrize("without_totp", [Role.REFERENT, Role.ADMIN], indirect=True)
def test_without_totp_one_can_still_sign_out(without_totp):
    client = signed_in(without_totp)

    assert client.get(reverse("account_logout")).status_code == 200
    response = client.post(reverse("account_logout"))

    assertRedirects(response, reverse("account_login"), fetch_redirect_response=False)
    assert "_auth_user_id" not in client.session


def test_referent_with_totp_gets_through(referent_client, document_url):
    assert status(referent_client.get(document_url)) == 200


def test_admin_with_totp_gets_through(admin_client, document_url):
    assert status(admin_client.get(document_url)) == 200
    assert admin_client.get(reverse("admin:index")).status_code == 200


def test_enrolling_totp_is_what_lets_a_referent_through(document_url):
    referent = UserFactory(role=Role.REFERENT)
    client = signed_in(referent)
    assert status(client.get(document_url)) == 302

    Authenticator.objects.create(user=referent, type=Authenticator.Type.TOTP, data={"secret": "x"})

    assert status(client.get(document_url)) == 200


def test_member_is_never_sent_to_enrolment(member_client, document_url):
    assert status(member_client.get(document_url)) == 200


def test_correspondent_is_never_sent_to_enrolment(correspondent_client):
    # Refused by the page itself, not redirected to enrolment.
    assert correspondent_client.get(reverse("conventions:convention_list")).status_code == 403


@pytest.fixture
def fresh_rate_limits(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_the_right_password_signs_in_and_is_audited(client, member, fresh_rate_limits):
    response = sign_in(client, member.email, PASSWORD)

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == member.pk
    assert AuditEvent.objects.filter(action="user.signed_in", actor=member).count() == 1


def test_after_five_failed_attempts_even_the_right_password_is_refused(client, member, fresh_rate_limits):
    for _ in range(5):
        assert sign_in(client, member.email, "pas-le-bon-mot-de-passe").status_code == 200

    response = sign_in(client, member.email, PASSWORD)

    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action="user.signed_in").exists()


def test_too_many_login_posts_from_one_address_get_429(client, db, fresh_rate_limits):
    statuses = [sign_in(client, f"personne{i}@example.org", "pas-le-bon").status_code for i in range(31)]

    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
