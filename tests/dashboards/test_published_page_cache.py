"""A published page is rendered once per set of roles and kept whole, with holes for what is personal
(the reader's e-mail, the sign-out form's token): no reader ever receives a page made for someone else,
and a withdrawal or a correction is seen at once."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from dashboards import services
from odpe.accounts.middleware import ACTIVITY_KEY
from odpe.audit import Actor
from tests.accounts.factories import UserFactory
from tests.dashboards.factories import DashboardVersionFactory, sample_content

pytestmark = pytest.mark.django_db
TEAM_MENU = 'href="/dashboards/"'  # the ODPE team's « Tableaux de bord », never in a member's menu
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def published(partner):
    return DashboardVersionFactory(published=True, number=1, content=sample_content(partner))


def pages(version):
    return [
        reverse("dashboards:published_detail", args=[version.data_year]),
        reverse("dashboards:published_version", args=[version.pk]),
        reverse("dashboards:published_section", args=[version.pk, "children_in_danger"]),
    ]


def test_a_member_never_receives_the_page_rendered_for_the_referent(
    referent_client, member_client, referent, member, published
):
    for url in pages(published):
        team_page = referent_client.get(url)
        assertContains(team_page, TEAM_MENU)
        assertContains(team_page, referent.email)

        member_page = member_client.get(url)
        assertNotContains(member_page, TEAM_MENU)
        assertNotContains(member_page, referent.email)
        assertContains(member_page, member.email)
        assertContains(member_page, "secret statistique")  # the same masked body for both


def test_each_member_gets_their_own_name_and_a_token_that_signs_them_out(member, published):
    other = UserFactory(email="autre.membre@example.org", role="member")
    for user in (member, other):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        page = client.get(reverse("dashboards:published_detail", args=[2023]))
        assertContains(page, user.email)
        [token] = TOKEN.findall(page.content.decode())
        assert client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token}).status_code == 302
        assert "_auth_user_id" not in client.session


def test_after_withdrawal_the_kept_page_is_gone(member_client, referent, published):
    for url in pages(published):
        assert member_client.get(url).status_code == 200

    services.withdraw(published, actor=Actor(user=referent), reason="Erreur de saisie")

    for url in pages(published):
        assert member_client.get(url).status_code == 404


def test_a_correction_replaces_the_kept_page_of_the_year(member_client, partner, published):
    year_page = reverse("dashboards:published_detail", args=[2023])
    assertContains(member_client.get(year_page), "2023, version 1")

    correction = DashboardVersionFactory(published=True, number=2, content=sample_content(partner))

    assertContains(member_client.get(year_page), "2023, version 2")
    earlier = member_client.get(reverse("dashboards:published_version", args=[published.pk]))
    assertContains(earlier, reverse("dashboards:published_detail", args=[correction.data_year]))
    assertContains(earlier, "Une correction a remplacé cette version")


def test_a_message_is_shown_on_the_page_and_not_kept(member_client, partner):
    """A session that expired says so on the page where it ends: a public dashboard's, here."""
    url = reverse("dashboards:published_detail", args=[2023])
    DashboardVersionFactory(public=True, content=sample_content(partner))
    member_client.get(url)
    session = member_client.session
    session[ACTIVITY_KEY] = [int(time.time()) - 24 * 3600] * 2
    session.save()

    assertContains(member_client.get(url), "Votre session a expiré")
    assertNotContains(member_client.get(url), "Votre session a expiré")


def test_a_kept_page_costs_a_member_few_queries(member_client, published, django_assert_max_num_queries):
    url = reverse("dashboards:published_detail", args=[2023])
    member_client.get(url)
    with django_assert_max_num_queries(3):  # the user, their roles, the versions they may read
        assert member_client.get(url).status_code == 200


def test_a_kept_section_page_does_not_read_the_snapshot_again(
    member_client, published, django_assert_max_num_queries
):
    """The snapshot weighs megabytes on a large dashboard: a kept section's page reads only its version."""
    url = reverse("dashboards:published_section", args=[published.pk, "children_in_danger"])
    member_client.get(url)
    with django_assert_max_num_queries(3):  # the user, their roles, the version
        assert member_client.get(url).status_code == 200
