"""Suppression of small counts in published figures, pure (no Django, no database).

Published tables are a set of named counts and the sums that hold between them (a row's total is
the sum of its cells; a column's likewise; the year's total is the sum of each row total). The
rules, after the DfE's statistical disclosure practice:

1. Primary: a count from 1 to 4 (`1 <= n < THRESHOLD`) is not shown.
2. Secondary: no sum may have exactly one hidden member (its total or one of its parts), or the
   total minus the shown parts would give it away. While one does, the smallest shown part of that
   sum is hidden too (a non-zero one first, as a hidden zero protects nothing; the total when no
   part is left).
3. The hidden parts of a sum whose total is shown add up to at least THRESHOLD, so "the hidden
   cells of this row make 2" cannot be read off either (two hidden 1s would otherwise be known).

Every hidden count is shown the same way ("c" in downloads, the DfE's symbol), whichever rule hid
it: marking the primary ones "fewer than 5" and the others differently would let a reader work
back to the small ones.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

THRESHOLD = 5

Key = Hashable


@dataclass(frozen=True)
class Sum:
    """`total` is the sum of `parts` (all keys of the same table of counts)."""

    total: Key
    parts: tuple[Key, ...]


def primary(value: int) -> bool:
    return 1 <= value < THRESHOLD


def suppress(values: Mapping[Key, int], sums: Iterable[Sum]) -> frozenset[Key]:
    """The keys of `values` not to publish, under the three rules above."""
    sums = [s for s in sums if s.parts]
    hidden = {key for key, value in values.items() if primary(value)}
    changed = True
    while changed:
        changed = False
        for line in sums:
            members = (line.total, *line.parts)
            count = sum(key in hidden for key in members)
            if count == 0:
                continue
            hidden_parts = sum(values[key] for key in line.parts if key in hidden)
            exposed = count == 1 or (line.total not in hidden and hidden_parts < THRESHOLD)
            if not exposed:
                continue
            shown = [key for key in line.parts if key not in hidden]
            if shown:
                # Smallest non-zero first; the index keeps the choice stable between runs.
                order = {key: i for i, key in enumerate(line.parts)}
                hidden.add(min(shown, key=lambda k: (values[k] == 0, values[k], order[k])))
            else:
                hidden.add(line.total)
            changed = True
    return frozenset(hidden)


def revealed(values: Mapping[Key, int], sums: Iterable[Sum], hidden: frozenset[Key]) -> list[Key]:
    """Hidden keys that one sum gives away (for tests and for a check before publishing): a sum
    with exactly one hidden member, or whose shown total leaves hidden parts adding to under
    THRESHOLD."""
    found: list[Key] = []
    for line in sums:
        members = [k for k in (line.total, *line.parts) if k in hidden]
        if len(members) == 1:
            found.append(members[0])
        elif members and line.total not in hidden and sum(values[k] for k in members) < THRESHOLD:
            found.extend(members)
    return found
