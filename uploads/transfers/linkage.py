"""Linkage of two pseudonymised datasets (PIPASE annex 1 §3): how many people of the first are found in
the second by their primary key, how many only by their secondary key (the typo control of §3.2: a first
name or a day of birth written differently), and how many are not found. Pure Python, no Django.

A person is a distinct primary key: a dataset may hold several rows per person (one per measure). Keys
compare case-insensitively (a hexadecimal digest written in capitals is the same key).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from uploads.transfers.tables import Table


@dataclass(frozen=True)
class Keys:
    rows: int
    people: dict[str, str]  # primary key -> secondary key (the first seen)

    @property
    def secondaries(self) -> set[str]:
        return set(self.people.values())


@dataclass(frozen=True)
class Linkage:
    left_rows: int
    left_people: int
    right_rows: int
    right_people: int
    by_primary_key: int
    by_secondary_key_only: int
    not_matched: int


def keys_of(table: Table) -> Keys:
    primary, secondary = table.header.index("cle_primaire"), table.header.index("cle_secondaire")
    return collect_keys((row[primary], row[secondary]) for row in table.rows if len(row) > secondary)


def collect_keys(pairs: Iterable[tuple[str, str]]) -> Keys:
    rows, people = 0, {}
    for primary, secondary in pairs:
        primary = str(primary).strip().lower()
        if not primary:
            continue
        rows += 1
        people.setdefault(primary, str(secondary).strip().lower())
    return Keys(rows=rows, people=people)


def link(left: Keys, right: Keys) -> Linkage:
    """Each person of `left` is matched by primary key, else by secondary key, else not at all."""
    right_secondaries = right.secondaries
    by_primary = by_secondary = 0
    for primary, secondary in left.people.items():
        if primary in right.people:
            by_primary += 1
        elif secondary in right_secondaries:
            by_secondary += 1
    return Linkage(
        left_rows=left.rows,
        left_people=len(left.people),
        right_rows=right.rows,
        right_people=len(right.people),
        by_primary_key=by_primary,
        by_secondary_key_only=by_secondary,
        not_matched=len(left.people) - by_primary - by_secondary,
    )
