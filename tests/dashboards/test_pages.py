"""The workflow's pages: the referent drives a version, a source's correspondents answer for their own."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from dashboards import services
from dashboards.models import ConsentRequest, DashboardVersion
from odpe.audit import Actor
from tests.dashboards.factories import observe
from tests.uploads.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(referent, partner, other_partner, django_capture_on_commit_callbacks):
    followed = IndicatorFactory(label="Enfants suivis")
    for territory, value in [("Forez", 3), ("Roannais", 40), ("Gier", 60)]:
        observe(followed, partner, 2023, value, territory=territory)
    observe(IndicatorFactory(label="Mesures"), other_partner, 2023, 250)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.create_version(data_year=2023, actor=Actor(user=referent))
    version = services.submit_for_review(version, actor=Actor(user=referent))
    with django_capture_on_commit_callbacks(execute=True):
        return services.request_consents(version, actor=Actor(user=referent))


def test_the_referent_creates_a_version_and_sees_its_internal_preview(
    referent_client, partner, django_capture_on_commit_callbacks
):
    followed = IndicatorFactory(label="Enfants suivis")
    for territory, value in [("Forez", 3), ("Roannais", 40), ("Gier", 60)]:
        observe(followed, partner, 2023, value, territory=territory)

    with django_capture_on_commit_callbacks(execute=True):
        response = referent_client.post(
            reverse("dashboards:version_list"), {"data_year": 2023, "threshold": 5}
        )

    version = DashboardVersion.objects.get()
    assertRedirects(response, version.get_absolute_url())
    page = referent_client.get(version.get_absolute_url())
    assertContains(page, "Aperçu interne")
    assertContains(page, "masqué")  # the raw value of a masked cell, marked as such, for the team only
    assertContains(page, escape(partner.name))


def test_a_correspondent_sees_and_answers_only_their_own_partners_requests(
    correspondent_client, awaiting, partner, other_partner
):
    own = awaiting.consent_requests.get(partner=partner)
    other = awaiting.consent_requests.get(partner=other_partner)

    listing = correspondent_client.get(reverse("dashboards:consent_list"))
    assertContains(listing, own.get_absolute_url())
    assertNotContains(listing, other.get_absolute_url())
    assert correspondent_client.get(other.get_absolute_url()).status_code == 404

    response = correspondent_client.post(own.get_absolute_url(), {"decision": "consent"})

    assertRedirects(response, own.get_absolute_url())
    own.refresh_from_db()
    assert own.status == ConsentRequest.Status.CONSENTED


def test_the_figures_shown_to_a_source_never_hold_a_masked_value(correspondent_client, awaiting, partner):
    own = awaiting.consent_requests.get(partner=partner)

    page = correspondent_client.get(own.get_absolute_url())

    assertContains(page, "secret statistique")
    assertNotContains(page, "masked--internal")


def test_refusing_without_a_reason_is_an_inline_error_and_records_nothing(
    correspondent_client, awaiting, partner
):
    own = awaiting.consent_requests.get(partner=partner)

    response = correspondent_client.post(own.get_absolute_url(), {"decision": "refuse", "reason": " "})

    assertContains(response, "Dites pourquoi votre institution refuse")
    own.refresh_from_db()
    assert own.status == ConsentRequest.Status.PENDING


def test_a_member_is_refused_the_consent_pages(member_client, awaiting, partner):
    own = awaiting.consent_requests.get(partner=partner)

    assert member_client.get(reverse("dashboards:consent_list")).status_code == 403
    assert member_client.get(own.get_absolute_url()).status_code == 403


def test_publishing_before_every_consent_is_a_message_not_an_error(referent_client, awaiting):
    awaiting.status = DashboardVersion.Status.APPROVED  # as if approved, with requests still pending
    awaiting.save(update_fields=["status"])

    response = referent_client.post(
        reverse("dashboards:version_publish", args=[awaiting.pk]), {}, follow=True
    )

    assertContains(response, "Publier nécessite l’accord de chaque source")
    awaiting.refresh_from_db()
    assert awaiting.status == DashboardVersion.Status.APPROVED


def test_generating_a_year_with_no_data_received_asks_for_a_confirmation_first(
    referent_client, django_capture_on_commit_callbacks
):
    response = referent_client.post(reverse("dashboards:version_list"), {"data_year": 2031, "threshold": 5})

    assertContains(response, "Aucune donnée reçue pour 2031")
    assert not DashboardVersion.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = referent_client.post(
            reverse("dashboards:version_list"),
            {"data_year": 2031, "threshold": 5, "empty_year_confirmed": "true"},
        )

    assertRedirects(response, DashboardVersion.objects.get(data_year=2031).get_absolute_url())


def test_a_refused_source_is_left_out_by_a_button_that_says_so(
    referent_client, correspondent, awaiting, partner
):
    partner.article = "la"
    partner.save(update_fields=["article"])
    refusal = awaiting.consent_requests.get(partner=partner)
    services.record_consent(
        refusal, actor=Actor(user=correspondent), consent=False, reason="Chiffres provisoires"
    )

    response = referent_client.get(awaiting.get_absolute_url())

    assertContains(response, "Retirer la CAF du tableau de bord")
    assertNotContains(response, "Publier sans")
