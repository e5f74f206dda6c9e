"""Random removals and renamings of keys in the bundled protocols, for the contract tests.

`mutations()` draws a bundled protocol, one of the files it is made of (its own file or a shared
part) and up to three of that file's `key:` lines to change; `mutated_copy` writes the protocol's
folders to a directory with those changes made and returns the path of its main file. Used by
tests/unit/protocols/properties/test_contract_mutations.py (case work's pure reads) and
tests/integration/protocols/test_contract_mutations_run.py (a case run through the services).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from hypothesis import strategies as st

BUNDLED = Path(__file__).resolve().parents[1] / "protocols" / "bundled"
MAINS = sorted(
    p.relative_to(BUNDLED)
    for p in BUNDLED.glob("*/*.yaml")
    if p.parent.name not in ("shared", "calendars")
)
FILES = sorted(
    p.relative_to(BUNDLED) for p in BUNDLED.glob("*/*.yaml") if p.parent.name != "calendars"
)
KEY = re.compile(r"key: ([a-z][a-z0-9_]*)")

# (main file, file changed, [(index of the `key:` line in that file, new key or None)])
Mutation = tuple[Path, Path, list[tuple[int, str | None]]]


@st.composite
def mutations(draw: st.DrawFn) -> Mutation:
    main = draw(st.sampled_from(MAINS))
    target = draw(
        st.sampled_from([f for f in FILES if f.parent.name in ("shared", main.parent.name)])
    )
    count = len(KEY.findall((BUNDLED / target).read_text()))
    edits = draw(
        st.lists(
            st.tuples(st.integers(0, count - 1), st.sampled_from([None, "start", "referral"])),
            min_size=1,
            max_size=3,
        )
    )
    return main, target, edits


def mutated_copy(mutation: Mutation, root: Path) -> Path:
    """Copy the protocol's folders under `root`, make the mutation, return the main file's path."""
    main, target, edits = mutation
    for folder in ("shared", main.parent.name):
        shutil.copytree(BUNDLED / folder, root / folder)
    path = root / target
    text = path.read_text()
    matches = list(KEY.finditer(text))
    for index, replacement in sorted(dict(edits).items(), reverse=True):
        m = matches[index]
        # None: the key is gone (its item renamed to something nobody reads); "start":
        # renamed onto a name already taken.
        new = f"key: {replacement or f'gone_{index}'}"
        text = text[: m.start()] + new + text[m.end() :]
    path.write_text(text)
    return root / main


def describe(mutation: Mutation) -> str:
    """The mutation in words, for a failure message: which keys of which file became what."""
    main, target, edits = mutation
    keys = KEY.findall((BUNDLED / target).read_text())
    changes = ", ".join(
        f"#{i} {keys[i]!r} -> {new or f'gone_{i}'!r}" for i, new in sorted(dict(edits).items())
    )
    return f"{main} with {target}: {changes}"
