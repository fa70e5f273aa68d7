import time

import pytest

from odpe.accounts import services
from odpe.accounts.roles import Role
from odpe.audit import Actor
from tests.celery_worker import celery_worker_process  # noqa: F401 (fixture)

pytestmark = pytest.mark.celery_worker


def test_the_real_worker_sends_the_invitation_without_logging_its_token(celery_worker_process):  # noqa: F811
    _invitation, token = services.invite_person("invitee@example.org", Role.MEMBER, actor=Actor.platform())

    deadline = time.monotonic() + 60
    while "send_invitation_email" not in (log := celery_worker_process.log_path.read_text()) or (
        "succeeded" not in log
    ):
        assert time.monotonic() < deadline, log
        time.sleep(0.2)

    assert "[redacted]" in log  # Celery shows the arguments as the service masked them
    assert token not in log
