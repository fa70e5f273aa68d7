"""Annotated copy benchmark: time and peak memory of `annotate_workbook` on the workbooks that cost it most.

    .venv/bin/python benchmarks/annotated_report.py [--keep DIR]

Two workbooks within the upload limit, each with 1,200 findings (more than the 1,000 the copy shows):
- 229,000 rows × 8 columns (1.8 million cells, 8.6 MB, 81 MB unpacked): over `MAX_UNPACKED_BYTES`, so
  the « Rapport » sheet comes alone, decided from the archive's directory (0.2 s CPU, 59 MB). Before the
  bound, openpyxl loaded it whole in the web request: 70 s and 546 MB (issue 12), 100 s CPU and 980 MB
  peak RSS measured here with 1,000 findings;
- 9,999 rows × 25 columns and a header (250,000 cells, 8.9 MB unpacked): the largest workbook copied
  and annotated (11 s CPU, 167 MB).
Each run is its own process, so that its peak RSS is its own. Prints wall time, CPU time (the honest
figure on a shared machine) and peak RSS.
"""

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORKBOOKS = {"229000x8": (229_000, 8), "9999x25": (9_999, 25)}  # with its header: 250,000 cells
FINDINGS = 1_200


def write_workbook(path: Path, rows: int, columns: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Mesures")
    sheet.append([f"Colonne {number}" for number in range(1, columns + 1)])
    start = date(2024, 1, 1)
    for n in range(rows):
        counts = [(n * 7 + i * 13) % 500 for i in range(columns - 3)]
        sheet.append([f"L{n:06d}", "Saint-Étienne", start + timedelta(days=n % 365), *counts])
    workbook.save(path)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(path: str) -> dict:
    from uploads.validation.findings import Finding
    from uploads.workbooks import annotate_workbook

    findings = [
        Finding(
            "type-error", "La valeur n'est pas un nombre entier.", sheet="Mesures", cell=f"D{row}", row=row
        )
        for row in range(2, FINDINGS + 2)
    ]
    started, cpu = time.perf_counter(), time.process_time()
    data = annotate_workbook(Path(path), findings)
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "rss": peak_rss_mb(),
        "bytes": len(data),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", type=Path, help="Folder where the generated workbooks are kept and reused.")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="odpe-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    for name, (rows, columns) in WORKBOOKS.items():
        path = folder / f"annotate-{name}.xlsx"
        if not path.exists():
            write_workbook(path, rows, columns)
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            result = pool.apply(run, (str(path),))
        print(
            f"{name:>10}  {path.stat().st_size / 1e6:5.1f} MB file  {result['seconds']:6.1f} s wall  "
            f"{result['cpu']:6.1f} s CPU  "
            f"{result['rss']:6.0f} MB peak RSS  copy {result['bytes'] / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
