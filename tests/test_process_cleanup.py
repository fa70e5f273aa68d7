"""A test that fails, or times out, or forgets a process it started, leaves no process behind: the
cases of `process_cleanup_cases.py` run in a pytest of their own, and their process groups are looked
for once it has exited."""

import os
import re
import subprocess
import sys
from pathlib import Path

from tests import processes

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "process_cleanup_cases.py"
LEFT_BEHIND = "Processes started by the tests were still alive at the end of the session"


def run_cases(tmp_path: Path, selection: str) -> tuple[subprocess.CompletedProcess, dict[str, int]]:
    """Run the selected cases in a pytest of their own; its outcome and the groups they started."""
    record = tmp_path / "started.txt"
    record.touch()
    outcome = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(CASES),
            "-q",
            "-k",
            selection,
            "--basetemp",
            str(tmp_path / "inner"),
        ],
        cwd=ROOT,
        env={**os.environ, "PROCESS_RECORD": str(record)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    groups = dict(line.rsplit(" ", 1) for line in record.read_text().splitlines())
    return outcome, {name: int(group) for name, group in groups.items()}


def still_alive(groups: dict[str, int]) -> dict[str, list[int]]:
    """The groups with a living process, which are then killed: this test leaves nothing either."""
    alive = {name: members for name, group in groups.items() if (members := processes.group_members(group))}
    for group in groups.values():
        processes.kill_group(group)
    return alive


def test_a_failing_or_timed_out_test_leaves_no_process_behind(tmp_path):
    outcome, groups = run_cases(tmp_path, "assertion_fails or wait_times_out")

    assert outcome.returncode == 1, outcome.stdout + outcome.stderr
    assert "2 failed" in outcome.stdout, outcome.stdout
    assert "deliberate failure" in outcome.stdout and "Deliberate time-out" in outcome.stdout
    assert set(groups) == {"redis-server", "stubborn group"}
    assert still_alive(groups) == {}
    assert LEFT_BEHIND not in outcome.stdout  # stopped by the fixtures, not by the session-end check


def test_a_forgotten_process_fails_the_run_and_is_killed_at_the_end_of_the_session(tmp_path):
    outcome, groups = run_cases(tmp_path, "started_and_forgotten")

    assert outcome.returncode == 1, outcome.stdout + outcome.stderr
    assert "1 passed" in outcome.stdout, outcome.stdout
    assert LEFT_BEHIND in outcome.stdout
    assert f"process group {groups['forgotten process']}" in outcome.stdout
    assert still_alive(groups) == {}


def test_every_process_the_tests_start_goes_through_the_shared_helper():
    helper = Path(processes.__file__).resolve()
    started_otherwise = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*.py")
        if path.resolve() != helper and re.search(r"\bPopen\(", path.read_text(encoding="utf-8"))
    ]
    assert started_otherwise == [], (
        "start processes with tests.processes.start, which stops them whatever happens"
    )
