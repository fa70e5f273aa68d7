"""Validation benchmark: a 100,000-row × 30-column workbook, checked three ways, each as a whole process.

    .venv/bin/python benchmarks/validate_large.py [--rows 100000] [--keep DIR] [--pairs 9]
        [--frictionless-python PATH]

Runs, as separate processes and in pairs (one after the other, order alternating, so that a busy machine
weighs on both sides alike): `manage.py validate_file` (Django start-up included), a bare read of every
cell by python-calamine, the engine's call in a process where Django has started (as in a worker; its own
CPU time is printed), and `frictionless validate` on the same file and schema when a Python with
frictionless is given or importable (`pip install 'frictionless[excel]'`). Prints each run's wall time,
CPU time (user + system) and peak RSS, the median ratios of the pairs, and the load average: on a shared
machine the CPU times vary less than the wall times. `validate_file` runs with VALIDATION_READER_MAX_BYTES at 300 MB.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = ["odpe", "conventions", "uploads", "dashboards"]

TERRITORIES = ["Saint-Étienne", "Gier-Ondaine-Pilat", "Forez", "Roannais", "Montbrison"]
AGE_GROUPS = ["0-2 ans", "3-5 ans", "6-10 ans", "11-14 ans", "15-17 ans"]
SEXES = ["F", "M"]
COUNT_COLUMNS = 22


def schema() -> dict:
    counts = [
        {
            "name": f"mesure_{i:02d}",
            "title": f"Mesure {i:02d}",
            "type": "integer",
            "constraints": {"required": True, "minimum": 0, "maximum": 100000},
        }
        for i in range(1, COUNT_COLUMNS + 1)
    ]
    return {
        "fields": [
            {
                "name": "identifiant",
                "title": "Identifiant",
                "type": "string",
                "constraints": {"required": True, "pattern": "L[0-9]{6}"},
            },
            {
                "name": "territoire",
                "title": "Territoire",
                "type": "string",
                "constraints": {"required": True, "enum": TERRITORIES},
            },
            {
                "name": "tranche_age",
                "title": "Tranche d'âge",
                "type": "string",
                "constraints": {"required": True, "enum": AGE_GROUPS},
            },
            {
                "name": "sexe",
                "title": "Sexe",
                "type": "string",
                "constraints": {"required": True, "enum": SEXES},
            },
            {
                "name": "date_observation",
                "title": "Date d'observation",
                "type": "date",
                "constraints": {"required": True},
            },
            {
                "name": "commentaire",
                "title": "Commentaire",
                "type": "string",
                "constraints": {"maxLength": 200},
            },
            *counts,
            {
                "name": "taux",
                "title": "Taux",
                "type": "number",
                "constraints": {"minimum": 0, "maximum": 100},
            },
            {
                "name": "total",
                "title": "Total",
                "type": "integer",
                "constraints": {"required": True, "minimum": 0},
            },
        ],
        "primaryKey": ["identifiant"],
        "totals": [{"field": "total", "sumOf": [f"mesure_{i:02d}" for i in range(1, COUNT_COLUMNS + 1)]}],
    }


def write_workbook(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    fields = schema()["fields"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Mesures")
    sheet.append([field["title"] for field in fields])
    start = date(2024, 1, 1)
    for n in range(rows):
        counts = [(n * 7 + i * 13) % 500 for i in range(COUNT_COLUMNS)]
        sheet.append(
            [
                f"L{n:06d}",
                TERRITORIES[n % len(TERRITORIES)],
                AGE_GROUPS[(n // 5) % len(AGE_GROUPS)],
                SEXES[n % 2],
                start + timedelta(days=n % 365),
                "RAS" if n % 10 == 0 else None,
                *counts,
                round((n % 1000) / 10, 1),
                sum(counts),
            ]
        )
    workbook.save(path)


BARE_READ = """
import sys
from python_calamine import CalamineWorkbook
cells = 0
with CalamineWorkbook.from_path(sys.argv[1]) as workbook:
    for row in workbook.get_sheet_by_name("Mesures").iter_rows():
        cells += len(row)
print(f"{cells:,} cells")
"""

# The engine's call as a worker makes it, Django already started: its own CPU (children included) and wall time.
STARTED_ENGINE = """
import json, os, resource, sys, time
from pathlib import Path
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "odpe.settings")
django.setup()
from django.conf import settings
from uploads.checking import validation_limits
from uploads.validation import ExpectedTable, validate_workbook
def cpu():
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )
table = ExpectedTable(sheet_name="Mesures", schema=json.loads(Path(sys.argv[2]).read_text()))
started, wall = cpu(), time.perf_counter()
report = validate_workbook(Path(sys.argv[1]), table, limits=validation_limits())
print(f"{cpu() - started:.3f} s CPU {time.perf_counter() - wall:.3f} s wall, valid: {report.valid}")
"""

# Frictionless matches headers to field names: it gets the titles as names (and no sums, which it
# cannot check), so that both engines read the same file against the same rules.
FRICTIONLESS = """
import json, sys
from pathlib import Path
from frictionless import Dialect, Resource, Schema, formats, validate
path, schema_path = Path(sys.argv[1]), Path(sys.argv[2])
descriptor = json.loads(schema_path.read_text())
titles = {field["name"]: field["title"] for field in descriptor["fields"]}
descriptor = {
    "fields": [{**field, "name": field["title"]} for field in descriptor["fields"]],
    "primaryKey": [titles[name] for name in descriptor["primaryKey"]],
}
resource = Resource(
    path.name,  # frictionless refuses absolute paths as unsafe: it gets the folder as base
    basepath=str(path.parent),
    schema=Schema.from_descriptor(descriptor),
    dialect=Dialect(controls=[formats.ExcelControl(sheet="Mesures")]),
)
report = validate(resource, limit_errors=1000)
print(f"{len(report.flatten(['type']))} errors")
"""


# The 100,000 × 30 sheet asks the reader for about 275 MB (estimated, high side), above the default
# budget made for the upload worker: `validate_file`, lighter, is given 300 MB so that it checks the
# sheet instead of refusing it.
READER_BUDGET = {"VALIDATION_READER_MAX_BYTES": str(300 * 1024 * 1024)}


def run(command: list[str], environment: dict[str, str] | None = None, *, sample: bool = False) -> dict:
    """Wall time, CPU time and peak RSS of one whole process, start-up and child processes included.

    `rss` is the largest process's peak (what wait4 reports); `tree_rss` the largest sum of the
    memory of the process and its children at one moment (proportional set size, so that the pages they
    share count once), sampled every 10 ms when `sample` is true — reading it takes the processes' memory
    lock and slows them: timed runs are not sampled.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env={**os.environ, **(environment or {})},
    )
    tree = {"peak": 0}
    sampler = threading.Thread(target=_sample_tree, args=(process.pid, tree), daemon=True)
    if sample:
        sampler.start()
    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    tree["done"] = True
    if sample:
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: Popen must not wait again
    last_line = output.strip().splitlines()[-1] if output.strip() else ""
    return {
        "seconds": elapsed,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
        "tree_rss": tree["peak"] / 1024,
        "detail": last_line[:70],
    }


def _sample_tree(pid: int, tree: dict) -> None:
    while not tree.get("done"):
        total = sum(_resident_kb(each) for each in _with_descendants(pid))
        tree["peak"] = max(tree["peak"], total)
        time.sleep(0.01)


def _with_descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending += [int(child) for child in children.read_text().split()]
            except OSError:
                pass
    return found


def _resident_kb(pid: int) -> int:
    """Proportional set size: pages the processes share (the interpreter's libraries) counted once."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def frictionless_python(given: str | None) -> str | None:
    if given:
        return given
    try:
        import frictionless  # noqa: F401
    except ImportError:
        return None
    return sys.executable


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="Folder where the generated workbook is kept and reused.")
    # The same process's CPU time varies by a fifth from run to run here: medians of 5 pairs ranged from
    # 1.03× to 1.23×, of 9 pairs from 1.13× to 1.15×.
    parser.add_argument("--pairs", type=int, default=9, help="Paired runs of validation and bare read.")
    parser.add_argument("--frictionless-python", help="A Python interpreter that has frictionless installed.")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="odpe-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    workbook = folder / f"mesures-{args.rows}.xlsx"
    schema_path = folder / "mesures.schema.json"
    schema_path.write_text(json.dumps(schema(), ensure_ascii=False))
    if not workbook.exists():
        started = time.perf_counter()
        write_workbook(workbook, args.rows)
        print(
            f"Generated {workbook.name} ({workbook.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
        )

    # As the Docker image does: with PYTHONDONTWRITEBYTECODE set and no bytecode, every process would
    # compile the project's modules again (about 0.1 s of Django's start).
    subprocess.run([sys.executable, "-m", "compileall", "-q", *PROJECT_PACKAGES], cwd=ROOT, check=True)
    commands = {
        "calamine bare read": [sys.executable, "-c", BARE_READ, str(workbook)],
        "ODPE validate_file": [
            sys.executable,
            "manage.py",
            "validate_file",
            str(workbook),
            "--schema",
            str(schema_path),
            "--sheet",
            "Mesures",
        ],
        "engine, Django started": [sys.executable, "-c", STARTED_ENGINE, str(workbook), str(schema_path)],
    }
    results: dict[str, list[dict]] = {name: [] for name in commands}
    for pair in range(args.pairs):
        order = list(commands) if pair % 2 == 0 else list(reversed(commands))
        for name in order:
            results[name].append(run(commands[name], READER_BUDGET))
    together = run(commands["ODPE validate_file"], READER_BUDGET, sample=True)["tree_rss"]
    other_python = frictionless_python(args.frictionless_python)
    if other_python:
        results["frictionless validate"] = [
            run([other_python, "-c", FRICTIONLESS, str(workbook), str(schema_path)])
        ]

    print(f"\n{args.rows:,} rows × {len(schema()['fields'])} columns, whole processes")
    print(f"{'':24} {'wall (s)':>9} {'CPU (s)':>8} {'rows/s':>10} {'peak RSS (MB)':>14}  detail")
    for name, runs in results.items():
        for result in runs:
            rate = args.rows / result["seconds"]
            print(
                f"{name:24} {result['seconds']:9.2f} {result['cpu']:8.2f} {rate:10,.0f} {result['rss']:14.0f}"
                f"  {result['detail']}"
            )
    engine, bare = results["ODPE validate_file"], results["calamine bare read"]
    for measure, label in (("seconds", "wall"), ("cpu", "CPU")):
        ratios = [run_[measure] / bare_[measure] for run_, bare_ in zip(engine, bare, strict=True)]
        print(
            f"validate_file / bare calamine read, {label} time, median of {len(ratios)} pairs: "
            f"{median(ratios):.2f}× (target ≤ 1.2×)"
        )
    started = [float(run_["detail"].split()[0]) for run_ in results["engine, Django started"]]
    ratios = [cpu / bare_["cpu"] for cpu, bare_ in zip(started, bare, strict=True)]
    print(
        f"validate_workbook in a started process (a worker's call) / bare calamine read, CPU time, median of "
        f"{len(ratios)} pairs: {median(ratios):.2f}×"
    )
    if "frictionless validate" in results:
        for measure, label in (("seconds", "wall"), ("cpu", "CPU")):
            speedup = results["frictionless validate"][0][measure] / median(run_[measure] for run_ in engine)
            print(f"frictionless / validate_file, {label} time: {speedup:.1f}× (target ≥ 10×)")
    else:
        print("frictionless not found: --frictionless-python PATH, or pip install 'frictionless[excel]'.")
    print(
        f"validate_file peak RSS: {max(run_['rss'] for run_ in engine):.0f} MB for its largest process, "
        f"{together:.0f} MB for its processes together (one more run, sampled; target ≤ 300 MB)"
    )
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{load:.1f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
