"""Pseudonymised datasets under a data-transfer convention: received only from a designated person,
checked, stored encrypted, seen only by the people the convention designates (404 to anyone else), every
download audited; receiving one expects the recipient's reception notice (PIPASE art. 4.2)."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pytest_django.asserts import assertContains

from conventions.models import DepartmentNotice
from odpe.audit import Actor
from odpe.errors import TransitionError
from odpe.models import AuditEvent
from tests.conftest import signed_in
from tests.conventions.factories import PartnerFactory
from tests.uploads.transfers.factories import (
    csv_bytes,
    department,
    designate,
    person,
    receive,
    transfer_convention,
    upload,
)
from uploads.transfers import services
from uploads.transfers.models import Dataset, Designation

pytestmark = pytest.mark.django_db

ROWS = [person("DUPONT", "MARIE"), person("MARTIN", "LEO", "14", "07", "2003")]


@pytest.fixture
def sender(db):
    return department()


@pytest.fixture
def convention(partner, sender):
    """The correspondent's partner (the Association) receives what the Département sends."""
    return transfer_convention(partner, sender)


@pytest.fixture
def sender_person(sender, convention):
    from odpe.accounts.services import add_correspondent
    from tests.accounts.factories import UserFactory

    user = UserFactory(email="statistiques@departement.example.org")
    add_correspondent(user, sender, actor=Actor.platform())
    designate(convention, sender, user)
    return user


@pytest.fixture
def recipient_person(convention, partner, correspondent):
    designate(convention, partner, correspondent)
    return correspondent


def test_a_received_dataset_is_stored_encrypted_with_its_counts(convention, sender, sender_person):
    content = csv_bytes(ROWS)

    dataset = receive(convention, sender, ROWS, sender_person, content=content)

    assert (dataset.rows, dataset.columns, dataset.kind) == (2, list(ROWS[0]), "csv")
    with default_storage.open(dataset.file.name, "rb") as stored:
        on_disk = stored.read()
    assert ROWS[0]["cle_primaire"].encode() not in on_disk
    assert AuditEvent.objects.filter(action="transfers.dataset_received", object_id=str(dataset.pk)).exists()


def test_receiving_a_dataset_expects_the_recipients_reception_notice(
    convention, partner, sender, sender_person
):
    dataset = receive(convention, sender, ROWS, sender_person, label="Extraction Iodas-ASE 2024")

    notice = DepartmentNotice.objects.get()
    assert (notice.kind, notice.partner, notice.about) == ("reception", partner, str(dataset.pk))
    assert "Extraction Iodas-ASE 2024" in notice.subject


def test_a_refused_dataset_leaves_nothing_but_an_audit_row(convention, sender, sender_person):
    rows = [{**ROWS[0], "suite_donnee": "Marie DUPONT"}]

    with pytest.raises(services.DatasetRefused) as refusal:
        receive(convention, sender, rows, sender_person)

    assert "nom d'une personne" in refusal.value.findings[0]
    assert not Dataset.objects.exists() and not DepartmentNotice.objects.exists()
    assert not default_storage.exists("transfers") or default_storage.listdir("transfers") == ([], [])
    assert AuditEvent.objects.filter(action="transfers.dataset_refused").count() == 1


def test_an_ended_convention_receives_nothing(convention, sender, sender_person):
    convention.closed_at = convention.created_at
    convention.save()

    with pytest.raises(TransitionError):
        receive(convention, sender, ROWS, sender_person)


def test_only_a_correspondent_of_a_party_can_be_designated(
    convention, sender, admin_user, correspondent, partner
):
    stranger = PartnerFactory(with_correspondent=True)

    with pytest.raises(TransitionError):
        services.designate_person(convention, stranger, correspondent, actor=Actor(user=admin_user))
    with pytest.raises(TransitionError):
        services.designate_person(convention, sender, correspondent, actor=Actor(user=admin_user))
    designation = services.designate_person(convention, partner, correspondent, actor=Actor(user=admin_user))
    with pytest.raises(TransitionError):
        services.designate_person(convention, partner, correspondent, actor=Actor(user=admin_user))

    services.end_designation(designation, actor=Actor(user=admin_user))
    assert not Designation.objects.filter(ended_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action__startswith="transfers.").count() == 2


# Pages ------------------------------------------------------------------------------------------------


def test_the_designated_sender_uploads_from_the_page(convention, sender, sender_person):
    client = signed_in(sender_person)
    url = reverse("transfers:dataset_upload", args=[convention.pk])

    response = client.post(
        url,
        {
            "partner": sender.pk,
            "base": "iodas_ase",
            "label": "Extraction 2024",
            "file": upload(csv_bytes(ROWS)),
        },
        follow=True,
    )

    assertContains(response, "Jeu de données reçu, vérifié et conservé chiffré")
    assert Dataset.objects.get().uploaded_by == sender_person


def test_the_page_lists_what_the_checks_found_and_keeps_nothing(convention, sender, sender_person):
    client = signed_in(sender_person)
    rows = [{**ROWS[0], "cle_primaire": "abc"}]

    response = client.post(
        reverse("transfers:dataset_upload", args=[convention.pk]),
        {"partner": sender.pk, "base": "iodas_ase", "label": "Extraction", "file": upload(csv_bytes(rows))},
    )

    assertContains(response, "Ligne 2, colonne « cle_primaire »")
    assertContains(response, "rien n’en a été conservé")
    assert not Dataset.objects.exists()


def test_a_designated_person_cannot_send_in_another_partners_name(convention, partner, sender, sender_person):
    response = signed_in(sender_person).post(
        reverse("transfers:dataset_upload", args=[convention.pk]),
        {"partner": partner.pk, "base": "iodas_ase", "label": "X", "file": upload(csv_bytes(ROWS))},
    )

    assert response.status_code == 200 and not Dataset.objects.exists()


def test_the_recipient_downloads_the_decrypted_file_and_the_download_is_audited(
    convention, sender, sender_person, recipient_person
):
    content = csv_bytes(ROWS)
    dataset = receive(convention, sender, ROWS, sender_person, content=content)

    response = signed_in(recipient_person).get(reverse("transfers:dataset_file", args=[dataset.pk]))

    assert b"".join(response.streaming_content) == content
    event = AuditEvent.objects.get(action="transfers.dataset_downloaded")
    assert (event.actor, event.object_id) == (recipient_person, str(dataset.pk))


def test_a_correspondent_the_convention_does_not_designate_gets_404(
    convention, sender, sender_person, correspondent_client
):
    dataset = receive(convention, sender, ROWS, sender_person)

    for name, pk in (
        ("transfer_detail", convention.pk),
        ("dataset_upload", convention.pk),
        ("dataset_detail", dataset.pk),
        ("dataset_file", dataset.pk),
    ):
        assert correspondent_client.get(reverse(f"transfers:{name}", args=[pk])).status_code == 404


def test_admins_and_referents_do_not_see_the_datasets(
    convention, sender, sender_person, admin_client, referent_client
):
    dataset = receive(convention, sender, ROWS, sender_person)

    assert admin_client.get(reverse("transfers:dataset_file", args=[dataset.pk])).status_code == 403
    assert referent_client.get(reverse("transfers:dataset_detail", args=[dataset.pk])).status_code == 403


def test_the_admin_designates_a_correspondent_from_the_page(convention, partner, correspondent, admin_client):
    url = reverse("transfers:designation_list", args=[convention.pk])

    response = admin_client.post(url, {"partner": partner.pk, "user": correspondent.pk}, follow=True)

    assertContains(response, "Personne habilitée")
    assert Designation.objects.filter(convention=convention, user=correspondent).exists()
