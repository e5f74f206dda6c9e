"""Remove or rename keys of a bundled protocol at random: validation against the case-work
contract refuses the result, or case work's reads of it work (referral answers, forms by key,
a started case's timeline); none fails at run time."""

import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairway.casework import contract, writes
from fairway.casework.selectors import CaseFacts, timeline_compute
from protocols.bundled import bundled_calendars
from protocols.core.loader import load_protocol, validate_file

BUNDLED = Path(__file__).resolve().parents[4] / "protocols" / "bundled"
MAINS = sorted(
    p.relative_to(BUNDLED)
    for p in BUNDLED.glob("*/*.yaml")
    if p.parent.name not in ("shared", "calendars")
)
FILES = sorted(
    p.relative_to(BUNDLED) for p in BUNDLED.glob("*/*.yaml") if p.parent.name != "calendars"
)
KEY = re.compile(r"key: ([a-z][a-z0-9_]*)")


@st.composite
def mutations(draw: st.DrawFn) -> tuple[Path, Path, list[tuple[int, str | None]]]:
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


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=mutations())
def test_a_mutated_protocol_is_refused_or_works(
    mutation: tuple[Path, Path, list[tuple[int, str | None]]],
) -> None:
    main, target, edits = mutation
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for folder in ("shared", main.parent.name):
            shutil.copytree(BUNDLED / folder, root / folder)
        path = root / target
        matches = list(KEY.finditer(path.read_text()))
        text = path.read_text()
        for index, replacement in sorted(dict(edits).items(), reverse=True):
            m = matches[index]
            # None: the key is gone (its item renamed to something nobody reads); "start":
            # renamed onto a name already taken.
            new = f"key: {replacement or f'gone_{index}'}"
            text = text[: m.start()] + new + text[m.end() :]
        path.write_text(text)
        if validate_file(str(root / main), contracts=(contract.CASEWORK,)):
            return  # refused at validation, with its place in the file
        protocol = load_protocol(str(root / main))
    # What case work reads of a protocol that passed.
    referral = protocol.form(contract.REFERRAL.key)
    assert {f.key for f in referral.fields} >= {f.key for f in contract.REFERRAL.fields}
    for form in protocol.forms:
        writes._form_rule(protocol, form.key)
    calendars = bundled_calendars()
    calendar = next((c for c in calendars if c.council == protocol.council), calendars[0])
    start = next(
        day
        for day in (date.fromordinal(calendar.first_day.toordinal() + n) for n in range(15))
        if calendar.is_school_day(day)
    )
    # Agreed and started, then ended early: the timeline and its "not needed" rows.
    facts = CaseFacts(events={contract.TRIAL_ENDED_EARLY.key: start})
    timeline_compute(protocol=protocol, calendar=calendar, start=start, facts=facts, today=start)
