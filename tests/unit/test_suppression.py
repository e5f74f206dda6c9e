"""Suppression of small counts (casework/suppression.py): the primary and secondary rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fairway.casework.suppression import Sum, primary, revealed, suppress


def grid(cells: list[list[int]]) -> tuple[dict[object, int], list[Sum]]:
    """A table with row totals, column totals and a grand total, as keys and sums."""
    values: dict[object, int] = {}
    sums: list[Sum] = []
    rows, cols = len(cells), len(cells[0])
    for r in range(rows):
        for c in range(cols):
            values[(r, c)] = cells[r][c]
        values[(r, "all")] = sum(cells[r])
        sums.append(Sum(total=(r, "all"), parts=tuple((r, c) for c in range(cols))))
    for c in range(cols):
        values[("all", c)] = sum(row[c] for row in cells)
        sums.append(Sum(total=("all", c), parts=tuple((r, c) for r in range(rows))))
    values["all"] = sum(map(sum, cells))
    sums.append(Sum(total="all", parts=tuple((r, "all") for r in range(rows))))
    sums.append(Sum(total="all", parts=tuple(("all", c) for c in range(cols))))
    return values, sums


def test_a_count_of_1_to_4_is_hidden_and_the_next_smallest_in_its_row_too() -> None:
    values, sums = grid([[3, 20, 9], [12, 15, 30]])
    hidden = suppress(values, sums)
    # 3 is hidden; its row would give it away (32 - 20 - 9), so the 9 goes too; its column
    # (15 - 12) too, so the 12 goes, and the 12's row needs a second: the next smallest, 15...
    assert (0, 0) in hidden
    assert (0, 2) in hidden
    assert (1, 0) in hidden
    assert not revealed(values, sums, hidden)
    assert (0, "all") not in hidden and "all" not in hidden


def test_two_small_counts_that_add_to_under_5_are_not_left_alone() -> None:
    values, sums = grid([[1, 1, 20]])
    hidden = suppress(values, sums)
    # 1 + 1 under the shown total 22 would be read as 1 and 1: the 20 is hidden as well, and
    # then (the whole row hidden, adding to 22) nothing more is needed in the row.
    assert {(0, 0), (0, 1)} <= hidden
    assert not revealed(values, sums, hidden)


def test_nothing_is_hidden_when_every_count_is_0_or_at_least_5() -> None:
    values, sums = grid([[0, 5, 9], [7, 0, 12]])
    assert suppress(values, sums) == frozenset()


def test_a_total_under_5_is_hidden_with_everything_in_it() -> None:
    values, sums = grid([[2, 1]])
    hidden = suppress(values, sums)
    assert "all" in hidden and (0, "all") in hidden
    assert not revealed(values, sums, hidden)


counts = st.one_of(st.integers(0, 6), st.integers(0, 60))


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(counts, min_size=cols, max_size=cols), min_size=1, max_size=6
        )
    )
)
def test_no_sum_gives_a_hidden_count_away(cells: list[list[int]]) -> None:
    values, sums = grid(cells)
    hidden = suppress(values, sums)
    assert {k for k, v in values.items() if primary(v)} <= hidden
    # No total minus the shown cells of its row or column leaves exactly one hidden cell, or
    # hidden cells that add to under 5.
    assert revealed(values, sums, hidden) == []
    for line in sums:
        members = [k for k in (line.total, *line.parts) if k in hidden]
        assert len(members) != 1
