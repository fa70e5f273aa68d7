"""Synthetic OLINPE bases: realistic yearly extracts of a département, with planted anomalies.

Django-free and seeded: the same `Settings` give the same files, byte for byte. The demo, the tests and
the benchmark use it; no real child is behind any line.

How the children are drawn. Each child gets a sex, a birth month, a territory and a path of measures
through the département's protection: a first measure (in the family, administrative or judicial, or a
placement) at an age drawn between birth and 17, then, with some probability, a next measure after a gap
of zero to 18 months — a placement after work in the family, a return home under AEMO after a placement,
the renewal of a judgment — and, for children placed at 18, an accueil or accompagnement jeune majeur up to
21. Minor-only measures end at 18 (motif « majorité »); an MJIE sometimes runs beside an AEMO. Durations
are drawn per setting (a placement lasts longer than an AED). The yearly base of year Y holds every measure
in course during Y, its end given only if it fell within Y. The other variables (danger, living conditions,
the parents) are drawn independently per line, with a share of « ne sait pas » and of empty cells that
varies by variable: they are plausible in form, not in their correlations.

What is planted (`Anomalies`, counts per year, on distinct children so that no two checks see one
planted fault): duplicated lines; children whose lines disagree on sex or on birth month; an end before
its start; a start after the year's end; a minor-only measure begun at 18 or later; a young-adult measure
begun before 18; a second placement overlapping the first; an unknown code in a variable; a child with an
open measure last year who is absent this year (from the second year on). `generate` returns the bases
and, per year, the planted counts, plus the « ne sait pas » and empty counts per variable as written.
"""

from __future__ import annotations

import io
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
from openpyxl import Workbook

from uploads.olinpe.dictionary import (
    MILIEU_OUVERT,
    MINOR,
    PLACEMENT,
    YOUNG_ADULT,
    Dictionary,
    shipped,
)

ADULT = 18 * 12  # months of age
LIMIT = 21 * 12
UNKNOWN_CODE = 77  # in no code list of the dictionary
ANOMALY_KINDS = (
    "duplicates",
    "sex_conflicts",
    "birth_conflicts",
    "end_before_start",
    "outside_window",
    "minor_measure_after_18",
    "young_adult_measure_before_18",
    "overlapping_placements",
    "unknown_codes",
    "year_breaks",
)
# Variables the path simulation writes; every other variable is drawn per line.
SIMULATED = (
    "NUMDEP",
    "NUMANONYM",
    "NUMANONYMANT",
    "ANNEE",
    "SEXE",
    "ANAIS",
    "MNAIS",
    "TERRITOIRE",
    "NATMES",
    "DATDECMES",
    "DATDEBMES",
    "DATFINMES",
    "MOTFINMES",
    "LIEUPLAC",
    "TYPDECJUD",
    "ORIGMES",
    "RENOUV",
)


@dataclass(frozen=True)
class Anomalies:
    """How many of each fault to plant in every yearly base (year breaks: from the second year on)."""

    duplicates: int = 6
    sex_conflicts: int = 3
    birth_conflicts: int = 3
    end_before_start: int = 4
    outside_window: int = 4
    minor_measure_after_18: int = 3
    young_adult_measure_before_18: int = 3
    overlapping_placements: int = 3
    unknown_codes: int = 5
    year_breaks: int = 3


@dataclass(frozen=True)
class Settings:
    children: int = 10_000
    first_year: int = 2015
    years: int = 10
    seed: int = 2017
    departement: str = "42"
    territories: tuple[str, ...] = ("FOREZ", "GIER", "ONDAINE", "ROANNAIS", "SAINT-ETIENNE", "PILAT")
    anomalies: Anomalies = field(default_factory=Anomalies)


@dataclass
class Generated:
    bases: dict[int, pl.DataFrame]
    planted: dict[int, dict[str, int]]
    dont_know: dict[int, dict[str, int]]
    empty: dict[int, dict[str, int]]


def generate(settings: Settings = Settings(), dictionary: Dictionary | None = None) -> Generated:
    result = Generated(bases={}, planted={}, dont_know={}, empty={})
    for year in generate_years(settings, dictionary):
        result.bases[year.year] = year.frame
        result.planted[year.year] = year.planted
        result.dont_know[year.year] = year.dont_know
        result.empty[year.year] = year.empty
    return result


@dataclass
class Year:
    year: int
    frame: pl.DataFrame
    planted: dict[str, int]
    dont_know: dict[str, int]
    empty: dict[str, int]


def generate_years(settings: Settings = Settings(), dictionary: Dictionary | None = None) -> Iterator[Year]:
    """The bases one year at a time: a large département's ten years never sit in memory together."""
    dictionary = dictionary or shipped()
    rng = np.random.default_rng(settings.seed)
    children, measures = _simulate(settings, dictionary, rng)
    previous_open: set[int] = set()
    for year in range(settings.first_year, settings.first_year + settings.years):
        rows = _year_rows(year, children, measures)
        planted = dict.fromkeys(ANOMALY_KINDS, 0)
        pool = _Pool(rows["child"], rng)
        if year > settings.first_year:
            planted["year_breaks"] = _plant_breaks(rows, pool, previous_open, settings.anomalies.year_breaks)
            keep = ~np.isin(rows["child"], list(pool.dropped))
            rows = {name: column[keep] for name, column in rows.items()}
            pool = _Pool(rows["child"], rng, taken=pool.taken)
        rows = _plant_core(rows, pool, year, dictionary, settings.anomalies, planted)
        columns = _columns(rows, year, children, settings, dictionary, rng)
        planted["unknown_codes"] = _plant_unknown_codes(columns, rows, pool, dictionary, settings.anomalies)
        copies = pool.rows(settings.anomalies.duplicates, rows["child"])
        planted["duplicates"] = len(copies)
        order = np.concatenate([rng.permutation(len(rows["child"])), copies]).astype(np.int64)
        frame = pl.DataFrame([_series(name, columns[name][order]) for name in dictionary.names])
        dont_know = {
            name: int(frame[name].eq(dictionary.dont_know(name)).sum())
            for name in dictionary.names
            if dictionary.dont_know(name) is not None
        }
        empty = {name: int(frame[name].null_count()) for name in dictionary.names}
        previous_open = set(rows["child"][rows["end"] < 0].tolist())
        yield Year(year, frame, planted, dont_know, empty)


# The children and their measures ----------------------------------------------------------------------


@dataclass
class _Children:
    numbers: list[str]
    sex: np.ndarray
    birth: np.ndarray  # month index: year * 12 + month - 1
    territory: np.ndarray


@dataclass
class _Measures:
    child: np.ndarray
    nature: np.ndarray
    start: np.ndarray
    end: np.ndarray  # -1: still open at the end of the last year
    motif: np.ndarray
    decision: np.ndarray
    place: np.ndarray  # -1: none
    judgment: np.ndarray  # -1: none
    origin: np.ndarray
    renewal: np.ndarray


def _simulate(settings: Settings, dictionary: Dictionary, rng: np.random.Generator):
    count = settings.children
    first_month = (settings.first_year - 2) * 12
    last_month = (settings.first_year + settings.years) * 12 - 1
    hashes = rng.bytes(20 * count).hex().upper()  # one draw: 40 hexadecimal characters per child
    numbers = [hashes[40 * child : 40 * (child + 1)] for child in range(count)]
    sex = rng.choice([1, 2], size=count, p=[0.55, 0.45])
    first_start = rng.integers(first_month, last_month + 1, size=count)
    first_age = np.minimum(rng.gamma(2.2, 50, size=count).astype(np.int64), ADULT - 3)
    birth = first_start - first_age
    territory = rng.integers(0, len(settings.territories), size=count)
    columns = defaultdict(list)
    steps = random.Random(settings.seed)  # a scalar draw per step: Python's generator is the quick one here
    for child in range(count):
        for measure in _path(int(birth[child]), int(first_start[child]), last_month, steps):
            columns["child"].append(child)
            for name, value in zip(("nature", "start", "end", "motif", "renewal"), measure, strict=True):
                columns[name].append(value)
    m = {name: np.array(values, dtype=np.int64) for name, values in columns.items()}
    size = len(m["child"])
    judicial = np.isin(m["nature"], dictionary.measure_codes(authority="judiciaire"))
    placed = np.isin(m["nature"], dictionary.measure_codes(setting=PLACEMENT))
    place = np.where(
        placed, rng.choice([1, 2, 3, 4, 5, 7, 8, 99], size=size, p=_p(45, 30, 8, 4, 5, 3, 2, 3)), -1
    )
    place = np.where(
        np.isin(m["nature"], dictionary.measure_codes(setting=PLACEMENT, ages=YOUNG_ADULT)), 6, place
    )
    judgment = np.where(judicial, rng.choice([1, 2, 3, 9], size=size, p=_p(70, 22, 3, 5)), -1)
    judgment = np.where(m["nature"] == 25, 2, judgment)
    decision = np.maximum(m["start"] - rng.integers(0, 3, size=size), birth[m["child"]])
    origin = rng.choice([1, 2, 3, 4, 5, 9], size=size, p=_p(50, 15, 12, 15, 4, 4))
    measures = _Measures(
        child=m["child"],
        nature=m["nature"],
        start=m["start"],
        end=m["end"],
        motif=m["motif"],
        decision=decision,
        place=place,
        judgment=judgment,
        origin=origin,
        renewal=m["renewal"],
    )
    return _Children(numbers, sex, birth, territory), measures


def _p(*weights: float) -> list[float]:
    total = sum(weights)
    return [weight / total for weight in weights]


def _path(birth: int, start: int, last_month: int, rng: random.Random):
    """One child's measures: (nature, start, end or -1, motif or -1, renewal 1/2), oldest first."""
    nature = _pick(rng, [10, 11, 12, 20, 21, 25, 13], [25, 8, 4, 30, 5, 14, 14])
    previous = None
    while True:
        adult = start - birth >= ADULT
        duration = int(
            rng.randint(6, 60)
            if nature in (13, 23, 24, 25, 26)
            else rng.randint(6, 30)
            if adult
            else rng.randint(4, 24)
        )
        if nature == 25:
            duration = rng.randint(1, 3)  # an OPP lasts until the judgment
        end = start + duration
        ceiling = birth + (LIMIT if nature in (12, 14, 15) else ADULT)
        motif = _pick(rng, [1, 3, 5, 6, 7, 99], [50, 25, 8, 1, 6, 10])
        if end >= ceiling:
            end, motif = ceiling, 2
        renewal = 1 if nature == previous else 2
        if end > last_month:
            yield nature, start, -1, -1, renewal
            return
        follows = (
            nature == 25
            or (motif in (1, 3, 7, 99) and rng.random() < 0.55)
            or (motif == 2 and rng.random() < 0.6)
        )
        next_start = end if nature == 25 else end + (0 if rng.random() < 0.5 else rng.randint(1, 18))
        next_nature = _next(nature, next_start - birth, rng)
        if follows and next_nature and next_start <= last_month:
            yield nature, start, end, 4 if next_start == end else motif, renewal
            if nature in (20, 21) and rng.random() < 0.15 and end - start > 3:
                yield 22, start + 1, min(start + 7, end), 1, 2
            previous, nature, start = nature, next_nature, next_start
            continue
        yield nature, start, end, motif, renewal
        if nature in (20, 21) and rng.random() < 0.15 and end - start > 3:
            yield 22, start + 1, min(start + 7, end), 1, 2
        return


def _pick(rng: random.Random, codes: list[int], weights: list[int]) -> int:
    return rng.choices(codes, weights)[0]


def _next(nature: int, age: int, rng: random.Random) -> int | None:
    if age >= LIMIT - 6:
        return None
    if age >= ADULT:
        if nature in (13, 14, 23, 24, 26):
            return _pick(rng, [14, 15, 0], [50, 30, 20]) or None
        return 15 if nature in (15, 20, 21) and rng.random() < 0.3 else None
    if age >= ADULT - 2:
        return None  # a new minor measure a month before 18 would end at once
    if nature == 25:
        return 23
    if nature in (13, 23, 24, 26):
        return _pick(rng, [23, 20, 26, 24], [60, 25, 5, 10])
    return _pick(rng, [20, 10, 23, 13, 25], [35, 15, 20, 15, 15])


# One year's base --------------------------------------------------------------------------------------


def _year_rows(year: int, children: _Children, measures: _Measures) -> dict[str, np.ndarray]:
    first, last = year * 12, year * 12 + 11
    inside = (measures.start <= last) & ((measures.end < 0) | (measures.end >= first))
    rows = {name: getattr(measures, name)[inside].copy() for name in measures.__dataclass_fields__}
    ended = (rows["end"] >= 0) & (rows["end"] <= last)
    rows["end"] = np.where(ended, rows["end"], -1)
    rows["motif"] = np.where(ended, rows["motif"], -1)
    rows["sex"] = children.sex[rows["child"]].copy()
    rows["birth"] = children.birth[rows["child"]].copy()
    return rows


class _Pool:
    """The children still free for a planted fault: each fault takes its own, so checks never overlap."""

    def __init__(self, child: np.ndarray, rng: np.random.Generator, taken: set[int] | None = None):
        self.rng = rng
        self.taken = set(taken or ())
        self.dropped: set[int] = set()
        self.lines: dict[int, list[int]] = defaultdict(list)
        for line, number in enumerate(child.tolist()):
            self.lines[number].append(line)

    def children(self, wanted: int, accept) -> list[int]:
        chosen = []
        for number in self.rng.permutation(sorted(self.lines)).tolist():
            if len(chosen) == wanted:
                break
            if number not in self.taken and accept(number, self.lines[number]):
                chosen.append(number)
                self.taken.add(number)
        return chosen

    def rows(self, wanted: int, child: np.ndarray) -> np.ndarray:
        numbers = self.children(wanted, lambda number, lines: True)
        return np.array([self.lines[number][0] for number in numbers], dtype=np.int64)


def _plant_breaks(rows, pool: _Pool, previous_open: set[int], wanted: int) -> int:
    chosen = pool.children(wanted, lambda number, lines: number in previous_open)
    pool.dropped.update(chosen)
    return len(chosen)


def _safe_ages(rows, lines, low: int = 24, high: int = ADULT - 26) -> bool:
    return all(low <= rows["start"][line] - rows["birth"][line] <= high for line in lines)


def _plant_core(
    rows, pool: _Pool, year: int, dictionary: Dictionary, wanted: Anomalies, planted: dict
) -> dict:
    first, last = year * 12, year * 12 + 11
    nature, start, end = rows["nature"], rows["start"], rows["end"]

    for number in pool.children(wanted.sex_conflicts, lambda n, lines: len(lines) >= 2):
        line = pool.lines[number][-1]
        rows["sex"][line] = 3 - rows["sex"][line]
        planted["sex_conflicts"] += 1
    for number in pool.children(
        wanted.birth_conflicts, lambda n, lines: len(lines) >= 2 and _safe_ages(rows, lines)
    ):
        line = pool.lines[number][-1]
        rows["birth"][line] += -1 if rows["birth"][line] % 12 == 11 else 1
        planted["birth_conflicts"] += 1

    def one_line(test):
        return lambda n, lines: len(lines) == 1 and test(lines[0])

    for number in pool.children(
        wanted.end_before_start, one_line(lambda i: end[i] >= 0 and start[i] >= first + 2)
    ):
        line = pool.lines[number][0]
        end[line] = start[line] - 1
        planted["end_before_start"] += 1
    movable = set(dictionary.measure_codes(setting=MILIEU_OUVERT, ages=MINOR))
    for number in pool.children(
        wanted.outside_window,
        one_line(
            lambda i: end[i] < 0 and nature[i] in movable and 24 <= start[i] - rows["birth"][i] <= ADULT - 40
        ),
    ):
        line = pool.lines[number][0]
        start[line] = last + 2
        planted["outside_window"] += 1
    adult_to_minor = {14: 13, 15: 20}
    for number in pool.children(
        wanted.minor_measure_after_18, one_line(lambda i: nature[i] in adult_to_minor)
    ):
        line = pool.lines[number][0]
        nature[line] = adult_to_minor[nature[line]]
        planted["minor_measure_after_18"] += 1
    for number in pool.children(
        wanted.young_adult_measure_before_18,
        one_line(lambda i: nature[i] == 20 and 24 <= start[i] - rows["birth"][i] <= ADULT - 24),
    ):
        nature[pool.lines[number][0]] = 15
        planted["young_adult_measure_before_18"] += 1

    minor_placements = set(dictionary.measure_codes(setting=PLACEMENT, ages=MINOR))

    def overlappable(i):
        stop = end[i] if end[i] >= 0 else last
        return nature[i] in minor_placements and nature[i] != 24 and max(start[i], first) + 1 < stop

    added = defaultdict(list)
    for number in pool.children(wanted.overlapping_placements, one_line(overlappable)):
        line = pool.lines[number][0]
        stop = end[line] if end[line] >= 0 else last
        added_start = max(start[line], first) + 1
        for name, column in rows.items():
            added[name].append(column[line])
        added["nature"][-1], added["start"][-1], added["end"][-1] = 24, added_start, stop
        added["motif"][-1] = 4
        planted["overlapping_placements"] += 1
    if added:
        rows = {
            name: np.concatenate([column, np.array(added[name], dtype=column.dtype)])
            for name, column in rows.items()
        }
    for line in range(len(rows["child"]) - len(added.get("child", [])), len(rows["child"])):
        pool.lines[int(rows["child"][line])].append(line)
    return rows


def _columns(rows, year: int, children: _Children, settings: Settings, dictionary: Dictionary, rng) -> dict:
    size = len(rows["child"])
    birth = rows["birth"]
    columns: dict[str, np.ndarray] = {
        "NUMDEP": np.full(size, settings.departement, dtype=object),
        "NUMANONYM": np.array([children.numbers[number] for number in rows["child"].tolist()], dtype=object),
        "NUMANONYMANT": np.full(size, None, dtype=object),
        "ANNEE": np.full(size, year),
        "SEXE": rows["sex"],
        "ANAIS": birth // 12,
        "MNAIS": birth % 12 + 1,
        "TERRITOIRE": np.array(settings.territories, dtype=object)[children.territory[rows["child"]]],
        "NATMES": rows["nature"],
        "DATDECMES": _months(np.minimum(rows["decision"], rows["start"])),
        "DATDEBMES": _months(rows["start"]),
        "DATFINMES": _months(rows["end"]),
        "MOTFINMES": rows["motif"],
        "LIEUPLAC": rows["place"],
        "TYPDECJUD": rows["judgment"],
        "ORIGMES": rows["origin"],
        "RENOUV": rows["renewal"],
    }
    for spec in dictionary.descriptor["fields"]:
        name = spec["name"]
        if name in columns:
            continue
        columns[name] = _drawn(name, spec, size, rows, year, dictionary, rng)
    return columns


def _drawn(name: str, spec: dict, size: int, rows, year: int, dictionary: Dictionary, rng) -> np.ndarray:
    """A variable the paths do not decide: codes with a share of « ne sait pas » and of empty cells."""
    dont_know = dictionary.dont_know(name)
    if spec["type"] == "yearmonth":
        values = np.minimum(rows["start"] + rng.integers(0, 7, size=size), year * 12 + 11)
        values = np.where(rng.random(size) < 0.4, -1, values)
        return _months(values)
    codes = [code for code in dictionary.codes(name) if code != dont_know]
    if codes:
        weights = rng.dirichlet(np.full(len(codes), 2.0))
        values = rng.choice(codes, size=size, p=weights)
    elif name.startswith("ANAISR"):
        values = rows["birth"] // 12 - rng.integers(18, 46, size=size)
    else:
        values = rng.poisson(2.0, size=size)
    if dont_know is not None:
        values = np.where(rng.random(size) < rng.uniform(0, 0.12), dont_know, values)
    return np.where(rng.random(size) < rng.uniform(0, 0.08), -1, values)


def _plant_unknown_codes(columns, rows, pool: _Pool, dictionary: Dictionary, wanted: Anomalies) -> int:
    coded = [name for name in dictionary.names if dictionary.codes(name) and name not in SIMULATED]
    lines = pool.rows(wanted.unknown_codes, rows["child"])
    for line in lines.tolist():
        columns[coded[line % len(coded)]][line] = UNKNOWN_CODE
    return len(lines)


def _months(values: np.ndarray) -> np.ndarray:
    text = np.full(len(values), None, dtype=object)
    present = values >= 0
    years, months = values[present] // 12, values[present] % 12 + 1
    text[present] = [f"{y:04d}-{m:02d}" for y, m in zip(years.tolist(), months.tolist(), strict=True)]
    return text


def _series(name: str, values: np.ndarray) -> pl.Series:
    if values.dtype == object:
        return pl.Series(name, values.tolist(), dtype=pl.String)
    series = pl.Series(name, values, dtype=pl.Int32)
    return series.set(pl.Series(values < 0), None) if (values < 0).any() else series


# Files ------------------------------------------------------------------------------------------------


def write_csv(
    frame: pl.DataFrame, path: Path, *, separator: str = ";", encoding: str = "utf-8", quoted: bool = False
):
    """As business software exports it: `;` or `,`, UTF-8 or Latin-1, every value quoted or none."""
    style = "always" if quoted else "necessary"
    if encoding.replace("-", "").lower() == "utf8":
        frame.write_csv(path, separator=separator, quote_style=style)
        return
    buffer = io.StringIO()
    frame.write_csv(buffer, separator=separator, quote_style=style)
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_xlsx(frame: pl.DataFrame, path: Path) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("OLINPE")
    sheet.append(frame.columns)
    for row in frame.iter_rows():
        sheet.append(row)
    workbook.save(path)
