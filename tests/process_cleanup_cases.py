"""Cases for `tests/test_process_cleanup.py`, which runs them in a pytest of its own (the module's name
keeps it out of the suite). Each starts real processes through the helpers the fault and worker tests
use, writes their process group to the file named by PROCESS_RECORD, then fails or forgets them."""

import os
import subprocess
import sys

import pytest

from tests import processes
from tests.faults.processes import PrivateRedis, wait_until

# Ignores SIGTERM, and so does the child it forks.
STUBBORN = (
    "import os, signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); os.fork(); time.sleep(600)"
)

# Kept referenced, as a leaking fixture would: Python would otherwise warn when it drops the object.
FORGOTTEN = []


def record(name: str, group: int) -> None:
    with open(os.environ["PROCESS_RECORD"], "a") as file:
        file.write(f"{name} {group}\n")


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path)
    try:
        redis.start()
        yield redis
    finally:
        redis.stop()


@pytest.fixture
def stubborn_group():
    process = processes.start([sys.executable, "-c", STUBBORN])
    try:
        yield process
    finally:
        processes.stop(process, grace=1)


def test_an_assertion_fails_while_a_private_redis_runs(private_redis):
    record("redis-server", private_redis.process.pid)
    assert private_redis.process.poll() is not None, "deliberate failure: the redis-server runs"


def test_a_wait_times_out_while_a_group_that_ignores_sigterm_runs(stubborn_group):
    record("stubborn group", stubborn_group.pid)
    wait_until(lambda: len(processes.group_members(stubborn_group.pid)) == 2, 30, "The child did not start")
    wait_until(lambda: False, 0.5, "Deliberate time-out")


def test_a_process_is_started_and_forgotten():
    process = processes.start(
        [sys.executable, "-c", "import time; time.sleep(600)"], stdout=subprocess.DEVNULL
    )
    FORGOTTEN.append(process)
    record("forgotten process", process.pid)
