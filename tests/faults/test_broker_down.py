"""Redis stops while a correspondent uploads: the upload is kept and acknowledged, and checked once Redis
is back."""

import hashlib
import time

import pytest

from odpe.models import AuditEvent
from tests.faults.test_worker_killed import wait_for_status
from tests.uploads.factories import CampaignFactory, SubmissionFactory, TableRequirementFactory, xlsx_bytes
from uploads.models import SubmissionVersion

pytestmark = pytest.mark.faults
Status = SubmissionVersion.Status
GOOD_ROWS = [["Forez", 12, 10, 22], ["Roannais", 7, 9, 16]]


def test_an_upload_made_while_redis_is_down_is_kept_then_checked_once_redis_is_back(
    stack, correspondent, partner
):
    requirement = TableRequirementFactory(partner=partner)
    submission = SubmissionFactory(campaign=CampaignFactory(), partner=partner, spec=requirement.spec)
    stack.start_worker("worker")
    browser = stack.browser(correspondent)
    content = xlsx_bytes(GOOD_ROWS)
    upload_path = f"/submissions/{submission.pk}/upload/"

    stack.redis.stop()
    started = time.monotonic()
    response = browser.upload(upload_path, "tableau.xlsx", content)
    answered_in = time.monotonic() - started

    assert response.status_code == 302
    assert response.headers["Location"] == f"/submissions/{submission.pk}/"
    assert answered_in < 20, f"the upload took {answered_in:.1f} s to answer"
    version = submission.versions.get()
    assert version.status == Status.RECEIVED
    assert hashlib.sha256((stack.folder / "private" / version.file.name).read_bytes()).hexdigest() == (
        hashlib.sha256(content).hexdigest()
    )
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    page = browser.get(f"/submissions/{submission.pk}/")
    assert page.status_code == 200
    assert "tableau.xlsx" in page.text

    stack.redis.start()  # empty: it lost nothing, the message was never sent
    assert stack.sweep() == 1  # the beat's task, run once the upload is overdue

    version = wait_for_status(version, Status.TO_REVIEW, Status.INVALID, timeout=60)
    assert version.status == Status.TO_REVIEW
    assert version.validation_attempts == 1
    assert version.events.filter(status=Status.TO_REVIEW).count() == 1
    assert AuditEvent.objects.filter(action="submission.checked", object_id=str(version.pk)).count() == 1
    assert stack.sweep() == 0

    # The same web process enqueues the next upload at once: nothing stays stuck.
    response = browser.upload(upload_path, "tableau-v2.xlsx", content)
    assert response.status_code == 302
    second = wait_for_status(submission.versions.get(number=2), Status.TO_REVIEW, Status.INVALID, timeout=60)
    assert second.status == Status.TO_REVIEW
    assert second.validation_attempts == 1
