"""Studies released to the public (Loire art. 5): anyone reads their list and downloads their file without
an account; a study not released, or withdrawn since, is a 404 there, whoever asks."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from dashboards import documents, services
from dashboards.models import ConsentRequest
from odpe.audit import Actor
from odpe.models import AuditEvent
from tests.dashboards.factories import PDF_BYTES, DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def released(partner, referent, correspondent):
    """A study online on the extranet, released through its sources' consent."""
    study = DocumentFactory(validated=True, partner=None, title="Étude sur les sorties de l'ASE")
    documents.request_document_consents(study, actor=Actor(user=referent), sources=[partner])
    services.record_consent(
        ConsentRequest.objects.get(document=study), actor=Actor(user=correspondent), consent=True
    )
    return documents.release_document(study, actor=Actor(user=referent))


def download(client, study):
    """The response, and the file's bytes (read to the end, which closes the file)."""
    response = client.get(reverse("dashboards:public_study_file", args=[study.pk]))
    return response, b"".join(response.streaming_content) if response.streaming else b""


def test_anonymous_visitor_reads_a_released_study_with_its_sources(client, released):
    response = client.get(reverse("dashboards:public_study_list"))

    assertContains(response, "Étude sur les sorties de l&#x27;ASE")
    assertContains(response, "Caisse d&#x27;Allocations Familiales de la Loire")
    assertContains(response, reverse("dashboards:public_study_file", args=[released.pk]))


def test_anonymous_visitor_downloads_a_released_study_and_the_download_is_audited(client, released):
    response, body = download(client, released)

    assert response.status_code == 200
    assert body == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment")
    event = AuditEvent.objects.get(action="document.downloaded", object_id=str(released.pk))
    assert (event.actor, event.actor_label, event.ip) == (None, "visiteur anonyme", "127.0.0.1")


def test_a_study_online_for_the_members_only_is_404_by_url_even_for_the_referent(client, referent_client):
    members_only = DocumentFactory(validated=True, title="Étude réservée aux membres")

    assert download(client, members_only)[0].status_code == 404
    assert download(referent_client, members_only)[0].status_code == 404
    assertNotContains(client.get(reverse("dashboards:public_study_list")), "Étude réservée aux membres")
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()


def test_a_withdrawn_study_disappears_from_the_public(client, released, referent):
    documents.withdraw_document(
        released, actor=Actor(user=referent), reason="Une version corrigée va suivre."
    )

    assertNotContains(client.get(reverse("dashboards:public_study_list")), "sorties de l&#x27;ASE")
    assertNotContains(client.get(reverse("public_home")), "sorties de l&#x27;ASE")
    assert download(client, released)[0].status_code == 404


def test_the_public_home_lists_the_latest_released_studies_beside_the_dashboards(client, released):
    DocumentFactory(validated=True, title="Étude réservée aux membres")

    response = client.get(reverse("public_home"))

    assertContains(response, "Étude sur les sorties de l&#x27;ASE")
    assertContains(response, reverse("dashboards:public_study_file", args=[released.pk]))
    assertContains(response, f'href="{reverse("dashboards:public_study_list")}"')
    assertNotContains(response, "Étude réservée aux membres")


def test_the_public_home_says_when_no_study_is_public(client):
    assertContains(client.get(reverse("public_home")), "Aucune étude n’est encore publiée pour le public")


def test_the_list_of_public_studies_costs_the_same_queries_for_many_studies(
    client, django_assert_max_num_queries
):
    DocumentFactory.create_batch(5, released=True)

    with django_assert_max_num_queries(3):
        assert client.get(reverse("dashboards:public_study_list")).status_code == 200
