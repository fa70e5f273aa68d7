"""Statistical disclosure control (secret statistique) for the tables the observatory publishes.

Pure Python on numpy and scipy: nothing from Django (like healthchecks' `hc/lib/`). Vocabulary of τ-ARGUS and
sdcTable:

- a *table* is a set of cells with non-negative values plus additive constraints `total = sum(parts)` (rows,
  columns, subtotals, hierarchies; they may overlap);
- *primary* cells are masked for their own sake: a count `1 <= value < threshold`, or a cell the caller
  designates (non-count tables have no threshold rule);
- *complementary* (secondary) cells are masked so that no primary value can be worked out from the published
  cells and the sums;
- the *audit* does what a reader can do: for each masked cell, the lowest and highest values compatible with
  the published cells, every constraint and non-negativity (two linear programmes, scipy's HiGHS). For count
  tables the bounds are rounded inwards to whole numbers, since a reader knows counts are integers.

Protection rule: a primary cell is protected when its audit interval is at least `margin` wide. The default
margin is the threshold itself. As the interval cannot start below zero and contains the true value
(`< threshold`), a width of `threshold` means it always reaches `threshold` or more: a reader can never
conclude that the count is small, nor pin it to fewer than `threshold + 1` possible values. This is
τ-ARGUS's protection interval with its upper and lower levels summing to the threshold; pass another margin
for a stricter rule.
"""

import enum
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

import numpy as np
from scipy.optimize import linprog

Key = Hashable
Interval = tuple[float, float]

DEFAULT_THRESHOLD: Final = 5
TOLERANCE: Final = 1e-6  # on linear-programme results; errors only ever narrow a count's interval
MAX_ATTEMPTS: Final = 3  # per primary cell, before falling back to masking every cell


class _Total(enum.Enum):
    TOTAL = "total"

    def __repr__(self) -> str:
        return "TOTAL"


TOTAL: Final = _Total.TOTAL
"""Label of the total row, total column and grand total in tables built by `Table.grid` and `Table.breakdown`."""


class DisclosureError(ValueError):
    """The table is malformed, or a designated cell cannot be protected whatever is masked."""


class Reason(enum.StrEnum):
    """Why a cell is masked; the page translates it ("masqué car …")."""

    SMALL_COUNT = "small_count"  # primary: 1 <= count < threshold
    DESIGNATED = "designated"  # primary: named sensitive by the caller
    COMPLEMENT = "complement"  # secondary: masked so that other cells cannot be recomputed


@dataclass(frozen=True)
class Constraint:
    """`total = sum(parts)`, all of them cell keys."""

    total: Key
    parts: tuple[Key, ...]


class Table:
    """Cells (key -> non-negative value) and the additive constraints between them.

    `counts=True` (the default) means values are counts: whole numbers, subject to the threshold rule, audited
    as integers. Amounts and rates opt out with `counts=False`; their sensitive cells are designated.
    """

    def __init__(
        self, cells: Mapping[Key, float], constraints: Iterable[Constraint] = (), *, counts: bool = True
    ):
        self.cells: Mapping[Key, float] = MappingProxyType(dict(cells))
        self.constraints: tuple[Constraint, ...] = tuple(constraints)
        self.counts = counts
        for key, value in self.cells.items():
            if not (math.isfinite(value) and value >= 0):
                raise DisclosureError(f"Cell {key!r} is {value!r}: values must be finite and non-negative.")
            if counts and value != int(value):
                raise DisclosureError(f"Cell {key!r} is {value!r}: a count table holds whole numbers.")
        self._index = {key: i for i, key in enumerate(self.cells)}
        self._values = np.array(list(self.cells.values()), dtype=float)
        # One row per constraint: +1 for the total, -1 for each part; the values satisfy `matrix @ values == 0`.
        self._matrix = np.zeros((len(self.constraints), len(self.cells)))
        for row, constraint in enumerate(self.constraints):
            keys = [constraint.total, *constraint.parts]
            if missing := [key for key in keys if key not in self._index]:
                raise DisclosureError(f"Constraint on {constraint.total!r} names unknown cells {missing!r}.")
            if not constraint.parts or len(set(keys)) != len(keys):
                raise DisclosureError(
                    f"Constraint on {constraint.total!r} needs distinct parts, not its total."
                )
            self._matrix[row, self._index[constraint.total]] = 1
            self._matrix[row, [self._index[part] for part in constraint.parts]] = -1
            total, parts = self.cells[constraint.total], sum(self.cells[part] for part in constraint.parts)
            if abs(total - parts) > TOLERANCE * max(1.0, total):
                raise DisclosureError(
                    f"Cell {constraint.total!r} is {total!r}, its parts add up to {parts!r}."
                )

    @classmethod
    def grid(
        cls,
        rows: Mapping[Key, Mapping[Key, float]],
        *,
        row_totals: bool = True,
        column_totals: bool = True,
        grand_total: bool = True,
        row_groups: Mapping[Key, Sequence[Key]] | None = None,
        counts: bool = True,
    ) -> "Table":
        """A two-way table `{row: {column: value}}` with the totals computed from it; keys are `(row, column)`.

        Totals use the label `TOTAL`: `(row, TOTAL)` sums a row, `(TOTAL, column)` a column, `(TOTAL, TOTAL)` is the
        grand total. `row_groups` (`{group: [rows]}`, disjoint) adds one subtotal row per group, `(group, column)`;
        when the groups cover every row, the column totals are also the sum of the groups.
        """
        columns = list(next(iter(rows.values()), {}))
        if any(list(values) != columns for values in rows.values()):
            raise DisclosureError("Every row of a grid must have the same columns, in the same order.")
        groups = {group: list(members) for group, members in (row_groups or {}).items()}
        grouped = [row for members in groups.values() for row in members]
        if set(groups) & set(rows) or not set(grouped) <= set(rows) or len(grouped) != len(set(grouped)):
            raise DisclosureError("Row groups need their own labels and disjoint, known, member rows.")
        covered = bool(groups) and set(grouped) == set(rows)
        # Each line of the grid, with the leaf rows (or columns) it adds up.
        lines: dict[Key, list[Key]] = {row: [row] for row in rows} | groups
        if column_totals:
            lines[TOTAL] = list(rows)
        stacks: dict[Key, list[Key]] = {column: [column] for column in columns}
        if row_totals:
            stacks[TOTAL] = columns
        cells: dict[Key, float] = {
            (line, stack): sum(rows[row][column] for row in leaves for column in leaf_columns)
            for line, leaves in lines.items()
            for stack, leaf_columns in stacks.items()
        }
        corner = (TOTAL, TOTAL)
        cells.pop(corner, None)
        if grand_total:
            cells[corner] = sum(value for values in rows.values() for value in values.values())
        constraints = [Constraint((line, TOTAL), tuple((line, c) for c in columns)) for line in lines]
        for stack in stacks:
            constraints += [
                Constraint((g, stack), tuple((r, stack) for r in members)) for g, members in groups.items()
            ]
            constraints.append(Constraint((TOTAL, stack), tuple((r, stack) for r in rows)))
            if covered:
                constraints.append(Constraint((TOTAL, stack), tuple((g, stack) for g in groups)))
        if grand_total and not (row_totals or column_totals):
            constraints.append(Constraint(corner, tuple((r, c) for r in rows for c in columns)))
        return cls(cells, [c for c in constraints if c.total in cells], counts=counts)

    @classmethod
    def breakdown(cls, values: Mapping[Key, float], *, total: bool = True, counts: bool = True) -> "Table":
        """A one-way table `{category: value}`, with the cell `TOTAL` as their sum when `total` is set."""
        if not total:
            return cls(values, counts=counts)
        return cls({**values, TOTAL: sum(values.values())}, [Constraint(TOTAL, tuple(values))], counts=counts)


@dataclass(frozen=True)
class Mask:
    """Why a cell is masked; for a complement, `protects` names the primary cell it was masked for."""

    reason: Reason
    protects: frozenset[Key] = frozenset()


@dataclass(frozen=True)
class Protection:
    """The outcome of `protect`: what to mask, and why."""

    table: Table
    threshold: int
    margin: float
    masks: Mapping[Key, Mask]

    @property
    def masked(self) -> frozenset[Key]:
        return frozenset(self.masks)

    def published(self) -> dict[Key, float | None]:
        """Every cell in table order, `None` where masked: the only values that may leave the platform."""
        return {key: None if key in self.masks else value for key, value in self.table.cells.items()}


def primary_cells(table: Table, *, threshold: int = DEFAULT_THRESHOLD) -> list[Key]:
    """Counts with `1 <= value < threshold`; zeros are not sensitive, and a non-count table has none."""
    if not table.counts:
        return []
    return [key for key, value in table.cells.items() if 1 <= value < threshold]


def audit(table: Table, masked: Iterable[Key]) -> dict[Key, Interval]:
    """For each masked cell, `(low, high)`: the values a reader of the other cells can still not rule out.

    `high` is `math.inf` when nothing bounds the cell from above. Counts are rounded inwards to whole numbers.
    """
    masked = list(dict.fromkeys(masked))
    reader = _Reader(table)
    reader.explore(masked, masked)
    return {key: reader.interval(key) for key in masked}


def protect(
    table: Table,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    margin: float | None = None,
    sensitive: Iterable[Key] = (),
    cost: Literal["value", "cells"] = "value",
) -> Protection:
    """Mask the primary cells, then complementary cells until every primary cell passes the audit.

    Cells are masked primary cell by primary cell (τ-ARGUS's and sdcTable's incremental scheme). For a primary
    cell `p` that fails the audit, a linear programme looks for the cheapest two changes of the table that keep
    every constraint and every value non-negative and move `p` up by `u` and down by `d`, with `u + d = margin`;
    changes of already masked cells cost nothing. The cells these changes touch are masked: a reader cannot
    then tell the true table from the changed ones, so `p`'s interval is at least `margin` wide. Masking more
    never narrows an interval, so cells protected earlier stay protected. Each primary cell is then audited
    again; on rounding or solver doubt the margin is raised by one, and after `MAX_ATTEMPTS` every cell is
    masked (an all-masked table pins no positive cell). Complements the published cells pin down anyway are
    published again: they change nothing. A cell that cannot be protected raises `DisclosureError`.

    `cost="value"` (default) minimises the total value suppressed, each cell weighing `value + 1`: as in
    τ-ARGUS and sdcTable for frequency tables, large cells, and above all the totals readers look at first,
    stay published; the `+ 1` makes every extra cell count, so zeros are not free and fewer cells win ties.
    `cost="cells"` weighs every cell alike (fewest cells, whatever their size). Either way the choice is a
    heuristic, not a proven optimum, and the cost of a change is per unit moved (the linear relaxation).
    """
    masks = {key: Mask(Reason.SMALL_COUNT) for key in primary_cells(table, threshold=threshold)}
    for key in sensitive:
        if key not in table.cells:
            raise DisclosureError(f"Unknown sensitive cell {key!r}.")
        masks.setdefault(key, Mask(Reason.DESIGNATED))
    if margin is None and not table.counts and masks:
        raise DisclosureError("A table of amounts or rates needs an explicit margin, in its own unit.")
    margin = float(threshold if margin is None else margin)
    primary, reader = list(masks), _Reader(table)
    if primary:
        reader.explore(primary, primary, together=True)

    def protected(key: Key) -> bool:  # the tables found so far often prove it without a new programme
        if reader.width(key) < margin - TOLERANCE:
            reader.explore(list(masks), [key])
        return reader.width(key) >= margin - TOLERANCE

    for key in primary:
        for attempt in range(MAX_ATTEMPTS + 1):
            if protected(key):
                break
            if attempt < MAX_ATTEMPTS:
                added = _complements(table, key, masks, margin + attempt, cost)
            else:  # safety first: an all-masked table pins no positive cell
                added = [cell for cell in table.cells if cell not in masks]
            for complement in added:
                masks[complement] = Mask(Reason.COMPLEMENT, frozenset({key}))
    complements = [key for key, mask in masks.items() if mask.reason is Reason.COMPLEMENT]
    reader.explore(list(masks), [key for key in complements if reader.width(key, whole=False) <= TOLERANCE])
    for key in complements:
        if reader.width(key, whole=False) <= TOLERANCE:
            del masks[key]  # the published cells give its value: masking it protects nothing
    if failed := [key for key in primary if not protected(key)]:
        raise DisclosureError(f"Cells {failed!r} cannot be protected: the table's structure pins them down.")
    return Protection(table, threshold, margin, MappingProxyType(masks))


class _Reader:
    """What a reader can infer, as the lowest and highest value of each cell among the tables found so far
    that agree with the published cells, the constraints and non-negativity.

    Masking more cells keeps every such table valid, so the bounds only widen and stay proofs as `protect`
    goes on: each end is attained by a table the reader cannot rule out. `explore` finds the exact ones.
    """

    def __init__(self, table: Table):
        self.table = table
        self.low, self.high = table._values.copy(), table._values.copy()

    def interval(self, key: Key, *, whole: bool = True) -> Interval:
        """`(low, high)`; for counts, rounded inwards to whole numbers unless `whole=False`."""
        low, high = float(self.low[self.table._index[key]]), float(self.high[self.table._index[key]])
        if not (whole and self.table.counts):
            return low, high
        if not math.isinf(high):
            high = float(math.floor(high + TOLERANCE))
        return float(math.ceil(low - TOLERANCE)), high

    def width(self, key: Key, *, whole: bool = True) -> float:
        low, high = self.interval(key, whole=whole)
        return high - low

    def explore(self, masked: Sequence[Key], targets: Iterable[Key], *, together: bool = False) -> None:
        """Minimise and maximise each target over the tables that agree with the published cells.

        `together` minimises and maximises their sum instead: two programmes, which usually move most of the
        targets to far ends at once; a cheap first sweep, not an exact audit.
        """
        columns = [self.table._index[key] for key in masked]
        published = np.ones(len(self.table.cells), dtype=bool)
        published[columns] = False
        matrix = self.table._matrix[:, columns]
        rhs = -self.table._matrix[:, published] @ self.table._values[published]
        involved = np.any(matrix != 0, axis=1)  # constraints with no masked cell hold already
        matrix, rhs = matrix[involved], rhs[involved]
        groups = [list(targets)] if together else [[key] for key in targets]
        for group in groups:
            objective = np.zeros(len(columns))
            objective[[columns.index(self.table._index[key]) for key in group]] = 1
            for sign in (1, -1):
                if (solution := self._solve(sign * objective, matrix, rhs)) is None:
                    if len(group) == 1:
                        self.high[self.table._index[group[0]]] = math.inf  # no upper bound
                    continue
                point = self.table._values.copy()
                point[columns] = solution
                self.low, self.high = np.minimum(self.low, point), np.maximum(self.high, point)

    @staticmethod
    def _solve(objective: np.ndarray, matrix: np.ndarray, rhs: np.ndarray) -> np.ndarray | None:
        """A table minimising `objective`, or `None` when it is unbounded below (a cell without upper bound)."""
        if not len(rhs):  # nothing ties the masked cells: zero is a minimum, and nothing bounds them above
            return None if objective.min() < 0 else np.zeros(len(objective))
        result = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
        if result.status == 3:
            return None
        if result.status != 0:
            raise DisclosureError(f"The audit's linear programme failed: {result.message}")
        solution: np.ndarray = np.maximum(result.x, 0)  # clip the solver's -1e-12
        return solution


def _complements(table: Table, key: Key, masked: Mapping[Key, Mask], target: float, cost: str) -> list[Key]:
    """Unmasked cells to mask so that `key` can move up by `u` and down by `d`, `u + d = target`, at least cost.

    Variables: an upward change `y` and a downward change `z` of the whole table, each split into positive
    and negative parts, then `u` and `d`. Both changes keep every constraint (`matrix @ y == 0`) and every
    value non-negative (negative parts at most the cell's value).
    """
    n, p = len(table.cells), table._index[key]
    values, matrix = table._values, table._matrix
    weights = np.ones(n) if cost == "cells" else values + 1
    weights[[table._index[k] for k in masked]] = 0
    m = len(matrix)
    zeros = np.zeros((m, n))
    unit = np.zeros(n)
    unit[p] = 1
    flows = np.vstack(
        [np.hstack([matrix, -matrix, zeros, zeros]), np.hstack([zeros, zeros, matrix, -matrix])]
    )
    a_eq = np.vstack(
        [
            np.hstack([flows, np.zeros((2 * m, 2))]),
            np.concatenate([unit, -unit, 0 * unit, 0 * unit, [-1, 0]]),
            np.concatenate([0 * unit, 0 * unit, unit, -unit, [0, 1]]),
            np.concatenate([0 * unit, 0 * unit, 0 * unit, 0 * unit, [1, 1]]),
        ]
    )
    b_eq = np.concatenate([np.zeros(2 * m), [0, 0, target]])
    free, capped = [(0, None)] * n, [(0, float(v)) for v in values]
    bounds = free + capped + free + capped + [(0, None), (0, float(values[p]))]
    objective = np.concatenate([weights, weights, weights, weights, [0, 0]])
    result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if result.status != 0:
        return []  # nothing found: the caller retries, then masks everything
    up = result.x[:n] - result.x[n : 2 * n]
    down = result.x[2 * n : 3 * n] - result.x[3 * n : 4 * n]
    moved = (np.abs(up) > TOLERANCE) | (np.abs(down) > TOLERANCE)
    return [k for k, i in table._index.items() if moved[i] and k not in masked]
