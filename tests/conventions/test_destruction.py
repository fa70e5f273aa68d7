from datetime import date

import pytest
from django.urls import reverse

from conventions import services
from conventions.models import DestructionCertificate
from odpe.audit import Actor
from odpe.models import AuditEvent
from odpe.roof import withdrawals
from tests.conventions.factories import ConventionFactory, sign

pytestmark = pytest.mark.django_db


def withdraw_and_apply(convention, partner, admin_user, *, runs: int = 1):
    withdrawal = services.record_withdrawal(
        sign(convention, partner),
        actor=Actor(user=admin_user),
        letter_sent_on=date(2024, 6, 3),
        letter_received_on=date(2024, 6, 5),
    )
    for _ in range(runs):
        withdrawals.apply_due_withdrawals(withdrawal.effective_on)
    return withdrawal


@pytest.fixture
def certificate(partner, admin_user):
    withdraw_and_apply(ConventionFactory(data_transfer=True), partner, admin_user)
    return DestructionCertificate.objects.get()


def test_withdrawal_from_a_destroy_convention_issues_a_certificate(partner, admin_user):
    convention = ConventionFactory(data_transfer=True)

    withdrawal = withdraw_and_apply(convention, partner, admin_user)

    certificate = DestructionCertificate.objects.get()
    assert (certificate.convention, certificate.partner, certificate.withdrawal) == (
        convention,
        partner,
        withdrawal,
    )
    assert certificate.destroyed_on == date(2024, 7, 5)
    assert AuditEvent.objects.filter(action="data.destroyed", object_id=str(certificate.pk)).count() == 1


def test_applying_twice_issues_only_one_certificate(partner, admin_user):
    withdraw_and_apply(ConventionFactory(data_transfer=True), partner, admin_user, runs=2)

    assert DestructionCertificate.objects.count() == 1
    assert AuditEvent.objects.filter(action="data.destroyed").count() == 1


def test_destroying_again_returns_the_existing_certificate(certificate, admin_user):
    again = withdrawals.destroy_received_data(
        certificate.convention, certificate.partner, destroyed_on=date(2025, 1, 1), actor=Actor(admin_user)
    )

    assert again == certificate
    assert DestructionCertificate.objects.count() == 1


def test_withdrawal_from_a_retain_convention_issues_no_certificate(partner, admin_user):
    withdraw_and_apply(ConventionFactory(multipartite=True), partner, admin_user)

    assert not DestructionCertificate.objects.exists()
    assert not AuditEvent.objects.filter(action="data.destroyed").exists()


def test_admin_downloads_the_certificate_as_an_audited_text_attachment(certificate, admin_client, admin_user):
    response = admin_client.get(reverse("conventions:certificate_download", args=[certificate.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment;")
    assert certificate.convention.reference in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="certificate.downloaded")
    assert (event.actor, event.object_id) == (admin_user, str(certificate.pk))


def test_the_certificate_names_the_partner_with_its_article(certificate, admin_client):
    certificate.partner.article = "la"
    certificate.partner.save(update_fields=["article"])

    response = admin_client.get(reverse("conventions:certificate_download", args=[certificate.pk]))

    text = response.content.decode()
    assert "fait suite à la dénonciation de la Caisse d'Allocations Familiales de la Loire" in text
    assert "dénonciation de Caisse" not in text


def test_referent_cannot_download_a_certificate(certificate, referent_client):
    response = referent_client.get(reverse("conventions:certificate_download", args=[certificate.pk]))

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="certificate.downloaded").exists()


def test_unknown_certificate_is_404_for_the_admin(admin_client):
    url = reverse("conventions:certificate_download", args=["00000000-0000-0000-0000-000000000000"])

    assert admin_client.get(url).status_code == 404
