"""Loire art. 5 for studies: a study online on the extranet goes to the public only after every source
whose data it uses agreed, through the consent requests of the dashboards; the sources are told when it
goes public."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from dashboards import documents, services
from dashboards.models import ConsentRequest
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.dashboards.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(referent):
    return DocumentFactory(validated=True, partner=None, title="Étude sur les sorties de l'ASE")


def test_referent_asks_the_sources_and_their_correspondents_are_emailed(
    referent_client, study, partner, correspondent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = referent_client.post(
            reverse("dashboards:document_sources", args=[study.pk]), {"sources": [partner.pk]}
        )

    assertRedirects(response, study.get_absolute_url())
    request = ConsentRequest.objects.get(document=study)
    assert request.partner == partner and request.status == ConsentRequest.Status.PENDING
    assert [m.to for m in mail.outbox] == [[correspondent.email]]
    assert "Étude sur les sorties de l'ASE" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="document.consent_requested", object_id=str(study.pk)).exists()


def test_the_source_answers_from_the_consent_page(
    correspondent_client, correspondent, study, partner, referent
):
    documents.request_document_consents(study, actor=Actor(user=referent), sources=[partner])
    request = ConsentRequest.objects.get(document=study)

    page = correspondent_client.get(request.get_absolute_url())
    assertContains(page, "Étude «\u00a0Étude sur les sorties de l&#x27;ASE\u00a0»")
    response = correspondent_client.post(request.get_absolute_url(), {"decision": "consent", "reason": ""})

    assertRedirects(response, request.get_absolute_url())
    request.refresh_from_db()
    assert request.status == ConsentRequest.Status.CONSENTED and request.answered_by == correspondent


def test_the_study_cannot_go_public_while_a_source_has_not_agreed(
    study, partner, other_partner, referent, correspondent
):
    documents.request_document_consents(study, actor=Actor(user=referent), sources=[partner, other_partner])
    services.record_consent(
        ConsentRequest.objects.get(document=study, partner=partner),
        actor=Actor(user=correspondent),
        consent=True,
    )

    with pytest.raises(TransitionError, match="MDPH|Maison"):
        documents.release_document(study, actor=Actor(user=referent))
    study.refresh_from_db()
    assert study.public_at is None


def test_once_every_source_agreed_the_study_goes_public_and_the_sources_are_told(
    referent_client, study, partner, correspondent, referent, django_capture_on_commit_callbacks
):
    documents.request_document_consents(study, actor=Actor(user=referent), sources=[partner])
    services.record_consent(
        ConsentRequest.objects.get(document=study), actor=Actor(user=correspondent), consent=True
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = referent_client.post(reverse("dashboards:document_release", args=[study.pk]))

    assertRedirects(response, study.get_absolute_url())
    study.refresh_from_db()
    assert study.public_at is not None
    assert [m.to for m in mail.outbox] == [[correspondent.email]]
    assert "est désormais publique" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="document.released").exists()


def test_releasing_without_asking_the_sources_shows_a_message(referent_client, study):
    response = referent_client.post(reverse("dashboards:document_release", args=[study.pk]), follow=True)

    assertContains(response, "Interrogez d’abord les sources")
    study.refresh_from_db()
    assert study.public_at is None


def test_a_refusal_keeps_the_study_off_the_public(study, partner, referent, correspondent):
    documents.request_document_consents(study, actor=Actor(user=referent), sources=[partner])
    services.record_consent(
        ConsentRequest.objects.get(document=study),
        actor=Actor(user=correspondent),
        consent=False,
        reason="Effectifs trop faibles",
    )

    with pytest.raises(TransitionError):
        documents.release_document(study, actor=Actor(user=referent))


def test_once_public_the_sources_can_no_longer_answer(study, partner, referent, correspondent):
    documents.request_document_consents(study, actor=Actor(user=referent), sources=[partner])
    request = ConsentRequest.objects.get(document=study)
    services.record_consent(request, actor=Actor(user=correspondent), consent=True)
    documents.release_document(study, actor=Actor(user=referent))

    with pytest.raises(TransitionError):
        documents.request_document_consents(study, actor=Actor(user=referent), sources=[partner])


def test_a_study_waiting_for_validation_cannot_be_submitted_to_its_sources(partner, referent):
    waiting = DocumentFactory()

    with pytest.raises(TransitionError):
        documents.request_document_consents(waiting, actor=Actor(user=referent), sources=[partner])


def test_only_the_sources_own_correspondents_answer(study, partner, referent, other_partner_correspondent):
    documents.request_document_consents(study, actor=Actor(user=referent), sources=[partner])

    with pytest.raises(PermissionDenied):
        services.record_consent(
            ConsentRequest.objects.get(document=study),
            actor=Actor(user=other_partner_correspondent),
            consent=True,
        )


def test_a_member_cannot_ask_the_sources(member_client, study):
    assert member_client.get(reverse("dashboards:document_sources", args=[study.pk])).status_code == 403
