"""A large sheet is read in a process of its own, whose memory and CPU time the system bounds.

Measuring a sheet's XML beforehand to know what the reader would allocate (`uploads.validation.extents`)
costs about as much as reading it: for a large sheet, this process lets the reader try instead, in a
child process limited by `setrlimit` — its data segment to the reader's budget plus what the child
itself needs, its CPU time to `Limits.max_reader_seconds`. A sheet that needs more kills only the child,
and the file is refused in the same words as a measured one. Meanwhile this process inflates every part
of the file, as for any workbook: sizes within the limits, no XML declarations.

The child is a new interpreter (running `main` below), not a fork: a worker may have
polars' or Celery's threads running, which a fork does not carry over. It gets the request pickled on
its standard input (from us: trusted) and answers in JSON on its standard output (it read a file from
outside: nothing it writes is unpickled).
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from uploads.validation.container import Limits, Package, Refused, inflate_and_scan, too_much_to_read
from uploads.validation.findings import Report
from uploads.validation.schema import Schema

ROOT = Path(__file__).resolve().parents[2]
# What the child holds besides the reader: the interpreter, polars, fastexcel, our checks and the
# first-names list (about 90 MB of data), with a little room: the child's peak, libraries included, stays
# under 400 MB with the default budget.
CHILD_BASE_BYTES = 112 * 1024 * 1024
OUT_OF_MEMORY = 3
# How a child dies of its CPU limit (SIGXCPU at the soft one) and of its memory limit: Python's
# MemoryError (our exit status), Rust's failed allocation (abort), or the kernel's SIGKILL (its
# out-of-memory killer, or the CPU's hard limit a second later).
OUT_OF_TIME = -signal.SIGXCPU
MEMORY_REACHED = {OUT_OF_MEMORY, -signal.SIGABRT, -signal.SIGKILL}


def check_apart(
    path: Path,
    package: Package,
    sheet_name: str,
    schema: Schema,
    limits: Limits,
    previous: dict[tuple[str, ...], dict[str, float]] | None,
    change_ratio: float,
) -> Report:
    """The report of `engine.check_sheet(…, columnar=True)`, computed by a bounded child process."""
    request = pickle.dumps(
        {
            "path": str(path),
            "package": package,
            "sheet_name": sheet_name,
            "schema": schema,
            "limits": limits,
            "previous": previous,
            "change_ratio": change_ratio,
        }
    )
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(
            [sys.executable, "-c", f"from {__name__} import main; main()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            cwd=ROOT,
            env=_environment(),
        ) as child,
    ):
        assert child.stdin is not None and child.stdout is not None
        try:
            child.stdin.write(request)
            child.stdin.close()
            inflate_and_scan(path, package.sheets[sheet_name], limits, measure_sheet=False)
        except Refused:
            child.kill()
            raise
        finally:
            # The child's CPU limit ends it: no wall-clock timeout needed.
            output = child.stdout.read()
            child.wait()
        errors.seek(0)
        trace = errors.read()[-2000:].decode(errors="replace")
    if child.returncode == OUT_OF_TIME:
        raise Refused(
            "file-dimensions",
            "La feuille à lire demande trop de calcul pour être contrôlée (plus de "
            f"{limits.max_reader_seconds} secondes) : supprimez ce que le tableau ne demande pas, ou copiez "
            "le tableau seul dans un nouveau classeur.",
        )
    if child.returncode in MEMORY_REACHED:
        raise too_much_to_read(limits)
    if child.returncode != 0:
        raise RuntimeError(f"The sheet's reading process failed (status {child.returncode}): {trace}")
    answer = json.loads(output)
    if "refused" in answer:
        raise Refused(answer["refused"]["code"], answer["refused"]["message"])
    report = Report.from_dict(answer["report"])
    report.rows_checked = answer["rows_checked"]
    return report


def _environment() -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    # One thread: polars' pool would reserve a stack per core, in the data segment the limit counts.
    return {**os.environ, "PYTHONPATH": path, "POLARS_MAX_THREADS": "1", "RAYON_NUM_THREADS": "1"}


def main() -> None:
    request = pickle.loads(sys.stdin.buffer.read())
    limits: Limits = request["limits"]
    memory = limits.max_reader_bytes + CHILD_BASE_BYTES
    _lower_limit(resource.RLIMIT_DATA, memory, memory)
    # SIGXCPU at the soft limit says why the child ended; the hard one, a second later, kills it anyway.
    _lower_limit(resource.RLIMIT_CPU, limits.max_reader_seconds, limits.max_reader_seconds + 1)
    from uploads.validation.engine import check_sheet

    try:
        report = check_sheet(
            Path(request["path"]),
            request["package"],
            request["sheet_name"],
            request["schema"],
            limits,
            request["previous"],
            request["change_ratio"],
            columnar=True,
        )
        answer = {"report": report.as_dict(), "rows_checked": report.rows_checked}
    except Refused as refusal:
        answer = {"refused": refusal.finding.as_dict()}
    except MemoryError:
        os._exit(OUT_OF_MEMORY)
    sys.stdout.buffer.write(json.dumps(answer).encode())


def _lower_limit(kind: int, soft: int, hard: int) -> None:
    """These limits, or the hard limit already set where it is lower (a container's)."""
    _, current = resource.getrlimit(kind)
    if current != resource.RLIM_INFINITY:
        soft, hard = min(soft, current), min(hard, current)
    resource.setrlimit(kind, (soft, hard))
