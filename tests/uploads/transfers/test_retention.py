"""Pseudonymised datasets are kept while their convention is in force and purged by the daily run
RETENTION_TRANSFER_DATASETS_DAYS after it closes (PIPASE art. 4.1): the encrypted bytes go, the row stays."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse

from odpe.roof import tasks
from tests.conftest import signed_in
from tests.uploads.transfers.factories import department, designate, person, receive, transfer_convention

pytestmark = pytest.mark.django_db

CLOSED = datetime(2026, 1, 5, 9, tzinfo=UTC)


@pytest.fixture
def dataset(partner, correspondent):
    convention = transfer_convention(partner, department())
    designate(convention, partner, correspondent)
    return receive(convention, partner, [person("DUPONT", "MARIE")], correspondent, base="externe")


def purge_on(moment: datetime) -> dict[str, int]:
    with time_machine.travel(moment, tick=False):
        return tasks.purge_expired_data()


def test_a_dataset_of_a_convention_in_force_is_kept(dataset):
    assert purge_on(CLOSED + timedelta(days=3650))["transfer_datasets"] == 0
    assert default_storage.exists(dataset.file.name)


def test_the_bytes_go_after_the_closure_and_its_duration(
    dataset, settings, correspondent, django_capture_on_commit_callbacks
):
    settings.RETENTION = {**settings.RETENTION, "transfer_datasets": 30}
    stored = dataset.file.name
    dataset.convention.closed_at = CLOSED
    dataset.convention.save()

    assert purge_on(CLOSED + timedelta(days=29))["transfer_datasets"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_on(CLOSED + timedelta(days=31))["transfer_datasets"] == 1
    assert purge_on(CLOSED + timedelta(days=32))["transfer_datasets"] == 0

    dataset.refresh_from_db()
    assert dataset.deleted_at is not None and not dataset.file and dataset.rows == 1
    assert not default_storage.exists(stored)
    client = signed_in(correspondent)
    assert client.get(reverse("transfers:dataset_file", args=[dataset.pk])).status_code == 404
    assert "supprimé" in client.get(dataset.get_absolute_url()).content.decode()


def test_the_register_of_processing_states_the_duration(client, settings):
    settings.RETENTION = {**settings.RETENTION, "transfer_datasets": 15}

    page = client.get(reverse("processing_register")).content.decode()

    assert "Transferts pseudonymisés" in page and "15 jours après sa clôture" in page
