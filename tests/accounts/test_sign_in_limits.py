"""Failed sign-ins are limited per account, and per address only loosely: one address may be shared by
a whole office, or by everyone when the proxy's address is the only one seen."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from odpe.models import AuditEvent
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(autouse=True)
def no_limit_on_sign_in_pages(settings):
    """The overall limit on the sign-in page (« login », 30 a minute) is not what these tests are about."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1000/m/ip"}


def sign_in(email: str, password: str, address: str = "198.51.100.7", client: Client | None = None):
    client = client or Client(REMOTE_ADDR=address)
    return client.post(reverse("account_login"), {"login": email, "password": password})


def is_refused(response) -> bool:
    return response.status_code == 429 and "Trop de tentatives" in response.content.decode()


def test_wrong_passwords_for_made_up_addresses_do_not_lock_out_the_next_person_on_that_address():
    person = UserFactory()
    for number in range(5):
        assert sign_in(f"inconnu{number}@example.org", "mauvais").status_code == 200

    response = sign_in(person.email, PASSWORD)

    assert response.status_code == 302


def test_repeated_failures_on_one_account_lock_it_from_any_address_with_the_french_429_page():
    person = UserFactory()
    for number in range(10):
        assert sign_in(person.email, "mauvais", address=f"203.0.113.{number}").status_code == 200

    response = sign_in(person.email, PASSWORD, address="192.0.2.50")

    assert is_refused(response)
    assert not AuditEvent.objects.filter(action="user.signed_in").exists()


def test_the_account_is_counted_whatever_the_case_of_the_address_typed():
    person = UserFactory(email="claire.martin@example.org")
    for number in range(10):
        sign_in("Claire.MARTIN@example.org", "mauvais", address=f"203.0.113.{number}")

    assert is_refused(sign_in(person.email, PASSWORD, address="192.0.2.50"))


def test_five_failures_on_one_account_from_one_address_lock_that_pair_only():
    person, colleague = UserFactory(), UserFactory()
    for _ in range(5):
        sign_in(person.email, "mauvais")

    assert is_refused(sign_in(person.email, PASSWORD))
    assert sign_in(person.email, PASSWORD, address="192.0.2.50").status_code == 302
    assert sign_in(colleague.email, PASSWORD).status_code == 302


def test_a_successful_sign_in_takes_its_attempt_back():
    person = UserFactory()
    for _ in range(4):
        sign_in(person.email, "mauvais")
    for _ in range(3):
        assert sign_in(person.email, PASSWORD).status_code == 302

    assert sign_in(person.email, "mauvais").status_code == 200


def test_the_per_address_limit_against_spraying_triggers_past_its_higher_threshold():
    person = UserFactory()
    statuses = [sign_in(f"inconnu{number}@example.org", "mauvais").status_code for number in range(30)]

    response = sign_in(person.email, PASSWORD)

    assert statuses == [200] * 30
    assert is_refused(response)
    assert sign_in(person.email, PASSWORD, address="192.0.2.50").status_code == 302


def enter_code(client: Client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def at_second_factor(user, address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    response = sign_in(user.email, PASSWORD, client=client)
    assert response["Location"] == reverse("mfa_authenticate")
    return client


def test_wrong_totp_codes_are_limited_per_account_and_not_per_address():
    referent = UserFactory(with_totp=True)
    colleague = UserFactory(with_totp=True)
    client = at_second_factor(referent, "198.51.100.7")
    statuses = [enter_code(client, "000000").status_code for _ in range(10)]

    assert statuses == [200] * 10
    assert is_refused(enter_code(client, "000000"))
    other_address = at_second_factor(referent, "192.0.2.50")
    assert is_refused(enter_code(other_address, "000000"))
    # Another person on the same address still gets to enter a code.
    assert enter_code(at_second_factor(colleague, "198.51.100.7"), "000000").status_code == 200


def test_behind_the_trusted_proxy_limits_and_audit_see_the_persons_address(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    person = UserFactory()
    for _ in range(5):
        sign_in(
            person.email, "mauvais", client=Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
        )

    refused = sign_in(
        person.email, PASSWORD, client=Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    )
    accepted = sign_in(
        person.email, PASSWORD, client=Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.50")
    )

    assert is_refused(refused)
    assert accepted.status_code == 302
    assert AuditEvent.objects.get(action="user.signed_in").ip == "192.0.2.50"


def test_the_production_web_service_trusts_its_proxy():
    compose = (ROOT / "docker-compose.yml").read_text()
    web = re.search(r"\n  web:\n(.*?)\n  \w+:\n", compose, re.DOTALL).group(1)

    assert re.search(r'^\s+TRUSTED_PROXY_COUNT: "1"$', web, re.MULTILINE)
