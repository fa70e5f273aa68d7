"""An upload through HTTP is checked by a real Celery worker on Redis (CI runs it on PostgreSQL)."""

import time

import pytest
from django.urls import reverse

from tests.uploads.factories import CampaignFactory, SubmissionFactory, TableRequirementFactory, xlsx_upload
from uploads.models import SubmissionVersion

pytestmark = pytest.mark.celery_worker


def wait_for_status(version: SubmissionVersion, *statuses: str, timeout: float = 60) -> SubmissionVersion:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        version.refresh_from_db()
        if version.status in statuses:
            return version
        time.sleep(0.2)
    pytest.fail(f"Version still « {version.status} » after {timeout} s")


def test_an_upload_is_checked_by_the_worker_and_waits_for_review(
    celery_worker_process,
    correspondent_client,
    partner,
):
    requirement = TableRequirementFactory(partner=partner)
    submission = SubmissionFactory(campaign=CampaignFactory(), partner=partner, spec=requirement.spec)

    response = correspondent_client.post(
        reverse("uploads:submission_upload", args=[submission.pk]), {"file": xlsx_upload(), "attested": "on"}
    )

    assert response.status_code == 302
    version = wait_for_status(
        submission.versions.get(), SubmissionVersion.Status.TO_REVIEW, SubmissionVersion.Status.INVALID
    )
    assert version.status == SubmissionVersion.Status.TO_REVIEW
    assert version.report == {"valid": True, "errors": [], "warnings": []}
    assert version.validation_attempts == 1
