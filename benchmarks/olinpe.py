"""OLINPE benchmark: a large département's ten-year base, imported, checked and turned into indicators.

    .venv/bin/python benchmarks/olinpe.py [--records 3000000] [--keep DIR] [--skip-frictionless]

The synthetic generator (`uploads.olinpe.synthetic`) writes ten yearly CSV files (`,`, UTF-8) totalling
about `--records` measure records of the dictionary's 107 variables, with its planted anomalies. Then, each
in its own process so that its peak RSS is its own:

1. the platform's work: each year read (`read_base`: types, bounds, personal-data guard), checked
   (`check_base`, with the previous year for the breaks), its indicators computed, and the paths over all
   the years so far. The issue's bound: 60 s and 2 GB peak RSS for the ten years together;
2. polars against DuckDB on the largest year: the same three steps in each (every cell read as text and
   the integer variables typed, with a count of the cells that are not integers; duplicated measures;
   overlapping placements), to choose the engine;
3. `frictionless validate` on the same largest year, with the same Table Schema (schema checks only).

Prints wall time, CPU time (the honest figure on a shared machine: the load average is printed too) and
peak RSS. Needs `duckdb` and `frictionless` installed in the virtualenv for steps 2 and 3; neither is a
dependency of the platform.
"""

import argparse
import importlib.util
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RECORDS_PER_CHILD = 3.7  # over ten years, as the generator's paths give them
YEARS = 10


def generate(folder: Path, records: int) -> None:
    from uploads.olinpe.synthetic import Settings, generate_years, write_csv

    settings = Settings(children=int(records / RECORDS_PER_CHILD), years=YEARS)
    for year in generate_years(settings):
        write_csv(year.frame, folder / f"olinpe-{year.year}.csv", separator=",")
        print(f"  {year.year} : {year.frame.height:>9,} enregistrements", flush=True)


def measure(folder: Path, out) -> None:
    from uploads.olinpe.coherence import check_base
    from uploads.olinpe.dictionary import shipped
    from uploads.olinpe.indicators import measure_history, yearly_figures, yearly_paths
    from uploads.olinpe.reading import read_base

    dictionary = shipped()
    start, cpu = time.perf_counter(), time.process_time()
    phases = ("lecture", "contrôles", "indicateurs", "parcours")
    spent, spent_cpu = dict.fromkeys(phases, 0.0), dict.fromkeys(phases, 0.0)
    bases, previous, records, per_year = {}, None, 0, {}

    def timed(phase, work, *args):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        result = work(*args)
        spent[phase] += time.perf_counter() - wall0
        spent_cpu[phase] += time.process_time() - cpu0
        return result

    for path in sorted(folder.glob("olinpe-*.csv")):
        year = int(path.stem.split("-")[1])
        t0 = time.perf_counter()
        base = timed("lecture", read_base, path, dictionary)
        per_year[year] = time.perf_counter() - t0
        timed("contrôles", check_base, base.frame, year, dictionary, previous)
        timed("indicateurs", yearly_figures, base.frame, year, dictionary)
        # What the paths and next year's breaks need; the rest of the year's base is let go.
        bases[year] = previous = base.frame.select(
            "_record", "NUMANONYM", "NUMANONYMANT", "NATMES", "DATDEBMES", "DATFINMES"
        )
        records += base.records
    timed("parcours", lambda: yearly_paths(measure_history(bases), list(bases), dictionary))
    out.put(
        {
            "records": records,
            "wall": time.perf_counter() - start,
            "cpu": time.process_time() - cpu,
            "rss": _peak_mb(),
            "phases": spent,
            "phases_cpu": spent_cpu,
            "read_largest": max(per_year.values()),
        }
    )


def engine_polars(path: Path, out) -> None:
    import polars as pl

    from uploads.olinpe.dictionary import shipped

    dictionary = shipped()
    integers = [f.name for f in dictionary.schema.fields if f.type in ("integer", "year")]
    start, cpu = time.perf_counter(), time.process_time()
    frame = pl.read_csv(path, infer_schema=False)
    typed = frame.select(pl.col(integers).cast(pl.Int32, strict=False), "NUMANONYM", "DATDEBMES", "DATFINMES")
    not_integers = sum(typed[name].null_count() - frame[name].null_count() for name in integers)
    duplicates = typed.height - typed.select("NUMANONYM", "NATMES", "DATDEBMES").unique().height
    placements = typed.filter(pl.col("NATMES").is_in(dictionary.measure_codes(setting="placement"))).select(
        "NUMANONYM",
        "DATDEBMES",
        pl.col("DATFINMES").fill_null("9999-12").alias("fin"),
        pl.int_range(pl.len()).alias("n"),
    )
    pairs = placements.join(placements, on="NUMANONYM").filter(
        (pl.col("n") < pl.col("n_right"))
        & (pl.col("DATDEBMES_right") < pl.col("fin"))
        & (pl.col("DATDEBMES") < pl.col("fin_right"))
    )
    out.put(_engine_result(start, cpu, not_integers, duplicates, pairs.height))


def engine_duckdb(path: Path, out) -> None:
    import duckdb

    from uploads.olinpe.dictionary import shipped

    dictionary = shipped()
    integers = [f.name for f in dictionary.schema.fields if f.type in ("integer", "year")]
    placements = ", ".join(str(code) for code in dictionary.measure_codes(setting="placement"))
    start, cpu = time.perf_counter(), time.process_time()
    db = duckdb.connect()
    db.execute(f"create table raw as select * from read_csv('{path}', all_varchar = true, header = true)")
    casts = ", ".join(f'try_cast("{name}" as integer) as "{name}"' for name in integers)
    db.execute(f"create table typed as select {casts}, NUMANONYM, DATDEBMES, DATFINMES from raw")
    failures = " + ".join(f'count("{name}") filter (where "{name}" is not null)' for name in integers)
    raw_counts = db.execute(f"select {failures} from raw").fetchone()[0]
    typed_counts = db.execute(f"select {failures} from typed").fetchone()[0]
    duplicates = db.execute(
        "select count(*) - (select count(*) from (select distinct NUMANONYM, NATMES, DATDEBMES from typed)) from typed"
    ).fetchone()[0]
    overlaps = db.execute(
        f"""with p as (select row_number() over () as n, NUMANONYM, DATDEBMES, coalesce(DATFINMES, '9999-12') as fin
                       from typed where NATMES in ({placements}))
            select count(*) from p a join p b on a.NUMANONYM = b.NUMANONYM
            where a.n < b.n and b.DATDEBMES < a.fin and a.DATDEBMES < b.fin"""
    ).fetchone()[0]
    out.put(_engine_result(start, cpu, raw_counts - typed_counts, duplicates, overlaps))


def _engine_result(start: float, cpu: float, not_integers: int, duplicates: int, overlaps: int) -> dict:
    return {
        "wall": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "rss": _peak_mb(),
        "answers": (not_integers, duplicates, overlaps),
    }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(target, *args) -> dict | None:
    """The target's result, or None if its process died without one (e.g. DuckDB not installed)."""
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=target, args=(*args, queue))
    process.start()
    result = None
    while result is None and (process.is_alive() or not queue.empty()):
        try:
            result = queue.get(timeout=1)
        except Empty:
            continue
    process.join()
    return result


def frictionless(path: Path) -> float:
    from uploads.olinpe.dictionary import SCHEMAS, SHIPPED_VERSION

    command = [
        str(Path(sys.executable).with_name("frictionless")),
        "validate",
        str(path),
        "--schema",
        str(SCHEMAS / f"olinpe-{SHIPPED_VERSION}.json"),
        "--json",
        "--trusted",  # an absolute path, which frictionless refuses otherwise
    ]
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    try:
        report = json.loads(completed.stdout)
        errors = sum(len(task.get("errors", [])) for task in report.get("tasks", []))
        print(f"  frictionless : {errors} erreurs signalées (valide : {report.get('valid')})")
    except json.JSONDecodeError:
        print(f"  frictionless n'a pas rendu de rapport : {completed.stderr[-300:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=3_000_000)
    parser.add_argument("--keep", type=Path, help="Keep (or reuse) the generated files in this folder.")
    parser.add_argument("--skip-frictionless", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="olinpe-bench-") as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        if not list(folder.glob("olinpe-*.csv")):
            print(f"Génération d'environ {options.records:,} enregistrements sur {YEARS} ans…", flush=True)
            process = multiprocessing.Process(target=generate, args=(folder, options.records))
            process.start()
            process.join()
        files = sorted(folder.glob("olinpe-*.csv"))
        largest = max(files, key=lambda path: path.stat().st_size)
        size = sum(path.stat().st_size for path in files) / 1e6
        print(f"Charge de la machine (1, 5, 15 min) : {os.getloadavg()}")
        result = _run(measure, folder)
        phases = ", ".join(
            f"{name} {seconds:.1f} s ({result['phases_cpu'][name]:.1f} s CPU)"
            for name, seconds in result["phases"].items()
        )
        print(
            f"Plateforme, {len(files)} bases, {result['records']:,} enregistrements ({size:,.0f} Mo) : "
            f"{result['wall']:.1f} s ({result['cpu']:.1f} s CPU), pic {result['rss']:,.0f} Mo — {phases}"
        )
        for name, target in (("polars", engine_polars), ("DuckDB", engine_duckdb)):
            if importlib.util.find_spec(name.lower()) is None:
                print(f"  {name:<7} : non installé dans l'environnement, comparaison omise")
                continue
            engine = _run(target, largest)
            if engine is None:
                print(f"  {name:<7} : pas de résultat (est-il installé dans l'environnement ?)")
                continue
            print(
                f"  {name:<7} sur {largest.name} : {engine['wall']:.2f} s ({engine['cpu']:.2f} s CPU), "
                f"pic {engine['rss']:,.0f} Mo ; non entiers, doublons, chevauchements : {engine['answers']}"
            )
        if not options.skip_frictionless:
            seconds = frictionless(largest)
            print(
                f"  frictionless validate sur {largest.name} : {seconds:.1f} s ; "
                f"la plateforme lit le même fichier en {result['read_largest']:.1f} s"
            )


if __name__ == "__main__":
    main()
