"""The plain-words "what changed" between protocol versions, and school-week placement."""

from dataclasses import replace
from pathlib import Path

import pytest

from protocols.core.changes import describe_changes
from protocols.core.loader import load_protocol
from protocols.core.model import Protocol
from protocols.core.weeks import week_of, week_plan

NORFOLK = Path(__file__).resolve().parents[2] / "protocols" / "bundled" / "norfolk"


@pytest.fixture(scope="module")
def norfolk_v1() -> Protocol:
    return load_protocol(str(NORFOLK / "managed-moves-v1-behaviour-trial.yaml"))


@pytest.fixture(scope="module")
def norfolk_v2() -> Protocol:
    return load_protocol(str(NORFOLK / "managed-moves-v2-dowimm.yaml"))


def test_norfolk_behaviour_trial_became_dowimm(norfolk_v1: Protocol, norfolk_v2: Protocol) -> None:
    lines = describe_changes(norfolk_v1, norfolk_v2)
    assert lines[0].startswith("The behaviour trial is now the DOWIMM")


def test_a_change_in_how_school_weeks_are_counted_is_said(norfolk_v2: Protocol) -> None:
    five = replace(norfolk_v2, version=3, week_counting="five_school_days")
    assert (
        "School weeks were counted as term weeks (a week of term counts whole, however short; "
        "holiday weeks do not); they are now counted as any 5 school days."
    ) in describe_changes(norfolk_v2, five)
    assert not any("School weeks" in line for line in describe_changes(norfolk_v2, norfolk_v2))


def test_norfolk_eight_plus_six_weeks_became_usually_up_to_eight(
    norfolk_v1: Protocol, norfolk_v2: Protocol
) -> None:
    # "Usually lasting up to eight weeks" (seed 002) is a usual length, not a hard stop.
    lines = describe_changes(norfolk_v1, norfolk_v2)
    assert (
        "Length of the off-site direction: it was 8 school weeks, with an extension of up to "
        "6 school weeks more (14 at most); it is now usually up to 8 school weeks, longer only "
        "with the agreement the protocol names and a recorded reason."
    ) in lines


def test_norfolk_transport_only_when_an_inclusion_adviser_planned_it(
    norfolk_v1: Protocol, norfolk_v2: Protocol
) -> None:
    lines = describe_changes(norfolk_v1, norfolk_v2)
    transport = [
        line for line in lines if line.startswith("DOWIMM agreement: \u201cTransport request\u201d")
    ]
    assert len(transport) == 1
    assert (
        "only when \u201cDoes the pupil need transport to the receiving school?\u201d is answered yes"
        in transport[0]
    )
    assert (
        "and that only when \u201cDid an Inclusion Adviser plan this DOWIMM with the school?\u201d is answered yes"
        in transport[0]
    )
    assert "over the statutory walking distance" in transport[0]


def test_norfolk_new_role_and_council_words_come_through(
    norfolk_v1: Protocol, norfolk_v2: Protocol
) -> None:
    lines = describe_changes(norfolk_v1, norfolk_v2)
    assert any(line.startswith("New role: Inclusion Adviser") for line in lines)
    # The council's own list closes the description, unchanged.
    assert lines[-len(norfolk_v2.changes) :] == list(norfolk_v2.changes)


def test_the_same_version_has_no_changes(norfolk_v1: Protocol) -> None:
    assert describe_changes(norfolk_v1, norfolk_v1) == []


def test_sign_off_and_route_changes_are_named(norfolk_v1: Protocol) -> None:
    sign_off = norfolk_v1.sign_offs[0]
    changed = replace(
        norfolk_v1,
        sign_offs=(replace(sign_off, roles=("parent", "home_school")),),
        routes=norfolk_v1.routes[:1],
    )
    lines = describe_changes(norfolk_v1, changed)
    assert (
        "The Behaviour trial agreement is now signed by Parent or carer (the pupil, once 18) and Home school "
        "(was Parent or carer (the pupil, once 18), Home school, Receiving school and Fair Access team (Norfolk County Council))."
    ) in lines
    assert "The special route \u201cLooked-after child\u201d has been removed." in lines


def test_weeks_of_norfolk_v1(norfolk_v1: Protocol) -> None:
    plan = week_plan(norfolk_v1)
    weeks = {m.key: m.weeks for m in plan.placed}
    assert weeks["review"] == (2, 4, 6, 8)
    assert weeks["trial_end"] == (8,)
    assert weeks["written_notice"] == (0,)  # two school days before the first day
    assert plan.last_week == 8
    assert plan.last_week_with_extensions == 14
    assert {m.key for m in plan.unplaced} == {
        "parent_requested_review",
        "council_requested_review",
        "dual_registration_ended",
        "outcome_reported",
    }


@pytest.mark.parametrize(("day", "week"), [(-3, 0), (0, 0), (1, 1), (5, 1), (6, 2), (40, 8)])
def test_week_of(day: int, week: int) -> None:
    assert week_of(day) == week


def test_any_two_bundled_protocols_can_be_compared() -> None:
    from protocols.bundled import bundled_protocols

    protocols = bundled_protocols()
    for previous in protocols:
        for current in protocols:
            lines = describe_changes(previous, current)
            assert all(isinstance(line, str) and line for line in lines)
            assert (lines == []) == (previous == current)


def test_a_review_moving_to_the_home_schools_duty_is_said(norfolk_v2: Protocol) -> None:
    # The same review, once the receiving school's, now the home board's and held there.
    earlier = replace(
        norfolk_v2,
        milestones=tuple(
            replace(m, owner="receiving_school", held_at=None) if m.key == "review" else m
            for m in norfolk_v2.milestones
        ),
    )
    lines = describe_changes(earlier, replace(norfolk_v2, version=3))
    assert "Review meeting: now the responsibility of Home school (was Receiving school)." in lines
    assert "Review meeting: now held at the receiving school." in lines
