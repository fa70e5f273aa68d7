"""Finding one's way: a breadcrumb below the top level, a menu per role that holds on one row."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from odpe.accounts.services import add_correspondent
from odpe.audit import Actor
from tests.conftest import signed_in
from tests.test_access_matrix import MATRIX, POST_ONLY, objects  # noqa: F401 (the fixture, shared)

# The pages of the main menu, the home, the public pages of the footer and the invitation's own page:
# the top level, which has no breadcrumb.
TOP_LEVEL = {
    "home",
    "public_home",
    "legal_notice",
    "accessibility",
    "personal_data",
    "contact",
    "invitation_accept",
    "conventions:convention_list",
    "conventions:partner_list",
    "dashboards:extranet",
    "dashboards:published_list",
    "dashboards:document_list",
    "dashboards:consent_list",
    "dashboards:version_list",
    "dashboards:document_queue",
    "dashboards:report_list",
    "transfers:pseudonymise",
    "uploads:collection",
    "uploads:campaign_list",
    "uploads:review_queue",
    "uploads:spec_list",
    "invitation_list",
    "audit_log",
    "breach_list",
    "conventions:body_list",
    "conventions:notice_list",
    "transfers:transfer_list",
    "uploads:catalogue",
    "olinpe:index",
    "data_requests:request_list",
}
READERS = ["admin", "referent", "member", "correspondent"]  # the first one the page answers


def pages_below_the_top_level():
    for name, row in MATRIX.items():
        if name in TOP_LEVEL or name in POST_ONLY or name.startswith("admin:"):
            continue
        role = next((role for role in READERS if row[role] == 200), None)
        if role is not None:
            yield pytest.param(name, role, id=name)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), list(pages_below_the_top_level()))
def test_every_page_below_the_top_level_has_a_breadcrumb(request, name, role, objects):  # noqa: F811
    client = request.getfixturevalue(f"{role}_client")

    response = client.get(reverse(name, args=objects.get(name, [])))

    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)  # reading a download to the end closes its file
    if not response["Content-Type"].startswith("text/html"):
        return  # a download: no page to find one's way in
    assertContains(response, 'class="breadcrumbs"')
    assertContains(response, f'<a href="{reverse("home")}">Accueil</a>', html=True)


def test_the_crawl_reaches_the_pages_without_a_breadcrumb_before():
    crawled = {param.values[0] for param in pages_below_the_top_level()}

    assert {"conventions:certificate_list", "dashboards:consent_detail", "uploads:campaign_create"} <= crawled


def test_the_members_menu_lists_the_documents_library(member_client):
    response = member_client.get(reverse("home"))

    assertContains(response, f'<a href="{reverse("dashboards:document_list")}">Documents</a>', html=True)


@pytest.mark.parametrize("role", ["member", "correspondent", "referent", "admin"])
def test_the_account_menu_groups_the_email_second_factor_language_and_sign_out(request, role):
    response = request.getfixturevalue(f"{role}_client").get(reverse("home"))
    page = response.content.decode()

    menu = page[
        page.index('class="menu-group account-menu"') : page.index("</details>", page.index("account-menu"))
    ]
    for part in (
        response.wsgi_request.user.email,
        reverse("mfa_index"),
        reverse("set_language"),
        reverse("account_logout"),
    ):
        assert part in menu


def test_the_odpe_team_finds_its_pages_in_groups_of_the_menu(admin_client):
    response = admin_client.get(reverse("home"))

    for group in ("Extranet", "Collecte", "Publication", "Administration"):
        assertContains(response, f"<summary>{group}</summary>", html=True)


def test_a_correspondent_has_no_group_and_no_extranet(correspondent_client):
    response = correspondent_client.get(reverse("home"))

    assertNotContains(response, 'class="menu-group" data-menu')
    assertContains(response, f'<a href="{reverse("dashboards:document_list")}">Documents</a>', html=True)


def test_a_referent_who_is_also_a_correspondent_finds_the_partners_pages_in_a_group(referent, partner):
    add_correspondent(referent, partner, actor=Actor.platform())

    page = signed_in(referent).get(reverse("home")).content.decode()

    group = page[
        page.index("<summary>Correspondant</summary>") : page.index("</details>", page.index("Correspondant"))
    ]
    for name in ("uploads:collection", "dashboards:consent_list", "data_requests:request_list"):
        assert reverse(name) in group
