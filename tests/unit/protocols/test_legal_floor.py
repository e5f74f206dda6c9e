"""The legal floor, clause by clause against SI 2010/1156 as amended by SI 2012/2532 (no database).

Each test names the regulation it checks. The shared parts cite a source for every rule.
"""

from datetime import date
from pathlib import Path

import pytest

from fairway.cli import main
from protocols.bundled import bundled_calendars, bundled_protocols
from protocols.core.loader import read_yaml_file
from protocols.core.model import Protocol
from protocols.core.timeline import compute_timeline

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO / "protocols" / "bundled" / "shared"
FLOOR = SHARED / "off-site-direction-legal-floor.yaml"
FORMS = SHARED / "casework-forms.yaml"


def norfolk() -> Protocol:
    return next(p for p in bundled_protocols() if p.reference == "norfolk-managed-moves@2")


def calendar():  # type: ignore[no-untyped-def]
    return next(c for c in bundled_calendars() if c.slug == "norfolk")


def timeline(events: dict[str, date], held: dict[str, list[date]] | None = None):  # type: ignore[no-untyped-def]
    return compute_timeline(
        protocol=norfolk(), calendar=calendar(), start=date(2025, 10, 20), events=events, held=held
    )


def test_a_review_only_scheduled_does_not_waive_a_parents_request() -> None:
    # Reg 4A(4): only a review meeting that has taken place in the 10 weeks before the request.
    # Norfolk's fortnightly review of Fri 7 Nov 2025 is scheduled, not recorded as held.
    result = timeline({"parent_review_request": date(2025, 11, 24)})
    assert not [w for w in result.waived if w.key == "parent_requested_review"]
    # Reg 4A(3): as soon as reasonably practicable; Fairway's target is 10 school days:
    # Tue 25 Nov (1) ... Fri 5 Dec (9), Mon 8 Dec 2025 (10).
    assert result.due("parent_requested_review") == date(2025, 12, 8)


def test_a_review_held_in_the_10_weeks_before_waives_the_request() -> None:
    result = timeline(
        {"parent_review_request": date(2025, 11, 24), "review_held": date(2025, 11, 7)}
    )
    assert [(w.key, w.reason) for w in result.waived] == [
        ("parent_requested_review", "review_held on 2025-11-07")
    ]


def test_a_review_held_the_day_of_the_request_or_over_10_weeks_before_does_not_waive() -> None:
    # The 10 weeks precede the day of the request: a meeting that day is not before it, and a
    # meeting 11 term weeks earlier is outside the window.
    for held in (date(2025, 11, 24), date(2025, 9, 1)):
        result = timeline({"parent_review_request": date(2025, 11, 24), "review_held": held})
        assert result.due("parent_requested_review") == date(2025, 12, 8), held


def test_several_reviews_held_the_latest_inside_the_window_is_named() -> None:
    held = [date(2025, 9, 1), date(2025, 10, 24), date(2025, 11, 7)]
    result = timeline(
        {"parent_review_request": date(2025, 11, 24), "review_held": held[-1]},
        held={"review_held": held},
    )
    assert [w.reason for w in result.waived] == ["review_held on 2025-11-07"]


def test_the_council_may_request_a_review_for_a_pupil_with_an_ehc_plan() -> None:
    # Reg 4A(1)(b): the local authority maintaining the plan; the same 10-week rule (4A(4)).
    due = timeline({"council_review_request": date(2025, 11, 24)})
    assert due.due("council_requested_review") == date(2025, 12, 8)
    waived = timeline(
        {"council_review_request": date(2025, 11, 24), "review_held": date(2025, 11, 7)}
    )
    assert [w.key for w in waived.waived] == ["council_requested_review"]


def test_the_notice_is_due_at_least_two_school_days_before_the_first_day() -> None:
    # Reg 3(2): not less than two school days before the relevant day. Mon 20 Oct 2025 start:
    # Fri 17 (1), Thu 16 Oct (2).
    assert timeline({}).due("written_notice") == date(2025, 10, 16)


def test_the_floor_names_the_relevant_person_the_determination_and_the_duty_holder() -> None:
    protocol = norfolk()
    parent = next(r for r in protocol.roles if r.key == "parent")
    assert "once 18" in parent.label  # reg 2, "relevant person"
    home = next(r for r in protocol.roles if r.key == "home_school")
    assert "governing board" in (home.description or "")  # regs 3 and 4
    determined = next(e for e in protocol.events if e.key == "direction_determined")
    assert determined.source is not None and "3(1)" in (determined.source.at or "")
    requested = protocol.milestone("parent_requested_review")
    assert requested.owner == "home_school"
    notice = protocol.form("off_site_direction_notice")
    assert next(f for f in notice.fields if f.key == "council_notified").required  # reg 3(3)


def test_the_floor_says_whom_it_binds_and_no_longer_says_at_any_time() -> None:
    data = read_yaml_file(str(FLOOR))
    summary = data["summary"]
    assert "at any time" not in summary
    assert "maintained school" in summary and "academies" in summary
    assert "10 weeks" in summary


@pytest.mark.parametrize("path", [FLOOR, FORMS], ids=lambda p: p.name)
def test_every_rule_of_the_shared_parts_cites_its_source(path: Path) -> None:
    data = read_yaml_file(str(path))
    uncited = [
        f"{name}:{item['key']}"
        for name in ("events", "milestones", "requirements", "forms", "sign_offs")
        for item in data.get(name) or []
        if not item.get("source") and not item.get("practice")
    ]
    assert uncited == []


def test_the_legal_floors_sources_have_keys_and_addresses() -> None:
    sources = read_yaml_file(str(FLOOR))["sources"]
    assert {s["key"] for s in sources} == {
        "education_act_2002_s29a",
        "si_2010_1156",
        "si_2012_2532",
        "dfe_exclusion_guidance",
    }
    for source in sources:
        assert source["url"].startswith(("https://www.legislation.gov.uk/", "https://www.gov.uk/"))


def test_the_cli_takes_held_reviews_as_events(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    base = ["timeline", "--protocol", "norfolk", "--calendar", "norfolk", "--start", "2025-10-20"]
    base += ["--event", "parent_review_request=2025-11-24"]
    assert main(base) == 0
    line = next(
        x for x in capsys.readouterr().out.splitlines() if "requested in writing by a parent" in x
    )
    assert "Mon 08 Dec 2025" in line and "within 10 school days of parent_review_request" in line
    held = ["--event", "review_held=2025-09-05", "--event", "review_held=2025-11-07"]
    assert main(base + held) == 0
    line = next(
        x for x in capsys.readouterr().out.splitlines() if "requested in writing by a parent" in x
    )
    assert "(not due)" in line and "review_held on 2025-11-07" in line


@pytest.mark.parametrize("protocol", bundled_protocols(), ids=lambda p: p.reference)
def test_reviews_are_the_home_school_boards_duty_wherever_they_are_held(protocol: Protocol) -> None:
    # Reg 4(1): the governing body (of the home school) keeps the direction under review by
    # holding review meetings; the receiving school usually hosts them.
    kinds = {role.key: role.kind for role in protocol.roles}
    reviews = [m for m in protocol.milestones if m.stage == "review"]
    assert reviews
    for review in reviews:
        assert kinds[review.owner or ""] == "home_school", review.origin
        assert review.held_at and kinds[review.held_at] == "receiving_school", review.origin


def test_a_review_held_at_the_receiving_school_counts_on_its_calendar() -> None:
    # A cross-authority move: the review is the home board's duty but the meeting is at the
    # receiving school, so its dates are that school's; the notice stays on the home calendar.
    home = calendar()
    receiving = next(c for c in bundled_calendars() if c.slug == "leicestershire")
    result = compute_timeline(
        protocol=norfolk(),
        calendar=home,
        start=date(2025, 10, 20),
        receiving_calendar=receiving,
    )
    by_key = {m.key: m for m in result.milestones}
    assert by_key["review.1"].calendar == "leicestershire"
    assert by_key["weekly_attendance.1"].calendar == "leicestershire"
    assert by_key["written_notice"].calendar == "norfolk"


def test_the_case_page_and_guidance_say_whose_duty_and_where() -> None:
    from protocols.core.words import who_in_words

    assert who_in_words(norfolk(), "review") == "Home school (held at the receiving school)"
    assert who_in_words(norfolk(), "written_notice") == "Home school"


def test_a_place_that_is_not_a_role_is_named_at_its_line(tmp_path: Path) -> None:
    text = (REPO / "protocols/bundled/norfolk/managed-moves-v2-dowimm.yaml").read_text()
    broken = text.replace("    held_at: receiving_school\n", "    held_at: trial_school\n", 1)
    line = broken.splitlines().index("    held_at: trial_school") + 1
    target = tmp_path / "norfolk" / "dowimm.yaml"
    target.parent.mkdir()
    target.write_text(broken)
    (tmp_path / "shared").symlink_to(SHARED)
    from protocols.core.loader import load_protocol
    from protocols.core.problems import DefinitionError

    with pytest.raises(DefinitionError) as raised:
        load_protocol(str(target))
    assert f"dowimm.yaml:{line}:" in str(raised.value)
    assert "trial_school" in str(raised.value)


def _with_targets(tmp_path: Path, targets: str) -> Path:
    text = (REPO / "protocols/bundled/norfolk/managed-moves-v2-dowimm.yaml").read_text()
    target = tmp_path / "norfolk" / "dowimm.yaml"
    target.parent.mkdir()
    target.write_text(text + targets)
    (tmp_path / "shared").symlink_to(SHARED)
    return target


def test_a_council_sets_its_own_target_for_a_requested_review(tmp_path: Path) -> None:
    # Reg 4A(3) says "as soon as reasonably practicable": no number of days. Fairway's default is
    # 10 school days; a council's protocol may set its own, citing where it says so.
    from protocols.core.loader import load_protocol

    path = _with_targets(
        tmp_path,
        "targets:\n"
        "  - milestone: parent_requested_review\n"
        "    due: within 5 school days of parent_review_request\n"
        "    source: {ref: norfolk_osd_during, at: a review requested by a parent}\n",
    )
    protocol = load_protocol(str(path), require_citations=True)
    review = protocol.milestone("parent_requested_review")
    assert review.due == "within 5 school days of parent_review_request"
    assert review.target is not None and review.target.source is not None
    assert review.source is not None and review.source.ref == "si_2012_2532"  # the law stays
    result = compute_timeline(
        protocol=protocol,
        calendar=calendar(),
        start=date(2025, 10, 20),
        events={"parent_review_request": date(2025, 11, 24)},
    )
    due = {m.key: m.due for m in result.milestones}
    assert due["parent_requested_review"] == date(2025, 12, 1)  # Mon 24 Nov + 5 school days
    # The default stays for the council's request, which the protocol did not set.
    assert protocol.milestone("council_requested_review").target is None


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        (
            "  - milestone: review\n    due: within 5 school days of start\n    practice: true\n",
            "targets: milestone 'review' has no target a council may set",
        ),
        (
            "  - milestone: reviews\n    due: within 5 school days of start\n    practice: true\n",
            "targets: 'reviews' is not a milestone (those a council may set: "
            "council_requested_review, parent_requested_review)",
        ),
        (
            "  - milestone: parent_requested_review\n    due: within 5 school days\n",
            "milestone 'parent_requested_review'",
        ),
        (
            "  - milestone: parent_requested_review\n"
            "    due: within 5 school days of parent_review_request\n",
            "target for 'parent_requested_review': cite its source",
        ),
    ],
)
def test_a_target_a_council_cannot_set_is_refused_at_its_line(
    tmp_path: Path, targets: str, expected: str
) -> None:
    from protocols.core.loader import load_protocol
    from protocols.core.problems import DefinitionError

    path = _with_targets(tmp_path, "targets:\n" + targets)
    line = path.read_text().splitlines().index("targets:") + 2
    with pytest.raises(DefinitionError) as raised:
        load_protocol(str(path), require_citations=True)
    assert expected in str(raised.value)
    assert f"dowimm.yaml:{line}:" in str(raised.value) or f"dowimm.yaml:{line + 1}:" in str(
        raised.value
    )
