"""Processes the tests start, stopped whatever happens to the test.

Each process starts in a process group of its own (`start`), so that stopping it (`stop`) reaches every
process it spawned (gunicorn's workers, Celery's pool): SIGTERM to the group, a short grace, then SIGKILL
to the whole group. Every group started is registered; at the end of the session `tests/conftest.py`
fails the run if any of them, or any child of the pytest process, is still alive.
"""

import os
import signal
import subprocess
import time
from pathlib import Path

GRACE_SECONDS = 10
# Process group id -> what was started, for the session-end check.
STARTED: dict[int, str] = {}


def start(command: list[str], **options) -> subprocess.Popen:
    """`subprocess.Popen(command, **options)` in a new process group, registered for the session-end check."""
    process = subprocess.Popen(command, start_new_session=True, **options)
    register(process.pid, " ".join(str(part) for part in command[:4]))
    return process


def register(group: int, what: str) -> None:
    """Track a process group started otherwise (a daemon such as PostgreSQL's postmaster)."""
    STARTED[group] = what


def stop(process: subprocess.Popen, grace: float = GRACE_SECONDS) -> None:
    """SIGTERM the process's group, wait `grace` seconds for it, then SIGKILL whatever of the group is left."""
    group = process.pid
    if process.poll() is None:
        signal_group(group, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    kill_group(group)
    process.wait()


def kill_group(group: int, grace: float = GRACE_SECONDS) -> None:
    """SIGKILL every process of the group and wait until none is left (zombies aside); a group that is
    gone is no longer tracked (its number may be given to another process later)."""
    signal_group(group, signal.SIGKILL)
    deadline = time.monotonic() + grace
    while group_members(group):
        if time.monotonic() > deadline:
            return
        time.sleep(0.05)
    STARTED.pop(group, None)


def signal_group(group: int, signum: int) -> None:
    try:
        os.killpg(group, signum)
    except ProcessLookupError:
        pass


def _stat(pid_folder: Path) -> tuple[int, str, int, int] | None:
    """(pid, state, parent pid, process group) of a /proc entry, None if it is gone."""
    try:
        stat = (pid_folder / "stat").read_text()
    except OSError:
        return None
    # The command name, in parentheses, may hold spaces: the fields that follow it are fixed.
    state, parent, group = stat[stat.rindex(")") + 2 :].split()[:3]
    return int(pid_folder.name), state, int(parent), int(group)


def living_processes() -> list[tuple[int, str, int, int]]:
    """Every process of the machine but the zombies (exited, waiting to be reaped)."""
    entries = (_stat(folder) for folder in Path("/proc").iterdir() if folder.name.isdigit())
    return [entry for entry in entries if entry is not None and entry[1] != "Z"]


def group_members(group: int) -> list[int]:
    if not Path("/proc/self/stat").exists():  # no /proc: ask the kernel whether the group still exists
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return []
        return [group]
    return [pid for pid, _state, _parent, member_of in living_processes() if member_of == group]


def children(parent: int) -> list[int]:
    if not Path("/proc/self/stat").exists():
        return []
    return [pid for pid, _state, parent_pid, _group in living_processes() if parent_pid == parent]


def left_behind() -> list[str]:
    """The registered groups with a living member, and the living children of this process."""
    groups = {group: members for group in STARTED if (members := group_members(group))}
    found = [
        f"{STARTED[group]} (process group {group}: {', '.join(map(str, members))})"
        for group, members in groups.items()
    ]
    listed = {pid for members in groups.values() for pid in members}
    found += [
        f"child process {pid}: {command_line(pid)}" for pid in children(os.getpid()) if pid not in listed
    ]
    return found


def kill_everything_left() -> None:
    """SIGKILL the registered groups and the children of this process."""
    for group in list(STARTED):
        kill_group(group)
    for pid in children(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"
