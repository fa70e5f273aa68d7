"""Validation benchmark: a 100,000-row × 30-column workbook, checked three ways in one run.

    .venv/bin/python benchmarks/validate_large.py [--rows 100000] [--keep DIR]

Times the project's engine (`uploads.validation.validate_workbook`), a bare read of every cell by
python-calamine, and `frictionless validate` on the same file and schema when frictionless is installed
(`pip install 'frictionless[excel]'`); prints wall time, rows/s, peak RSS and the ratios. Each
measurement runs in its own process so that peak RSS is its own.
"""

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_engine(path: str, schema_path: str) -> dict:
    from uploads.validation import ExpectedTable, validate_workbook

    descriptor = json.loads(Path(schema_path).read_text())
    started = time.perf_counter()
    report = validate_workbook(Path(path), ExpectedTable(sheet_name="Mesures", schema=descriptor))
    elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "rss": peak_rss_mb(),
        "detail": f"{len(report.errors)} errors, {len(report.warnings)} warnings",
    }


def run_calamine(path: str, schema_path: str) -> dict:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    cells = 0
    with CalamineWorkbook.from_path(path) as workbook:
        for row in workbook.get_sheet_by_name("Mesures").iter_rows():
            cells += len(row)
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "rss": peak_rss_mb(), "detail": f"{cells:,} cells"}


def run_frictionless(path: str, schema_path: str) -> dict:
    from frictionless import Dialect, Resource, Schema, formats, validate

    # Frictionless matches headers to field names: give it the titles as names (and no sums, which
    # it cannot check), so that both engines read the same file against the same rules.
    descriptor = json.loads(Path(schema_path).read_text())
    titles = {field["name"]: field["title"] for field in descriptor["fields"]}
    descriptor = {
        "fields": [{**field, "name": field["title"]} for field in descriptor["fields"]],
        "primaryKey": [titles[name] for name in descriptor["primaryKey"]],
    }
    started = time.perf_counter()
    resource_ = Resource(
        Path(path).name,  # frictionless refuses absolute paths as unsafe: give it the folder as base
        basepath=str(Path(path).parent),
        schema=Schema.from_descriptor(descriptor),
        dialect=Dialect(controls=[formats.ExcelControl(sheet="Mesures")]),
    )
    report = validate(resource_, limit_errors=1000)
    elapsed = time.perf_counter() - started
    errors = report.flatten(["type"])
    return {
        "seconds": elapsed,
        "rss": peak_rss_mb(),
        "detail": f"{len(errors)} errors" if report.valid or errors else "refused",
    }


def measure(target, *args) -> dict:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(target, args)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="Folder where the generated workbook is kept and reused.")
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

    try:
        import frictionless  # noqa: F401

        has_frictionless = True
    except ImportError:
        has_frictionless = False

    results = {"calamine bare read": measure(run_calamine, str(workbook), str(schema_path))}
    results["ODPE validation"] = measure(run_engine, str(workbook), str(schema_path))
    if has_frictionless:
        results["frictionless validate"] = measure(run_frictionless, str(workbook), str(schema_path))

    print(f"\n{args.rows:,} rows × {len(schema()['fields'])} columns")
    print(f"{'':24} {'wall (s)':>9} {'rows/s':>10} {'peak RSS (MB)':>14}  detail")
    for name, result in results.items():
        rate = args.rows / result["seconds"]
        print(f"{name:24} {result['seconds']:9.2f} {rate:10,.0f} {result['rss']:14.0f}  {result['detail']}")
    engine, bare = results["ODPE validation"], results["calamine bare read"]
    print(f"\nvalidation / bare calamine read: {engine['seconds'] / bare['seconds']:.2f}× (target ≤ 1.6×)")
    if has_frictionless:
        speedup = results["frictionless validate"]["seconds"] / engine["seconds"]
        print(f"frictionless / validation: {speedup:.1f}× (target ≥ 8×)")
    else:
        print("frictionless not installed: pip install 'frictionless[excel]' to compare.")
    print(f"validation peak RSS: {engine['rss']:.0f} MB (target ≤ 300 MB)")


if __name__ == "__main__":
    main()
