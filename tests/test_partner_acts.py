"""A partner's acts — consenting, uploading and attesting a table, sharing a document in its name — are
its own correspondents' only. No other role stands in for them: not the platform admin, not the
referent, not a technical superuser. A person who is also a correspondent acts for that partner only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dashboards import documents
from dashboards import services as dashboard_services
from dashboards.models import ConsentRequest, Document
from odpe.accounts.services import add_correspondent
from odpe.audit import Actor
from odpe.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.conftest import signed_in
from tests.dashboards.factories import PDF_BYTES, ConsentRequestFactory, upload
from tests.uploads.factories import SubmissionFactory, TableRequirementFactory, xlsx_upload
from uploads import services as upload_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent(partner):
    return ConsentRequestFactory(partner=partner)


@pytest.fixture
def submission(partner):
    requirement = TableRequirementFactory(partner=partner)
    return SubmissionFactory(partner=partner, spec=requirement.spec)


@pytest.fixture
def admin_of_another_partner(admin_user, other_partner):
    """A platform admin who is also a correspondent of another partner (a person may hold several roles)."""
    add_correspondent(admin_user, other_partner, actor=Actor.platform())
    return admin_user


def answer(client, consent):
    return client.post(reverse("dashboards:consent_detail", args=[consent.pk]), {"decision": "consent"})


def test_an_admin_posting_a_consent_answer_for_a_partner_is_refused_and_nothing_is_recorded(
    admin_client, consent
):
    response = answer(admin_client, consent)

    assert response.status_code == 403
    consent.refresh_from_db()
    assert consent.status == ConsentRequest.Status.PENDING
    assert consent.answered_by is None
    assert not AuditEvent.objects.filter(action="dashboard.consented").exists()


def test_a_referent_posting_a_consent_answer_for_a_partner_is_refused(referent_client, consent):
    assert answer(referent_client, consent).status_code == 403
    consent.refresh_from_db()
    assert consent.status == ConsentRequest.Status.PENDING


def test_an_admin_who_is_another_partners_correspondent_cannot_answer_for_this_partner(
    admin_of_another_partner, consent
):
    assert answer(signed_in(admin_of_another_partner), consent).status_code == 403
    consent.refresh_from_db()
    assert consent.status == ConsentRequest.Status.PENDING


def test_an_admin_who_is_also_the_partners_correspondent_answers_for_it(admin_user, partner, consent):
    add_correspondent(admin_user, partner, actor=Actor.platform())

    response = answer(signed_in(admin_user), consent)

    assert response.status_code == 302
    consent.refresh_from_db()
    assert (consent.status, consent.answered_by) == (ConsentRequest.Status.CONSENTED, admin_user)


def test_a_technical_superuser_cannot_consent_in_a_partners_name(consent):
    superuser = UserFactory(is_superuser=True, is_staff=True)

    with pytest.raises(PermissionDenied):
        dashboard_services.record_consent(consent, actor=Actor(user=superuser), consent=True)

    consent.refresh_from_db()
    assert consent.status == ConsentRequest.Status.PENDING


def test_the_consent_page_offers_the_admin_no_answer_form(admin_client, consent):
    response = admin_client.get(reverse("dashboards:consent_detail", args=[consent.pk]))

    assert response.status_code == 200
    assert response.context["form"] is None


def test_an_admin_who_is_another_partners_correspondent_cannot_upload_for_this_partner(
    admin_of_another_partner, submission
):
    response = signed_in(admin_of_another_partner).post(
        reverse("uploads:submission_upload", args=[submission.pk]), {"file": xlsx_upload(), "attested": "on"}
    )

    assert response.status_code == 403
    assert not submission.versions.exists()


def test_no_upload_or_attestation_in_a_partners_name_by_someone_else(admin_user, referent, submission):
    for user in [admin_user, referent, UserFactory(is_superuser=True, is_staff=True)]:
        with pytest.raises(PermissionDenied):
            upload_services.receive_upload(
                submission, actor=Actor(user=user), uploaded_file=xlsx_upload(), attested=True
            )

    assert not submission.versions.exists()
    assert not AuditEvent.objects.filter(action="submission.uploaded").exists()


def test_an_admin_cannot_share_a_document_in_a_partners_name(admin_client, partner):
    response = admin_client.post(
        reverse("dashboards:document_share"),
        {"partner": partner.pk, "title": "Étude", "published_on": "2025-03-14", "file": upload("etude.pdf")},
    )

    assert response.status_code == 400
    assert "partner" in response.context["form"].errors
    assert not Document.objects.exists()


def test_the_admin_still_shares_the_observatorys_own_documents(admin_client):
    response = admin_client.post(
        reverse("dashboards:document_share"),
        {"title": "Bilan", "published_on": "2025-03-14", "file": upload("bilan.pdf")},
    )

    assert response.status_code == 302
    assert Document.objects.get().partner is None


def test_the_documents_service_refuses_a_partners_document_from_someone_else(admin_user, referent, partner):
    for user in [admin_user, referent]:
        with pytest.raises(PermissionDenied):
            documents.share_document(
                actor=Actor(user=user),
                partner=partner,
                title="Étude",
                summary="",
                published_on="2025-03-14",
                uploaded_file=upload("etude.pdf", PDF_BYTES),
            )

    assert not Document.objects.exists()


def test_an_admin_who_is_a_correspondent_finds_only_their_own_partner_on_the_home_page(
    admin_of_another_partner, partner, other_partner
):
    response = signed_in(admin_of_another_partner).get(reverse("home"))

    assert list(response.context["my_partners"]) == [other_partner]
