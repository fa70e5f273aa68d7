"""A published dashboard's PDF is drawn in the background at publication and kept as a private file: its
first reader downloads it at once."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from dashboards import rendering, services
from dashboards.models import DashboardVersion
from odpe.audit import Actor
from odpe.models import AuditEvent
from tests.dashboards.factories import DashboardVersionFactory, sample_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(referent, partner, django_capture_on_commit_callbacks):
    approved = DashboardVersionFactory(
        status=DashboardVersion.Status.APPROVED, content=sample_content(partner)
    )
    with django_capture_on_commit_callbacks(execute=True):
        return services.publish(approved, actor=Actor(user=referent))


def test_publication_draws_the_pdf_once_as_a_private_file(published):
    published.refresh_from_db()
    assert published.pdf.name.startswith("dashboards/")
    with published.pdf.open("rb") as file:
        assert file.read().startswith(b"%PDF-")
    first = published.pdf.name

    services.make_version_pdf(published)  # a task delivered twice keeps the first file

    published.refresh_from_db()
    assert published.pdf.name == first
    assert AuditEvent.objects.filter(action="dashboard.pdf_made", object_id=str(published.pk)).count() == 1


def test_the_first_reader_downloads_the_kept_pdf_without_drawing_it(member_client, published):
    published.refresh_from_db()
    response = member_client.get(reverse("dashboards:export", args=[published.pk, "pdf"]))

    with published.pdf.open("rb") as file:
        assert response.content == file.read()
    assert cache.get(rendering.cache_key(published, "pdf")) is None


def test_a_reader_in_english_gets_a_pdf_drawn_in_english(member_client, published):
    member_client.post(reverse("set_language"), {"language": "en"})
    response = member_client.get(reverse("dashboards:export", args=[published.pk, "pdf"]))

    published.refresh_from_db()
    with published.pdf.open("rb") as file:
        assert response.content.startswith(b"%PDF-") and response.content != file.read()


def test_a_version_withdrawn_before_its_pdf_is_drawn_gets_none(referent, partner):
    approved = DashboardVersionFactory(
        status=DashboardVersion.Status.APPROVED, content=sample_content(partner)
    )
    version = services.publish(approved, actor=Actor(user=referent))  # its tasks never ran
    services.withdraw(version, actor=Actor(user=referent), reason="Erreur de saisie")

    services.make_version_pdf(DashboardVersion.objects.get(pk=version.pk))

    assert not DashboardVersion.objects.get(pk=version.pk).pdf
