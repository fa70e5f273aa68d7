"""A worker killed (SIGKILL) in the middle of a file's check: the file is checked again, and recorded once."""

import os
import signal
import time

import pytest

from odpe.models import AuditEvent
from tests.faults.workbooks import WIDE_SCHEMA, big_wide_workbook
from tests.uploads.factories import (
    CampaignFactory,
    SubmissionFactory,
    TableRequirementFactory,
    TableSpecFactory,
)
from uploads.models import SubmissionVersion

pytestmark = pytest.mark.faults
Status = SubmissionVersion.Status
ROWS = 100_000  # 2.6 million cells, 7.6 MB: within what the reader may allocate, and seconds of checking
# Short enough for a test, longer than the check: the hard limit must stay under the visibility timeout.
VISIBILITY_TIMEOUT = 15
FAST_REDELIVERY = {
    "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    "VALIDATION_TIME_LIMIT": "12",
    "DASHBOARD_TIME_LIMIT": "12",
}


def wait_for_status(version, *statuses, timeout=120, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        version.refresh_from_db()
        if version.status in statuses:
            return version
        time.sleep(interval)
    pytest.fail(f"Version still « {version.status} » after {timeout} s")


def upload_and_kill_the_check(stack, correspondent, partner, **worker_env):
    spec = TableSpecFactory(schema=WIDE_SCHEMA)
    TableRequirementFactory(partner=partner, spec=spec)
    submission = SubmissionFactory(campaign=CampaignFactory(), partner=partner, spec=spec)
    worker = stack.start_worker("first-worker", **worker_env)

    response = stack.browser(correspondent).upload(
        f"/submissions/{submission.pk}/upload/", "grand-tableau.xlsx", big_wide_workbook(ROWS)
    )

    assert response.status_code == 302
    version = wait_for_status(submission.versions.get(), Status.VALIDATING, timeout=60, interval=0.02)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    killed_at = time.monotonic()
    version.refresh_from_db()
    assert (version.status, version.validation_attempts) == (Status.VALIDATING, 1), "killed too late"
    return version, killed_at


def assert_checked_exactly_once(version):
    version.refresh_from_db()
    assert version.status == Status.TO_REVIEW
    assert version.report == {"valid": True, "errors": [], "warnings": []}
    assert version.validation_attempts == 2
    assert list(version.events.values_list("status", flat=True).order_by("at")) == [
        Status.RECEIVED,
        Status.VALIDATING,
        Status.TO_REVIEW,
    ]
    assert AuditEvent.objects.filter(action="submission.checked", object_id=str(version.pk)).count() == 1


def test_redis_hands_the_killed_check_to_the_next_worker_after_the_visibility_timeout(
    stack, correspondent, partner
):
    version, killed_at = upload_and_kill_the_check(stack, correspondent, partner, **FAST_REDELIVERY)

    # The unacknowledged message waits in Redis; a worker looks for such messages when it starts.
    time.sleep(max(0, killed_at + VISIBILITY_TIMEOUT + 1 - time.monotonic()))
    stack.start_worker("second-worker", **FAST_REDELIVERY)

    wait_for_status(version, Status.TO_REVIEW, Status.INVALID)
    assert_checked_exactly_once(version)
    assert stack.sweep() == 0  # the beat's sweep finds nothing left to do


def test_the_sweep_hands_the_killed_check_to_a_worker_before_redis_would(stack, correspondent, partner):
    version, _killed_at = upload_and_kill_the_check(stack, correspondent, partner)
    stack.start_worker("second-worker")  # Redis keeps the message away from it for an hour

    assert stack.sweep() == 1  # the beat's task, run once the check is overdue

    wait_for_status(version, Status.TO_REVIEW, Status.INVALID)
    assert_checked_exactly_once(version)
