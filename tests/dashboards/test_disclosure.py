"""Small-cell suppression: primary and complementary masks, and the audit that proves them."""

import ast
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboards import disclosure
from dashboards.disclosure import (
    TOTAL,
    Constraint,
    DisclosureError,
    Reason,
    Table,
    audit,
    primary_cells,
    protect,
)

# Territories x age groups, the observatory's usual shape; ("Nord", "0-5 ans") is the only small count.
CHILDREN = {
    "Nord": {"0-5 ans": 2, "6-10 ans": 10, "11-17 ans": 12},
    "Centre": {"0-5 ans": 8, "6-10 ans": 9, "11-17 ans": 20},
    "Sud": {"0-5 ans": 15, "6-10 ans": 11, "11-17 ans": 7},
}


def masked_counts_per_constraint(table, masked):
    return [sum(key in masked for key in (c.total, *c.parts)) for c in table.constraints]


# Primary suppression


def test_count_below_threshold_is_masked():
    protection = protect(Table.breakdown({"Nord": 3, "Sud": 40, "Est": 30}))

    assert protection.masks["Nord"].reason is Reason.SMALL_COUNT


def test_count_at_threshold_is_published():
    assert primary_cells(Table.breakdown({"Nord": 5, "Sud": 40})) == []


def test_zero_is_not_sensitive():
    protection = protect(Table.breakdown({"Nord": 0, "Sud": 40, "Est": 30}))

    assert protection.masked == frozenset()


def test_threshold_is_a_parameter():
    table = Table.breakdown({"Nord": 7, "Sud": 40, "Est": 30})

    assert primary_cells(table, threshold=5) == []
    assert primary_cells(table, threshold=11) == ["Nord"]


def test_small_total_is_masked_like_any_cell():
    table = Table.grid({"Nord": {"filles": 1, "garçons": 2}, "Sud": {"filles": 30, "garçons": 25}})

    assert ("Nord", TOTAL) in primary_cells(table)


def test_table_without_small_counts_is_published_whole():
    protection = protect(
        Table.grid({"Nord": {"filles": 10, "garçons": 12}, "Sud": {"filles": 30, "garçons": 0}})
    )

    assert protection.masked == frozenset()
    assert protection.published() == dict(protection.table.cells)


def test_table_of_amounts_has_no_small_count_rule():
    table = Table.breakdown({"Nord": 2.5, "Sud": 1200.0}, counts=False)

    assert protect(table).masked == frozenset()


def test_designated_cell_of_a_table_of_amounts_is_protected_by_the_given_margin():
    table = Table.breakdown({"Nord": 2.5, "Sud": 1200.0, "Est": 300.0}, counts=False)

    protection = protect(table, sensitive=["Nord"], margin=100.0)

    assert protection.masks["Nord"].reason is Reason.DESIGNATED
    low, high = audit(table, protection.masked)["Nord"]
    assert high - low >= 100.0


def test_table_of_amounts_needs_an_explicit_margin():
    table = Table.breakdown({"Nord": 2.5, "Sud": 1200.0}, counts=False)

    with pytest.raises(DisclosureError, match="explicit margin"):
        protect(table, sensitive=["Nord"])


# Secondary suppression


def test_single_masked_cell_in_a_row_gets_a_complement():
    protection = protect(Table.breakdown({"Nord": 2, "Sud": 30, "Est": 8}))

    assert protection.masked == {"Nord", "Est"}


def test_complement_is_the_cheapest_cell_not_the_total():
    protection = protect(Table.breakdown({"Nord": 2, "Sud": 30, "Est": 8, "Ouest": 50}))

    assert TOTAL not in protection.masked
    assert protection.masks["Est"].reason is Reason.COMPLEMENT


def test_complement_names_the_cell_it_protects():
    protection = protect(Table.breakdown({"Nord": 2, "Sud": 30, "Est": 8}))

    assert protection.masks["Est"].protects == {"Nord"}


def test_two_small_counts_whose_sum_is_wide_enough_protect_each_other():
    protection = protect(Table.breakdown({"Nord": 2, "Sud": 40, "Est": 3}))

    assert protection.masked == {"Nord", "Est"}


def test_small_counts_whose_sum_is_too_narrow_get_a_further_complement():
    protection = protect(Table.breakdown({"Nord": 1, "Est": 2, "Sud": 40, "Ouest": 60}))

    assert protection.masked == {"Nord", "Est", "Sud"}


def test_small_cell_of_a_grid_is_hidden_by_the_cheapest_rectangle():
    protection = protect(Table.grid(CHILDREN))

    assert protection.masked == {
        ("Nord", "0-5 ans"),
        ("Nord", "6-10 ans"),
        ("Centre", "0-5 ans"),
        ("Centre", "6-10 ans"),
    }


def test_no_row_or_column_of_a_grid_is_left_with_a_single_masked_cell():
    table = Table.grid(CHILDREN)

    masked = protect(table).masked

    assert 1 not in masked_counts_per_constraint(table, masked)


def test_small_cell_in_a_subtotal_group_is_protected_across_the_hierarchy():
    table = Table.grid(CHILDREN, row_groups={"Loire Nord": ["Nord", "Centre"], "Loire Sud": ["Sud"]})

    protection = protect(table)

    assert 1 not in masked_counts_per_constraint(table, protection.masked)
    low, high = audit(table, protection.masked)[("Nord", "0-5 ans")]
    assert high - low >= 5


def test_protection_accounts_for_combinations_of_sums():
    # Every sum has two masked parts, yet a = (ab + ac - bc) / 2: subtraction along one sum is not the test.
    table = Table(
        {"a": 2, "b": 3, "c": 4, "ab": 5, "ac": 6, "bc": 7},
        [Constraint("ab", ("a", "b")), Constraint("ac", ("a", "c")), Constraint("bc", ("b", "c"))],
    )

    protection = protect(table)

    assert protection.masked > {"a", "b", "c"}
    intervals = audit(table, protection.masked)
    assert all(intervals[key][1] - intervals[key][0] >= 5 for key in "abc")


def test_overlapping_groups_are_protected():
    grid = Table.grid(CHILDREN)
    urban = {
        ("Urbain", column): grid.cells[("Nord", column)] + grid.cells[("Centre", column)]
        for column in CHILDREN["Nord"]
    }
    urban[("Urbain", TOTAL)] = sum(urban.values())
    columns = [*CHILDREN["Nord"], TOTAL]
    table = Table(
        {**grid.cells, **urban},
        [*grid.constraints, *(Constraint(("Urbain", c), (("Nord", c), ("Centre", c))) for c in columns)],
    )

    protection = protect(table)

    assert 1 not in masked_counts_per_constraint(table, protection.masked)
    low, high = audit(table, protection.masked)[("Nord", "0-5 ans")]
    assert high - low >= 5


def test_cost_by_cells_masks_fewer_cells_but_more_value():
    table = Table.grid(
        {"A": {"x": 20, "y": 2, "z": 50}, "B": {"x": 30, "y": 0, "z": 8}, "C": {"x": 5, "y": 7, "z": 1}}
    )

    by_value, by_cells = protect(table).masked, protect(table, cost="cells").masked

    assert len(by_cells) < len(by_value)
    assert sum(table.cells[key] for key in by_cells) > sum(table.cells[key] for key in by_value)


def test_cell_that_the_structure_pins_down_cannot_be_protected():
    # Both constraints share their total and "a": "b" can only be zero, whatever is masked.
    table = Table(
        {"t": 10, "a": 10, "b": 0}, [Constraint("t", ("a", "b")), Constraint("t", ("a",))], counts=False
    )

    with pytest.raises(DisclosureError, match="cannot be protected"):
        protect(table, sensitive=["b"], margin=1.0)


def test_protection_is_deterministic():
    table = Table.grid(CHILDREN, row_groups={"Loire Nord": ["Nord", "Centre"], "Loire Sud": ["Sud"]})

    assert protect(table).masks == protect(table).masks


def test_published_values_hide_masked_cells():
    protection = protect(Table.breakdown({"Nord": 2, "Sud": 30, "Est": 8}))

    assert protection.published() == {"Nord": None, "Sud": 30, "Est": None, TOTAL: 40}


# Audit


def test_audit_gives_the_value_of_a_cell_alone_in_its_sum():
    table = Table.breakdown({"Nord": 3, "Sud": 10})

    assert audit(table, ["Nord"]) == {"Nord": (3.0, 3.0)}


def test_audit_bounds_two_masked_cells_by_their_total():
    table = Table.breakdown({"Nord": 3, "Sud": 10})

    assert audit(table, ["Nord", "Sud"]) == {"Nord": (0.0, 13.0), "Sud": (0.0, 13.0)}


def test_audit_finds_no_upper_bound_when_the_total_is_masked_too():
    table = Table.breakdown({"Nord": 3, "Sud": 10})

    assert audit(table, ["Nord", "Sud", TOTAL])["Nord"] == (0.0, math.inf)


def test_audit_sees_what_no_single_sum_reveals():
    table = Table(
        {"a": 2, "b": 3, "c": 4, "ab": 5, "ac": 6, "bc": 7},
        [Constraint("ab", ("a", "b")), Constraint("ac", ("a", "c")), Constraint("bc", ("b", "c"))],
    )

    assert audit(table, ["a", "b", "c"])["a"] == (2.0, 2.0)


# Table model


def test_grid_computes_row_column_and_grand_totals():
    table = Table.grid(CHILDREN)

    assert table.cells[("Nord", TOTAL)] == 24
    assert table.cells[(TOTAL, "0-5 ans")] == 25
    assert table.cells[(TOTAL, TOTAL)] == 94
    assert len(table.constraints) == 4 + 4


def test_grid_totals_are_optional():
    table = Table.grid(CHILDREN, row_totals=False, grand_total=False)

    assert ("Nord", TOTAL) not in table.cells
    assert (TOTAL, TOTAL) not in table.cells
    assert table.cells[(TOTAL, "0-5 ans")] == 25


def test_grid_row_groups_add_subtotal_rows():
    table = Table.grid(CHILDREN, row_groups={"Loire Nord": ["Nord", "Centre"], "Loire Sud": ["Sud"]})

    assert table.cells[("Loire Nord", "0-5 ans")] == 10
    assert table.cells[("Loire Nord", TOTAL)] == 61
    assert (
        Constraint((TOTAL, "0-5 ans"), (("Loire Nord", "0-5 ans"), ("Loire Sud", "0-5 ans")))
        in table.constraints
    )


def test_grid_rejects_overlapping_row_groups():
    with pytest.raises(DisclosureError, match="disjoint"):
        Table.grid(CHILDREN, row_groups={"Loire Nord": ["Nord", "Centre"], "Urbain": ["Centre"]})


def test_breakdown_adds_its_total():
    table = Table.breakdown({"Nord": 3, "Sud": 10})

    assert table.cells[TOTAL] == 13
    assert table.constraints == (Constraint(TOTAL, ("Nord", "Sud")),)


def test_table_rejects_totals_that_do_not_add_up():
    with pytest.raises(DisclosureError, match="add up"):
        Table({"t": 12, "a": 3, "b": 10}, [Constraint("t", ("a", "b"))])


def test_table_rejects_negative_values():
    with pytest.raises(DisclosureError, match="non-negative"):
        Table.breakdown({"Nord": -1, "Sud": 10})


def test_count_table_rejects_fractions():
    with pytest.raises(DisclosureError, match="whole numbers"):
        Table.breakdown({"Nord": 1.5, "Sud": 10})


def test_constraint_on_unknown_cell_is_rejected():
    with pytest.raises(DisclosureError, match="unknown cells"):
        Table({"t": 3, "a": 3}, [Constraint("t", ("a", "b"))])


def test_disclosure_imports_nothing_from_django():
    tree = ast.parse(Path(disclosure.__file__).read_text())
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}

    assert not [module for module in modules if module.split(".")[0] == "django"]


# Properties, on random grids: every primary cell masked, no masked value recoverable by subtraction along a
# single sum (checked independently of the module), and every primary cell's audit interval at least the margin.

PROPERTIES = settings(max_examples=40, deadline=None, derandomize=True, database=None)
counts = st.one_of(st.integers(0, 4), st.integers(5, 60))


@st.composite
def grids(draw, *, grouped):
    rows = draw(st.integers(2 if not grouped else 3, 7))
    columns = draw(st.integers(2, 5))
    values = {f"r{i}": {f"c{j}": draw(counts) for j in range(columns)} for i in range(rows)}
    groups = None
    if grouped:
        cut = draw(st.integers(1, rows - 1))
        groups = {"g1": list(values)[:cut], "g2": list(values)[cut:]}
    return Table.grid(values, row_groups=groups)


def assert_protected(table, threshold):
    protection = protect(table, threshold=threshold)
    masked = protection.masked

    small = {key for key, value in table.cells.items() if 1 <= value < threshold}
    assert small <= masked
    assert 1 not in masked_counts_per_constraint(table, masked)
    intervals = audit(table, masked)
    for key in small:
        low, high = intervals[key]
        assert low <= table.cells[key] <= high
        assert high - low >= threshold


@PROPERTIES
@given(table=grids(grouped=False), threshold=st.sampled_from([5, 11]))
def test_random_grids_with_totals_are_protected(table, threshold):
    assert_protected(table, threshold)


@PROPERTIES
@given(table=grids(grouped=True), threshold=st.sampled_from([5, 11]))
def test_random_grids_with_a_subtotal_level_are_protected(table, threshold):
    assert_protected(table, threshold)


@PROPERTIES
@given(values=st.lists(counts, min_size=1, max_size=8))
def test_random_breakdowns_are_protected(values):
    assert_protected(Table.breakdown({f"v{i}": value for i, value in enumerate(values)}), 5)
