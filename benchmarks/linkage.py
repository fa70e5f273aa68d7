"""The linkage report, measured on two datasets of 100,000 rows each (plain Python sets): time and
peak memory to read both CSV files, collect their keys and count the matches.

    .venv/bin/python benchmarks/linkage.py [ROWS]

The second dataset holds 70 % of the first's people unchanged, 10 % with a typo in the first name (found
by secondary key only), and people of its own for the rest; the counts printed must say so.
"""

import hashlib
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from uploads.transfers import linkage  # noqa: E402
from uploads.transfers.tables import open_table  # noqa: E402


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def row(name: str, first: str, month: str, year: str) -> str:
    return f"{sha(name + first + '01' + month + year)};{sha(name + month + year)};{month};{year};MECS"


def write(path: Path, lines) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("cle_primaire;cle_secondaire;mois_naissance;annee_naissance;nature_placement\n")
        for line in lines:
            out.write(line + "\n")


def run(left_path: Path, right_path: Path) -> linkage.Linkage:
    keys = []
    for path in (left_path, right_path):
        with open_table(path, max_bytes=1 << 30) as table:
            keys.append(linkage.keys_of(table))
    return linkage.link(*keys)


def main(rows: int) -> None:
    rng = random.Random(1)
    people = [
        (f"NOM{i}", f"PRENOM{i}", f"{rng.randint(1, 12):02d}", str(rng.randint(1995, 2006)))
        for i in range(rows)
    ]
    same, typos = int(rows * 0.7), int(rows * 0.1)
    right = [row(*p) for p in people[:same]]
    right += [row(name, first + "E", month, year) for name, first, month, year in people[same : same + typos]]
    right += [row(f"AUTRE{i}", "X", "01", "2000") for i in range(rows - same - typos)]
    with tempfile.TemporaryDirectory() as folder:
        left_path, right_path = Path(folder) / "left.csv", Path(folder) / "right.csv"
        write(left_path, (row(*p) for p in people))
        write(right_path, right)
        started = time.perf_counter()
        counts = run(left_path, right_path)
        elapsed = time.perf_counter() - started
        # A second run measures memory: tracemalloc slows every allocation, so it is not timed.
        tracemalloc.start()
        run(left_path, right_path)
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    print(f"rows per dataset: {rows:,}")
    print(f"read both files, collect the keys, link: {elapsed:.2f} s, Python peak {peak:.0f} MB (second run)")
    print(
        f"by primary key {counts.by_primary_key:,}, by secondary key only {counts.by_secondary_key_only:,}, "
        f"not matched {counts.not_matched:,}"
    )
    assert (counts.by_primary_key, counts.by_secondary_key_only) == (same, typos)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
