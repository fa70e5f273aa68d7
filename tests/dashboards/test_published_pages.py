"""The extranet's dashboards: members read what is published, the public what was published for everyone."""

import gzip

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from dashboards import services
from dashboards.models import DashboardVersion
from odpe.accounts.roles import Role
from odpe.accounts.services import grant_role
from odpe.audit import Actor
from tests.dashboards.factories import DashboardVersionFactory, sample_content
from tests.test_content_security_policy import inline_code

pytestmark = pytest.mark.django_db
Status = DashboardVersion.Status


@pytest.fixture
def published(partner):
    return DashboardVersionFactory(published=True, content=sample_content(partner))


@pytest.fixture
def public(partner):
    return DashboardVersionFactory(
        public=True, data_year=2022, content=sample_content(partner, data_year=2022)
    )


def page(version):
    return reverse("dashboards:published_version", args=[version.pk])


def test_a_member_reads_a_published_dashboard_with_its_cover_sections_and_charts(member_client, published):
    response = member_client.get(reverse("dashboards:published_detail", args=[2023]))
    section_url = reverse("dashboards:published_section", args=[published.pk, "children_in_danger"])

    assertContains(response, "Tableau de bord annuel 2023")
    assertContains(response, "Observatoire départemental de la protection de l&#x27;enfance")
    assertContains(response, 'href="#section-children_in_danger"')  # the table of contents
    assertContains(response, f'href="{section_url}"')
    section = member_client.get(section_url)
    assertContains(section, '<h1 id="section-children_in_danger-title">Enfants en danger</h1>', html=True)
    assertContains(section, "chart chart--wide chart--line", count=1)  # the years
    assertContains(section, "chart map map--tiles", count=1)  # the territories (no shapes uploaded)
    assertContains(section, "secret statistique")
    assertNotContains(section, "masked--internal")


def test_an_unknown_section_of_a_published_version_is_a_404(member_client, published):
    assert (
        member_client.get(reverse("dashboards:published_section", args=[published.pk, "nowhere"])).status_code
        == 404
    )


def test_the_page_of_a_large_dashboard_stays_small(member_client, partner):
    """Two hundred indicators by fifty territories: the page lists them, their charts and breakdowns are
    on the sections' pages (the whole is in the PDF)."""
    content = sample_content(partner)
    [figure] = content["sections"][0]["figures"]
    figure["breakdowns"][0]["rows"] = [
        {"label": f"Territoire {n}", "value": 10 + n, "masked": None} for n in range(50)
    ]
    content["sections"][0]["figures"] = [{**figure, "label": f"Indicateur {n}"} for n in range(200)]
    version = DashboardVersionFactory(published=True, data_year=2019, content=content)

    response = member_client.get(reverse("dashboards:published_version", args=[version.pk]))

    assert len(response.content) < 300_000
    assertNotContains(response, "Territoire 49")


def test_the_dashboard_pages_render_nothing_the_content_security_policy_refuses(member_client, published):
    for url in [page(published), reverse("dashboards:published_list"), reverse("dashboards:compare")]:
        response = member_client.get(url)
        assert response.status_code == 200
        assert inline_code(response.content.decode()) == [], url


def test_a_member_gets_404_for_a_version_that_is_not_published(member_client, partner):
    draft = DashboardVersionFactory(content=sample_content(partner))
    approved = DashboardVersionFactory(status=Status.APPROVED, content=sample_content(partner))

    assert member_client.get(page(draft)).status_code == 404
    assert member_client.get(page(approved)).status_code == 404
    assert member_client.get(reverse("dashboards:export", args=[draft.pk, "pdf"])).status_code == 404
    assert member_client.get(reverse("dashboards:published_detail", args=[2023])).status_code == 404


def test_the_public_reads_public_versions_without_signing_in_and_nothing_else(client, published, public):
    assert client.get(page(public)).status_code == 200
    assert client.get(reverse("dashboards:published_detail", args=[2022])).status_code == 200
    assert client.get(page(published)).status_code == 404
    assert client.get(reverse("dashboards:published_detail", args=[2023])).status_code == 404
    assert client.get(reverse("dashboards:export", args=[published.pk, "csv"])).status_code == 404

    listing = client.get(reverse("dashboards:published_list"))
    assertContains(listing, reverse("dashboards:published_detail", args=[2022]))
    assertNotContains(listing, reverse("dashboards:published_detail", args=[2023]))


def test_a_correspondent_sees_only_what_the_public_sees(correspondent_client, published, public):
    assert correspondent_client.get(page(public)).status_code == 200
    assert correspondent_client.get(page(published)).status_code == 404


def test_the_list_shows_each_years_latest_version_and_marks_replaced_and_withdrawn_ones(
    member_client, partner, referent
):
    first = DashboardVersionFactory(published=True, number=1, content=sample_content(partner))
    second = DashboardVersionFactory(published=True, number=2, content=sample_content(partner))
    third = DashboardVersionFactory(published=True, number=3, content=sample_content(partner))
    services.withdraw(third, actor=Actor(user=referent), reason="Erreur de saisie")

    listing = member_client.get(reverse("dashboards:published_list"))
    current = member_client.get(reverse("dashboards:published_detail", args=[2023]))

    assertContains(listing, "version actuelle")
    assertContains(listing, "remplacée par une version ultérieure")
    assertContains(listing, "retirée")
    assertContains(listing, "Erreur de saisie")
    assertNotContains(listing, page(third))  # a withdrawn version is listed, never linked
    assert current.context["version"] == second
    assert member_client.get(page(third)).status_code == 404
    older = member_client.get(page(first))
    assertContains(older, "Une correction a remplacé cette version")


def test_a_published_page_is_rendered_once_and_answers_304_to_a_browser_that_has_it(
    member_client, published, django_assert_max_num_queries
):
    first = member_client.get(page(published))
    assert first["ETag"] and first["Last-Modified"]
    assert "private" in first["Cache-Control"]

    with django_assert_max_num_queries(6):  # session, user, roles, version, the year's versions
        again = member_client.get(page(published))
    not_modified = member_client.get(page(published), HTTP_IF_NONE_MATCH=again["ETag"])

    assert again.content.split(b"<main")[1] == first.content.split(b"<main")[1]  # the form tokens differ
    assert not_modified.status_code == 304


def test_the_page_changes_its_etag_for_another_person(member_client, referent_client, published):
    assert member_client.get(page(published))["ETag"] != referent_client.get(page(published))["ETag"]


def test_a_browser_whose_reader_gained_a_role_gets_the_page_again_with_the_new_menu(
    member_client, member, published
):
    member_client.get(page(published))  # sets the form token's cookie, which the ETag follows
    etag = member_client.get(page(published))["ETag"]
    assert member_client.get(page(published), HTTP_IF_NONE_MATCH=etag).status_code == 304
    grant_role(member, Role.CORRESPONDENT, actor=Actor.platform())

    response = member_client.get(page(published), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assertContains(response, reverse("uploads:collection"))  # the correspondent's menu


def test_two_years_compare_side_by_side_with_the_change(member_client, partner):
    DashboardVersionFactory(published=True, data_year=2022, content=sample_content(partner, data_year=2022))
    DashboardVersionFactory(published=True, data_year=2023, content=sample_content(partner, data_year=2023))

    response = member_client.get(reverse("dashboards:compare"), {"before": 2022, "after": 2023})

    [section] = response.context["sections"]
    [row] = section["rows"]
    assert row["before"]["value"] == 220 and row["after"]["value"] == 220
    assert row["change"] == 0
    assertContains(response, escape(partner.name))
    assertContains(response, '<th scope="col" class="numeric">2022</th>', html=False)


def test_comparing_needs_two_published_years(member_client, published):
    response = member_client.get(reverse("dashboards:compare"))

    assertContains(response, "Comparer nécessite les tableaux de bord de deux années")


def test_comparing_a_year_with_itself_is_a_form_error(member_client, partner):
    DashboardVersionFactory(published=True, data_year=2022, content=sample_content(partner, data_year=2022))
    DashboardVersionFactory(published=True, data_year=2023, content=sample_content(partner, data_year=2023))

    response = member_client.get(reverse("dashboards:compare"), {"before": 2023, "after": 2023})

    assertContains(response, "Choisissez deux années différentes")
    assert response.context["sections"] is None


def test_the_referent_previews_an_approved_version_as_it_will_be_published(
    referent_client, partner, other_partner
):
    version = DashboardVersionFactory(status=Status.APPROVED, content=sample_content(partner, other_partner))
    version.consent_requests.create(partner=other_partner, status="refused", reason="Non", left_out=True)

    response = referent_client.get(reverse("dashboards:version_preview", args=[version.pk]))

    assertContains(response, "Aperçu tel que publié")
    assertContains(response, escape(partner.name))
    assertContains(response, "à la demande de la source")
    assertNotContains(response, f"({other_partner.short_name})")  # its figure is left out
    assertNotContains(response, "masked--internal")
    detail = referent_client.get(version.get_absolute_url())
    assertContains(detail, reverse("dashboards:version_preview", args=[version.pk]))


def test_members_find_the_published_dashboards_in_the_menu(
    member_client, referent_client, correspondent_client
):
    link = f'href="{reverse("dashboards:published_list")}"'

    assertContains(member_client.get(reverse("home")), link)
    assertContains(referent_client.get(reverse("home")), link)
    assertNotContains(correspondent_client.get(reverse("home")), link)


def test_the_publication_email_links_to_the_extranet_page(
    referent, partner, correspondent, mailoutbox, django_capture_on_commit_callbacks
):
    version = DashboardVersionFactory(status=Status.APPROVED, content=sample_content(partner))

    with django_capture_on_commit_callbacks(execute=True):
        services.publish(version, actor=Actor(user=referent))

    [message] = mailoutbox
    assert page(version) in message.body
    assert version.get_absolute_url() not in message.body


def test_an_anonymous_visitor_of_a_referent_page_still_signs_in(client, published):
    response = client.get(reverse("dashboards:version_preview", args=[published.pk]))

    assertRedirects(
        response,
        f"{reverse('account_login')}?next={reverse('dashboards:version_preview', args=[published.pk])}",
        fetch_redirect_response=False,
    )


def test_the_sign_in_page_leads_the_public_to_the_public_dashboards(client, public):
    response = client.get(reverse("account_login"))

    assertContains(response, f'href="{reverse("dashboards:published_list")}"')


def test_the_list_of_publications_needs_few_queries_whatever_the_number_of_versions(
    member_client, partner, django_assert_max_num_queries
):
    for year in (2020, 2021, 2022, 2023):
        for number in (1, 2):
            DashboardVersionFactory(
                published=True, data_year=year, number=number, content=sample_content(partner, data_year=year)
            )

    # The session (read, then its idle time saved), the user, their roles, the versions.
    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("dashboards:published_list"))

    assert len(response.context["years"]) == 4


def test_the_public_gets_one_page_rendered_once_for_everyone(client, public, django_assert_num_queries):
    url = reverse("dashboards:published_detail", args=[2022])
    first = client.get(url)

    with django_assert_num_queries(0):  # kept in the process for a few seconds
        second = Client().get(url)

    assert second.content == first.content
    assert "csrftoken" not in first.cookies  # nothing personal in it: no form token either


def test_a_visitor_with_a_message_waiting_sees_it_and_it_never_reaches_the_shared_page(member_client, public):
    url = reverse("dashboards:published_detail", args=[2022])
    Client().get(url)  # the shared page is made
    member_client.post(reverse("account_logout"))

    with_message = member_client.get(url)

    assertContains(with_message, "Vous êtes déconnecté")
    assertNotContains(Client().get(url), "Vous êtes déconnecté")


def test_the_shared_page_is_sent_compressed_to_browsers_that_accept_it(client, public):
    url = reverse("dashboards:published_detail", args=[2022])
    plain = client.get(url)

    compressed = Client().get(url, headers={"Accept-Encoding": "gzip, deflate"})

    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert "Accept-Encoding" in compressed["Vary"]


def test_a_withdrawal_reaches_the_public_once_the_shared_page_expires(client, public, referent, settings):
    settings.SHARED_PAGE_SECONDS = 0  # expired as soon as made
    url = reverse("dashboards:published_detail", args=[2022])
    assert client.get(url).status_code == 200

    services.withdraw(public, actor=Actor(user=referent), reason="Erreur")

    assert Client().get(url).status_code == 404


def test_the_comparison_is_offered_only_once_another_year_is_published(member_client, published, partner):
    compare = reverse("dashboards:compare")

    assertNotContains(member_client.get(page(published)), compare)

    DashboardVersionFactory(published=True, data_year=2022, content=sample_content(partner, data_year=2022))

    assertContains(member_client.get(page(published)), compare)
