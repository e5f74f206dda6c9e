"""Golden timelines: every bundled protocol and version on its council's calendar (no database).

The goldens in tests/data/protocols/golden/ are the `fairway timeline --json` shape and are compared
exactly. Regenerate them after a deliberate change with

    FAIRWAY_UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/protocols/test_golden_timelines.py

and read the diff: every changed date must be explained. `test_hand_checked_*` below hold at least
one case per protocol whose dates were counted by hand, with the skipped days written out.
"""

import json
import os
from datetime import date
from pathlib import Path

import pytest

from protocols.bundled import bundled_calendars, bundled_protocols
from protocols.core.model import Protocol
from protocols.core.timeline import Timeline, compute_timeline

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "protocols" / "golden"
UPDATE = os.environ.get("FAIRWAY_UPDATE_GOLDEN") == "1"

# (golden name, protocol@version, calendar, start, events, extensions)
CASES: list[tuple[str, str, str, str, dict[str, str], dict[str, int]]] = [
    # Norfolk v1 (behaviour trial): the trial crosses autumn half-term (28 Oct - 1 Nov 2024).
    ("norfolk-v1-half-term", "norfolk-managed-moves@1", "norfolk", "2024-10-21", {}, {}),
    (
        "norfolk-v1-half-term-extended",
        "norfolk-managed-moves@1",
        "norfolk",
        "2024-10-21",
        {"outcome_decided": "2025-01-17", "parent_review_request": "2024-11-20"},
        {"trial_extension": 4},
    ),
    ("norfolk-v1-christmas", "norfolk-managed-moves@1", "norfolk", "2024-11-04", {}, {}),
    # Norfolk v2 (DOWIMM): Christmas 2024 and spring half-term 2025 (17-21 Feb).
    (
        "norfolk-v2-christmas",
        "norfolk-managed-moves@2",
        "norfolk",
        "2024-12-02",
        {"outcome_decided": "2025-02-14"},
        {},
    ),
    ("norfolk-v2-spring-half-term", "norfolk-managed-moves@2", "norfolk", "2025-02-03", {}, {}),
    # Leicestershire SEIP: a 16-week trial across October half-term (20-24 Oct 2025) and Christmas.
    (
        "leicestershire-autumn",
        "leicestershire-seip-secondary@1",
        "leicestershire",
        "2025-10-13",
        {},
        {},
    ),
    (
        "leicestershire-autumn-events",
        "leicestershire-seip-secondary@1",
        "leicestershire",
        "2025-10-13",
        {"outcome_decided": "2026-02-13", "parent_review_request": "2025-12-15"},
        {},
    ),
    # Southwark: reviews at weeks 4, 8 and 12 across half-term (27-31 Oct 2025) and Christmas.
    ("southwark-half-term", "southwark-managed-moves@1", "southwark", "2025-10-20", {}, {}),
    (
        "southwark-christmas-breakdown",
        "southwark-managed-moves@1",
        "southwark",
        "2025-12-01",
        {"breakdown_decided": "2026-01-07", "trial_ended_early": "2026-01-07"},
        {},
    ),
]


def protocol(reference: str) -> Protocol:
    return next(p for p in bundled_protocols() if p.reference == reference)


def timeline(
    reference: str, calendar: str, start: str, events: dict[str, str], extensions: dict[str, int]
) -> Timeline:
    return compute_timeline(
        protocol=protocol(reference),
        calendar=next(c for c in bundled_calendars() if c.slug == calendar),
        start=date.fromisoformat(start),
        events={k: date.fromisoformat(v) for k, v in events.items()},
        extensions=extensions,
    )


def test_every_bundled_protocol_version_has_goldens() -> None:
    covered = {reference for _, reference, *_ in CASES}
    assert covered == {p.reference for p in bundled_protocols()}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_golden_timeline(case: tuple[str, str, str, str, dict[str, str], dict[str, int]]) -> None:
    name, reference, calendar, start, events, extensions = case
    got = timeline(reference, calendar, start, events, extensions).as_json()
    path = GOLDEN / f"{name}.json"
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(got, indent=2) + "\n", encoding="utf-8")
    assert got == json.loads(path.read_text("utf-8"))


def due(name: str) -> dict[str, str]:
    """The golden's due dates by milestone key."""
    data = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))
    return {m["key"]: m["due"] for m in data["milestones"]}


def test_hand_checked_norfolk_v1() -> None:
    dates = due("norfolk-v1-half-term-extended")
    # Start Mon 21 Oct 2024. Written notice, 2 school days before: Fri 18 (1), Thu 17 Oct (2).
    assert dates["written_notice"] == "2024-10-17"
    assert dates["dual_registration"] == "2024-10-21"
    # Term weeks: week 1 is 21-25 Oct; half-term 28 Oct - 1 Nov is not a term week; week 2 is
    # 4-8 Nov ... week 8 is 16-20 Dec. The 4-week extension carries on after Christmas (the weeks
    # of 23 Dec and 30 Dec are not term weeks): week 9 is the short week Tue 7 - Fri 10 Jan (Mon
    # 6 Jan is a holiday), week 10 is 13-17 Jan, week 11 20-24 Jan, week 12 ends Fri 31 Jan 2025.
    # (Counted as 60 school days it ended Mon 3 Feb.)
    assert dates["trial_end"] == "2025-01-31"
    # Reviews every 2 term weeks: the Fridays of weeks 2, 4, 6, 8, 10 and 12.
    assert [dates[f"review.{i}"] for i in range(1, 7)] == [
        "2024-11-08",
        "2024-11-22",
        "2024-12-06",
        "2024-12-20",
        "2025-01-17",
        "2025-01-31",
    ]
    # Outcome decided Fri 17 Jan 2025; 5 school days after is Fri 24 Jan.
    assert dates["outcome_reported"] == "2025-01-24"
    # The parent asked on Wed 20 Nov. The review of Fri 8 Nov was only scheduled (none is recorded
    # as held), so it does not waive the request (reg 4A(4)): the review is due within 10 school
    # days, Thu 21 Nov (1) ... Fri 29 Nov (7), Mon 2 (8), Tue 3 (9), Wed 4 Dec 2024 (10).
    assert dates["parent_requested_review"] == "2024-12-04"


def test_hand_checked_norfolk_v2() -> None:
    dates = due("norfolk-v2-spring-half-term")
    # Start Mon 3 Feb 2025: weeks 1-2 are 3-14 Feb, half-term 17-21 Feb is skipped, weeks 3-8 are
    # 24 Feb - 4 Apr (no bank holiday in them), so the trial ends Fri 4 Apr, the last day of the
    # spring term.
    assert dates["trial_end"] == "2025-04-04"
    assert dates["review.1"] == "2025-02-14"
    assert dates["review.2"] == "2025-03-07"
    # Written notice 2 school days before Mon 3 Feb: Fri 31 Jan (1), Thu 30 Jan (2).
    assert dates["written_notice"] == "2025-01-30"


def test_hand_checked_leicestershire() -> None:
    dates = due("leicestershire-autumn-events")
    # Start Mon 13 Oct 2025. SEIP told 1 school day before: Fri 10 Oct.
    assert dates["seip_informed"] == "2025-10-10"
    # Week 1 is 13-17 Oct; half-term 20-24 Oct skipped; weeks 2-9 are 27 Oct - 19 Dec; Christmas
    # (22 Dec - 2 Jan, with 25, 26 Dec and 1 Jan) skipped; weeks 10-14 are 5 Jan - 6 Feb; spring
    # half-term 16-20 Feb is skipped after week 15 (9-13 Feb); week 16 is 23-27 Feb 2026.
    assert dates["trial_end"] == "2026-02-27"
    # Reviews every 8 school weeks: week 8 ends Fri 12 Dec, week 16 is the trial's end.
    assert dates["review.1"] == "2025-12-12"
    assert dates["review.2"] == "2026-02-27"
    # Outcome decided Fri 13 Feb 2026; 5 school days after skips half-term: Mon 23 - Fri 27 Feb.
    assert dates["decision_reported"] == "2026-02-27"


def test_hand_checked_southwark() -> None:
    dates = due("southwark-half-term")
    # Start Mon 20 Oct 2025. Week 1 is 20-24 Oct; half-term 27-31 Oct is not a term week; weeks
    # 2-4 are 3-21 Nov, so the week-4 review is Fri 21 Nov; weeks 5-8 are 24 Nov - 19 Dec (review
    # Fri 19 Dec); the two Christmas weeks do not count; week 9 is the short week Tue 6 - Fri 9
    # Jan (Mon 5 Jan is not in term), weeks 10-12 are 12-30 Jan 2026, so the last review and the
    # end are Fri 30 Jan (as 60 school days they were Mon 2 Feb).
    assert dates["review.1"] == "2025-11-21"
    assert dates["review.2"] == "2025-12-19"
    assert dates["review.3"] == "2026-01-30"
    assert dates["trial_end"] == "2026-01-30"
    breakdown = due("southwark-christmas-breakdown")
    # Breakdown decided Wed 7 Jan 2026: the letter the same day, the education plan meeting
    # within 5 school days (Thu 8, Fri 9, Mon 12, Tue 13, Wed 14 Jan) and the report on it.
    assert breakdown["breakdown_letter"] == "2026-01-07"
    assert breakdown["education_plan_meeting"] == "2026-01-14"
    assert breakdown["breakdown_report"] == "2026-01-14"


def test_reviews_still_planned_count_towards_the_required_number() -> None:
    """Southwark needs at least 3 reviews before the end: one held and two still planned is fine;
    the problem is reported only when the reviews that took place and those left cannot reach 3."""
    southwark = protocol("southwark-managed-moves@1")
    calendar = next(c for c in bundled_calendars() if c.slug == "southwark")
    start = date(2025, 10, 20)
    one_held = compute_timeline(
        protocol=southwark, calendar=calendar, start=start, held={"review": [date(2025, 11, 21)]}
    )
    assert one_held.problems == ()
    # The first review slipped past the week-8 date: one held and only the week-12 one left.
    late = compute_timeline(
        protocol=southwark, calendar=calendar, start=start, held={"review": [date(2026, 1, 7)]}
    )
    assert len(late.problems) == 1
    assert "only 2 review" in late.problems[0]
