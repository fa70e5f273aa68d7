"""Hostile and large honest workbooks, all within the 20 MB upload limit: worst time and peak memory.

    .venv/bin/python benchmarks/hostile_workbooks.py [--keep DIR] [--only NAME]

Builds each workbook, then checks it twice, each time in its own process so that its peak RSS is its
own: through `manage.py validate_file --json` and through the engine call the worker makes
(`uploads.checking.check_file` → `validate_workbook` with the platform's limits), with the Celery app
loaded. Prints, per workbook and path, the verdict, wall time and peak RSS, then the worst of each
against the target: every file refused in French or checked within 10 s and 400 MB. Wall time
includes the start of Django; CPU time (user + system) is printed too, as a loaded machine's wall
time is mostly waiting.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10
TARGET_MB = 400
UPLOAD_LIMIT = 20 * 1024 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SCHEMA = {
    "title": "Enfants",
    "fields": [
        {"name": "territoire", "title": "Territoire", "type": "string", "constraints": {"required": True}},
        {"name": "filles", "title": "Filles", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "garcons", "title": "Garçons", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "total", "title": "Total", "type": "integer", "constraints": {"minimum": 0}},
    ],
    "totals": [{"field": "total", "sumOf": ["filles", "garcons"]}],
}
TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Enfants" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
HEADER = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
)
LABELS = ["Territoire", "Filles", "Garçons", "Total", "Forez", "Roannais"]


def write(path: Path, rows, *, strings=LABELS, extra=None) -> Path:
    """A workbook whose sheet "Enfants" is `rows` (an iterable of XML strings) after the header."""
    items = "".join(f"<si><t>{text}</t></si>" for text in strings) if isinstance(strings, list) else strings
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr(
            "xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{items}</sst>'
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
            )
            sheet.write(HEADER.encode())
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 10_000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write("".join(batch).encode())
            sheet.write(b"</sheetData></worksheet>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def honest_rows(count: int):
    for n in range(2, count + 2):
        yield (
            f'<row r="{n}"><c r="A{n}" t="s"><v>{4 + n % 2}</v></c><c r="B{n}"><v>{n % 97}</v></c>'
            f'<c r="C{n}"><v>{n % 89}</v></c><c r="D{n}"><v>{n % 97 + n % 89}</v></c></row>'
        )


def wide_rows(count: int, columns: int = 26):
    """Rows as wide as a full alphabet: the reader's grid, not the file's size, is what grows."""
    letters = [chr(ord("A") + i) for i in range(columns)]
    for n in range(2, count + 2):
        values = "".join(
            f'<c r="{letter}{n}"><v>{(n * i) % 97}</v></c>' for i, letter in enumerate(letters[1:], 1)
        )
        yield f'<row r="{n}"><c r="A{n}" t="s"><v>{4 + n % 2}</v></c>{values}</row>'


def far_cell(spelling: str):
    def rows():
        yield '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2"><v>1</v></c><c r="C2"><v>1</v></c><c r="D2"><v>2</v></c></row>'
        yield spelling

    return rows


def cases():
    long_text = "x" * 10_000
    return {
        "honest 499,990 rows x 4": lambda p: write(p, honest_rows(499_989)),
        "honest 499,990 rows x 4, unique strings": lambda p: write(
            p,
            (
                row.replace(f"<v>{4 + n % 2}</v>", f"<v>{6 + n}</v>")
                for n, row in enumerate(honest_rows(499_989), 2)
            ),
            strings=LABELS + [f"Commune {n:07d}" for n in range(2, 499_993)],
        ),
        "wide, within the estimate: 84,000 rows x 26": lambda p: write(p, wide_rows(84_000)),
        "wide, just over: 90,000 rows x 26": lambda p: write(p, wide_rows(90_000)),
        "far cell, single quotes": lambda p: write(
            p, far_cell("<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>")()
        ),
        "far cell, tab before r": lambda p: write(
            p, far_cell('<row\tr="1048576"><c\tr="XFD1048576"><v>1</v></c></row>')()
        ),
        "far cell beyond its row (AN)": lambda p: write(
            p, far_cell('<row r="3"><c r="AN1048576"><v>1</v></c></row>')()
        ),
        "far cell beyond its row (IV)": lambda p: write(
            p, far_cell('<row r="3"><c r="IV1048576"><v>1</v></c></row>')()
        ),
        "absurd reference C99999999999": lambda p: write(
            p, far_cell('<row r="3"><c r="C99999999999"><v>1</v></c></row>')()
        ),
        "200 MB uncompressed (zeros)": lambda p: write(
            p, honest_rows(100), extra={"xl/media/zeros.bin": b"\0" * (199 * 1024 * 1024)}
        ),
        "one long shared string x 1M": lambda p: write(
            p,
            (f'<row r="{n}">' + '<c t="s"><v>6</v></c>' * 4 + "</row>" for n in range(2, 250_002)),
            strings=LABELS + [long_text],
        ),
        "shared strings: 4M short unique": lambda p: write(
            p, honest_rows(1000), strings=LABELS + [f"{n:x}" for n in range(4_000_000)]
        ),
        "inline text: 190 MB in 19 cells": lambda p: write(
            p,
            (
                f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{"a" * (10 * 1024 * 1024)}</t></is></c></row>'
                for n in range(2, 21)
            ),
        ),
        "cells without references, 8 MB": lambda p: write(
            p, ("<row>" + "<c><v>1</v></c>" * 4 + "</row>" for _ in range(120_000))
        ),
    }


WORKER = """
import json, sys, django
django.setup()
import uploads.tasks  # the worker's modules, Celery app included
from django.conf import settings
from uploads import checking
from uploads.validation import ExpectedTable, validate_workbook
schema = json.load(open(sys.argv[2]))
report = validate_workbook(
    sys.argv[1], ExpectedTable(sheet_name="Enfants", schema=schema), limits=checking.validation_limits(),
    previous={}, change_ratio=settings.VALIDATION_CHANGE_RATIO,
)
print(json.dumps(report.as_dict(), ensure_ascii=False))
"""


def measure(command: list[str]) -> tuple[float, float, float, dict | None, int]:
    """Wall and CPU seconds, peak RSS in MB, the JSON report (None if none) and the exit status."""
    started = time.monotonic()
    wrapped = ["/usr/bin/time", "-f", "%M %U %S", *command]
    done = subprocess.run(
        wrapped,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "odpe.settings"},
    )
    elapsed = time.monotonic() - started
    peak_kb, user, system = done.stderr.strip().splitlines()[-1].split()
    try:
        report = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        report = None
    return elapsed, float(user) + float(system), int(peak_kb) / 1024, report, done.returncode


def verdict(report: dict | None, status: int) -> str:
    if report is None:
        return f"CRASH (exit {status})"
    if report["valid"]:
        return "valid"
    return "refused: " + ", ".join(sorted({error["code"] for error in report["errors"]}))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", type=Path, help="Keep the generated workbooks in this folder.")
    parser.add_argument("--only", help="Run only the cases whose name contains this text.")
    arguments = parser.parse_args()
    folder = arguments.keep or Path(tempfile.mkdtemp(prefix="hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    schema = folder / "schema.json"
    schema.write_text(json.dumps(SCHEMA, ensure_ascii=False), encoding="utf-8")
    python = sys.executable
    worst_seconds = worst_cpu = worst_mb = 0.0
    failures = []
    print(f"{'workbook':42} {'size':>8}  {'path':13} {'wall s':>7} {'cpu s':>6} {'peak MB':>8}  verdict")
    for number, (name, build) in enumerate(cases().items()):
        if arguments.only and arguments.only not in name:
            continue
        path = build(folder / f"case{number:02d}.xlsx")
        size = path.stat().st_size
        assert size <= UPLOAD_LIMIT, f"{name} is {size} bytes, over the upload limit"
        for label, command in (
            (
                "validate_file",
                [python, "manage.py", "validate_file", str(path), "--schema", str(schema), "--json"],
            ),
            ("worker", [python, "-c", WORKER, str(path), str(schema)]),
        ):
            seconds, cpu, peak, report, status = measure(command)
            result = verdict(report, status)
            print(
                f"{name:42} {size / 1e6:7.1f}M  {label:13} {seconds:7.1f} {cpu:6.1f} {peak:8.0f}  {result}",
                flush=True,
            )
            worst_seconds, worst_cpu, worst_mb = (
                max(worst_seconds, seconds),
                max(worst_cpu, cpu),
                max(worst_mb, peak),
            )
            if min(seconds, cpu) > TARGET_SECONDS or peak > TARGET_MB or report is None:
                failures.append(f"{name} ({label})")
    print(
        f"\nworst wall time {worst_seconds:.1f} s, worst CPU time {worst_cpu:.1f} s (target ≤ {TARGET_SECONDS} s; "
        f"wall time counts a loaded machine's waits), worst peak {worst_mb:.0f} MB (target ≤ {TARGET_MB} MB)"
    )
    print("over target: " + (", ".join(failures) if failures else "none"))
    if not arguments.keep:
        for item in folder.iterdir():
            item.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
