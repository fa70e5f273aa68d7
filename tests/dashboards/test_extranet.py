"""The extranet's home: the latest published dashboards and documents, the signatories and conventions."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from dashboards.models import DashboardVersion
from tests.dashboards.factories import DashboardVersionFactory, DocumentFactory

pytestmark = pytest.mark.django_db
Status = DashboardVersion.Status


def published(year: int, **fields) -> DashboardVersion:
    return DashboardVersionFactory(
        data_year=year,
        status=Status.PUBLISHED,
        published_content={"sections": [], "sources": []},
        published_at=timezone.now(),
        **fields,
    )


def test_members_see_the_latest_published_dashboard_of_each_year_only(member_client):
    published(2023, number=1)
    latest = published(2023, number=2)
    published(2024, number=1)
    DashboardVersionFactory(data_year=2025, status=Status.DRAFT)
    DashboardVersionFactory(data_year=2022, status=Status.APPROVED)

    response = member_client.get(reverse("dashboards:extranet"))

    assert list(response.context["dashboards"]) == [
        DashboardVersion.objects.get(data_year=2024),
        latest,
    ]
    assertContains(response, "Tableau de bord 2024")  # a year, not "2 024"
    assertNotContains(response, "2025")
    assertNotContains(response, "2022")


def test_each_published_year_links_to_its_page(member_client):
    published(2024)

    response = member_client.get(reverse("dashboards:extranet"))

    assertContains(response, '<a href="/published/2024/">Tableau de bord 2024</a>', html=True)


def test_members_see_the_latest_online_documents_and_the_way_to_the_library(member_client, partner):
    online = DocumentFactory(
        partner=partner, validated=True, title="Étude en ligne", published_on=date(2025, 4, 1)
    )
    waiting = DocumentFactory(partner=partner, title="Étude en attente")

    response = member_client.get(reverse("dashboards:extranet"))

    assertContains(response, online.get_absolute_url())
    assertContains(response, "1er avril 2025")
    assertNotContains(response, escape(waiting.title))
    assertContains(response, reverse("dashboards:document_list"))


def test_the_extranet_links_to_the_signatories_and_the_conventions(member_client):
    response = member_client.get(reverse("dashboards:extranet"))

    assertContains(response, reverse("conventions:partner_list"))
    assertContains(response, reverse("conventions:convention_list"))


def test_the_referent_is_told_how_many_documents_wait(referent_client, partner):
    DocumentFactory(partner=partner)
    DocumentFactory(observatory=True)

    response = referent_client.get(reverse("dashboards:extranet"))

    assertContains(response, "2 documents attendent votre validation.")
    assertContains(response, reverse("dashboards:document_queue"))


def test_members_are_not_told_about_waiting_documents(member_client, partner):
    DocumentFactory(partner=partner)

    assertNotContains(member_client.get(reverse("dashboards:extranet")), "attend")


def test_correspondents_are_refused_the_extranet(correspondent_client):
    assert correspondent_client.get(reverse("dashboards:extranet")).status_code == 403


def test_the_main_menu_and_the_home_page_lead_members_to_the_extranet(member_client):
    response = member_client.get(reverse("home"))

    assertContains(response, f'<a href="{reverse("dashboards:extranet")}">Extranet</a>', html=True)
    assertContains(response, "Accéder à l’extranet")


def test_correspondents_find_the_documents_in_their_menu_not_the_extranet(correspondent_client):
    response = correspondent_client.get(reverse("home"))

    assertContains(response, f'<a href="{reverse("dashboards:document_list")}">Documents</a>', html=True)
    assertNotContains(response, reverse("dashboards:extranet"))


def test_the_extranet_reads_a_bounded_number_of_queries(
    member_client, partner, django_assert_max_num_queries
):
    for year in range(2015, 2025):
        published(year)
    for _ in range(10):
        DocumentFactory(partner=partner, validated=True)

    with django_assert_max_num_queries(10):
        assert member_client.get(reverse("dashboards:extranet")).status_code == 200
