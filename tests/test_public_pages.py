"""The public pages: the observatory's home for visitors without an account, and the footer's pages
(legal notice, accessibility statement, personal data and its register of processing, contact)."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.dashboards.factories import DashboardVersionFactory, DocumentFactory

FOOTER_PAGES = ["legal_notice", "accessibility", "personal_data", "contact"]
PUBLIC_PAGES = ["public_home", *FOOTER_PAGES, "processing_register"]


@pytest.mark.django_db
def test_anonymous_visitor_sees_the_latest_public_dashboard_and_the_sign_in_link(client):
    DashboardVersionFactory(public=True, data_year=2023)
    DashboardVersionFactory(published=True, data_year=2024)  # for the members only
    DocumentFactory(validated=True, title="Étude réservée aux membres")

    response = client.get(reverse("public_home"))

    assertContains(response, reverse("dashboards:published_detail", args=[2023]))
    assertNotContains(response, reverse("dashboards:published_detail", args=[2024]))
    assertNotContains(response, "Étude réservée aux membres")
    assertContains(response, f'href="{reverse("account_login")}"')


@pytest.mark.django_db
def test_public_home_says_when_nothing_is_published_for_the_public(client):
    DashboardVersionFactory(published=True)

    assertContains(
        client.get(reverse("public_home")), "Aucun tableau de bord n’est encore publié pour le public"
    )


@pytest.mark.django_db
def test_signed_in_home_stays_at_the_root_and_anonymous_root_still_asks_to_sign_in(client, member_client):
    assert member_client.get(reverse("home")).templates[0].name == "home.html"
    assert client.get(reverse("home")).url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["public_home", "account_login", "legal_notice"])
def test_every_page_has_the_footer_links(client, page):
    response = client.get(reverse(page))

    for name in FOOTER_PAGES:
        assertContains(response, f'href="{reverse(name)}"')


@pytest.mark.django_db
def test_signed_in_pages_have_the_footer_links(member_client):
    response = member_client.get(reverse("home"))

    for name in FOOTER_PAGES:
        assertContains(response, f'href="{reverse(name)}"')


@pytest.mark.django_db
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_answer_anonymous_visitors(client, page):
    assert client.get(reverse(page)).status_code == 200


@pytest.mark.django_db
def test_footer_pages_show_the_configured_publisher_contact_and_dpo(client, settings):
    settings.PUBLIC_PAGES = {
        **settings.PUBLIC_PAGES,
        "publisher": "Département du Jura",
        "host_name": "Hébergeur Exemple SAS",
        "contact_email": "odpe@jura.example",
        "dpo_name": "Mme Dupont",
        "dpo_email": "dpo@jura.example",
    }

    assertContains(client.get(reverse("legal_notice")), "Hébergeur Exemple SAS")
    assertContains(client.get(reverse("legal_notice")), "Département du Jura")
    assertContains(client.get(reverse("accessibility")), "mailto:odpe@jura.example")
    assertContains(client.get(reverse("contact")), "mailto:dpo@jura.example")
    privacy = client.get(reverse("personal_data"))
    assertContains(privacy, "Mme Dupont")
    assertContains(privacy, "mailto:dpo@jura.example")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("level", "said"),
    [("none", "non conforme"), ("partial", "partiellement conforme"), ("full", "totalement conforme")],
)
def test_accessibility_statement_says_the_configured_conformity(client, settings, level, said):
    settings.PUBLIC_PAGES = {**settings.PUBLIC_PAGES, "accessibility_level": level}

    assertContains(client.get(reverse("accessibility")), f"Accessibilité : {said}")


@pytest.mark.django_db
def test_register_lists_the_durations_of_the_settings(client, settings):
    settings.SESSION_COOKIE_AGE, settings.SESSION_IDLE_TIMEOUT = 6 * 3600, 20 * 60
    settings.INVITATION_VALID_DAYS = 3

    page = client.get(reverse("processing_register"))

    assertContains(page, "au plus 6 heures après la connexion, et 20 minutes sans aucune requête")
    assertContains(page, "valables 3 jours")
    assertContains(client.get(reverse("personal_data")), "valables 3 jours")


@pytest.mark.django_db
def test_register_lists_the_retention_durations_the_purge_applies(client, settings):
    settings.RETENTION = {
        "uploaded_files": 401,
        "refused_file_metadata": 402,
        "audit_ip_addresses": 403,
        "inactive_accounts": 404,
        "invitations": 405,
        "transfer_datasets": 406,
        "olinpe_bases": 407,
    }

    page = client.get(reverse("processing_register"))

    for days in range(401, 408):
        assertContains(page, f"{days} jours")


@pytest.mark.django_db
def test_register_lists_hsts_only_when_the_platform_sends_it(client, settings):
    settings.SECURE_HSTS_SECONDS = 0
    assertNotContains(client.get(reverse("processing_register")), "HSTS")

    settings.SECURE_HSTS_SECONDS = 365 * 86400
    assertContains(client.get(reverse("processing_register")), "HSTS")


@pytest.mark.django_db
def test_register_and_personal_data_page_list_the_olinpe_base_and_the_pseudonymised_transfers(client):
    register = client.get(reverse("processing_register"))

    assertContains(register, "La base OLINPE : la base pseudonymisée annuelle du Département")
    assertContains(register, "art. L. 226-3-3 et D. 226-3-1 et suivants")
    assertContains(register, "Le seul référent ODPE")
    assertContains(register, "chiffrées au repos")
    assertContains(register, "Transferts pseudonymisés")
    personal_data = client.get(reverse("personal_data"))
    assertContains(personal_data, "La base OLINPE")
    assertContains(personal_data, "après la fin de leur année")
