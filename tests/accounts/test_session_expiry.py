"""A session ends after SESSION_IDLE_TIMEOUT without a request, and SESSION_COOKIE_AGE after sign-in."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_person_idle_for_longer_than_the_timeout_is_signed_out_with_a_message(clock, member, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    client = signed_in(member)
    client.get(reverse("home"))

    clock.shift(timedelta(minutes=31))
    response = client.get(reverse("home"), follow=True)

    assert response.redirect_chain[0][0] == f"{reverse('account_login')}?next={reverse('home')}"
    assert not is_signed_in(client)
    assert "Votre session a expiré" in response.content.decode()


def test_requests_within_the_idle_timeout_keep_the_session(clock, member, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    client = signed_in(member)

    for _ in range(4):
        clock.shift(timedelta(minutes=20))
        assert client.get(reverse("home")).status_code == 200

    assert is_signed_in(client)


def test_an_active_session_still_ends_at_the_session_age_counted_from_sign_in(clock, member, settings):
    settings.SESSION_IDLE_TIMEOUT, settings.SESSION_COOKIE_AGE = 30 * 60, 2 * 3600
    client = signed_in(member)
    client.get(reverse("home"))

    for _ in range(5):
        clock.shift(timedelta(minutes=25))
        client.get(reverse("home"))

    assert not is_signed_in(client)


def test_public_pages_stay_open_after_the_timeout(clock, member, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    client = signed_in(member)
    client.get(reverse("home"))

    clock.shift(timedelta(minutes=5))

    assert client.get(reverse("healthz")).status_code == 200
    assert not is_signed_in(client)
