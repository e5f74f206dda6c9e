"""The bundled calendars cover every school year a bundled protocol was in force (2023/24 to
2026/27), every date names its source, and the dates no source gives are marked as estimates.

ESTIMATED below is the exact list of estimated terms and closures. It is the same list as the
README's "School calendars" section and each file's comments: a new estimate must be marked
`estimate: true` (with a note) and added here, and a date read from the council's own calendar
takes its place by removing the flag and the line here.
"""

from datetime import date, timedelta
from pathlib import Path

import pytest

from protocols.bundled import bundled_calendars, bundled_protocols
from protocols.core.calendar import SchoolCalendar
from protocols.core.loader import load_calendar, load_calendar_text
from protocols.core.problems import DefinitionError
from protocols.core.timeline import compute_timeline

SLUGS = ("leicester-city", "leicestershire", "norfolk", "southwark")

LEICESTER_2026_27 = [
    ("Autumn 2026", "2026-08-24", "2026-12-18"),
    ("Autumn half-term 2026", "2026-10-19", "2026-10-23"),
    ("Spring 2027", "2027-01-04", "2027-03-19"),
    ("Spring half-term 2027", "2027-02-15", "2027-02-19"),
    ("Summer 2027", "2027-04-05", "2027-07-09"),
    ("Summer half-term 2027", "2027-05-31", "2027-06-04"),
]

# (calendar, name, start, end) of every estimated term and closure, in date order.
ESTIMATED: dict[str, list[tuple[str, str, str]]] = {
    "leicester-city": LEICESTER_2026_27,
    "leicestershire": LEICESTER_2026_27,
    "norfolk": [
        ("Autumn half-term 2023", "2023-10-23", "2023-10-27"),
        ("Spring 2027", "2027-01-04", "2027-03-25"),
        ("Summer 2027", "2027-04-12", "2027-07-21"),
        ("Summer half-term 2027", "2027-05-31", "2027-06-04"),
    ],
    "southwark": [
        ("Autumn 2023", "2023-09-04", "2023-12-21"),
        ("Autumn half-term 2023", "2023-10-23", "2023-10-27"),
        ("Spring 2024", "2024-01-04", "2024-03-28"),
        ("Spring half-term 2024", "2024-02-12", "2024-02-16"),
        ("Summer 2024", "2024-04-15", "2024-07-22"),
        ("Summer half-term 2024", "2024-05-27", "2024-05-31"),
        ("Autumn 2024", "2024-09-02", "2024-12-20"),
        ("Autumn half-term 2024", "2024-10-28", "2024-11-01"),
        ("Spring 2025", "2025-01-06", "2025-04-04"),
        ("Spring half-term 2025", "2025-02-17", "2025-02-21"),
        ("Summer 2025", "2025-04-22", "2025-07-22"),
        ("Summer half-term 2025", "2025-05-26", "2025-05-30"),
        ("Autumn 2026", "2026-09-02", "2026-12-18"),
        ("Autumn half-term 2026", "2026-10-26", "2026-10-30"),
        ("Spring 2027", "2027-01-05", "2027-03-25"),
        ("Spring half-term 2027", "2027-02-15", "2027-02-19"),
        ("Summer 2027", "2027-04-12", "2027-07-16"),
        ("Summer half-term 2027", "2027-05-31", "2027-06-04"),
    ],
}

README = Path(__file__).resolve().parents[3] / "README.md"


def calendar(slug: str) -> SchoolCalendar:
    return next(c for c in bundled_calendars() if c.slug == slug)


def test_every_council_has_a_bundled_calendar() -> None:
    assert {c.slug for c in bundled_calendars()} == set(SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_covers_the_school_years_2023_24_to_2026_27(slug: str) -> None:
    cal = calendar(slug)
    assert cal.covers(date(2023, 9, 1)) and cal.covers(date(2027, 8, 31))
    # Every school year has its three terms, the first in the first week of September 2023 at
    # the latest and the last ending in July 2027.
    terms = sorted(cal.terms, key=lambda t: t.start)
    assert len(terms) == 12
    assert terms[0].start <= date(2023, 9, 6)
    assert date(2027, 7, 1) <= terms[-1].end <= date(2027, 7, 31)


@pytest.mark.parametrize("slug", SLUGS)
def test_no_gap_between_terms_is_longer_than_the_holidays(slug: str) -> None:
    terms = sorted(calendar(slug).terms, key=lambda t: t.start)
    for before, after in zip(terms, terms[1:], strict=False):
        gap = (after.start - before.end).days - 1  # days off between the two terms
        if after.name.startswith("Autumn"):
            # The summer holiday: about six weeks, never more than seven.
            assert 35 <= gap <= 49, (slug, before.name, after.name, gap)
        else:
            # Christmas or Easter: at most two weeks and the weekends around them.
            assert 10 <= gap <= 20, (slug, before.name, after.name, gap)


@pytest.mark.parametrize("slug", SLUGS)
def test_half_terms_are_one_week_inside_a_term(slug: str) -> None:
    cal = calendar(slug)
    assert len(cal.closures) == 12
    for closure in cal.closures:
        assert closure.start.weekday() == 0 and closure.end - closure.start == timedelta(days=4)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_date_names_its_source(slug: str) -> None:
    cal = calendar(slug)
    titles = {s.title for s in cal.sources}
    for span in (*cal.terms, *cal.closures):
        assert span.source in titles, (slug, span.name)
    for source in cal.sources:
        assert source.publisher, (slug, source.title)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_estimated_dates_are_exactly_these(slug: str) -> None:
    cal = calendar(slug)
    got = [(s.name, s.start.isoformat(), s.end.isoformat()) for s in cal.estimates()]
    assert got == ESTIMATED[slug]
    for span in cal.estimates():
        assert span.note, (slug, span.name)  # says how it was estimated


@pytest.mark.parametrize("slug", SLUGS)
def test_no_estimate_slips_in_unmarked(slug: str) -> None:
    # A date whose name or note calls it an estimate (or a guess) must carry the flag.
    for span in (*calendar(slug).terms, *calendar(slug).closures):
        words = f"{span.name} {span.note or ''}".lower()
        if not span.estimate:
            assert "estimat" not in words and "guess" not in words, (slug, span.name)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_provisional_reason_and_readme_name_the_estimated_years(slug: str) -> None:
    cal = calendar(slug)
    assert cal.provisional and cal.provisional_reason
    assert "ESTIMATE" in cal.provisional_reason.upper()
    readme = README.read_text("utf-8")
    section = readme[readme.index("### School calendars") :]
    section = section[: section.index("\n### ", 1)]
    assert f"`{slug}`" in section, slug


def test_a_norfolk_behaviour_trial_of_january_2024_can_be_dated() -> None:
    # Norfolk v1 (the behaviour trial) was in force from 1 Sep 2023 to 4 Nov 2024.
    protocol = next(p for p in bundled_protocols() if p.reference == "norfolk-managed-moves@1")
    timeline = compute_timeline(
        protocol=protocol, calendar=calendar("norfolk"), start=date(2024, 1, 15)
    )
    due = {m.key: m.due for m in timeline.milestones}
    # Notice 2 school days before Mon 15 Jan 2024: Fri 12 (1), Thu 11 Jan (2).
    assert due["written_notice"] == date(2024, 1, 11)
    # 8 term weeks from Mon 15 Jan: 15, 22, 29 Jan, 5 and 12 Feb, (half-term 19-23 Feb), 26 Feb,
    # 4 and 11 Mar: Fri 15 Mar 2024.
    assert due["trial_end"] == date(2024, 3, 15)


def test_a_norfolk_case_of_autumn_2023_crosses_the_estimated_half_term() -> None:
    protocol = next(p for p in bundled_protocols() if p.reference == "norfolk-managed-moves@1")
    cal = calendar("norfolk")
    timeline = compute_timeline(protocol=protocol, calendar=cal, start=date(2023, 10, 2))
    due = {m.key: m.due for m in timeline.milestones}
    # Weeks of 2, 9, 16 Oct, (half-term 23-27 Oct), 30 Oct, 6, 13, 20, 27 Nov: Fri 1 Dec 2023.
    assert due["trial_end"] == date(2023, 12, 1)
    # The dates that rest on an estimate are the ones a person must be told about.
    assert [s.name for s in cal.estimates_between(date(2023, 10, 2), due["trial_end"])] == [
        "Autumn half-term 2023"
    ]


def test_a_southwark_case_of_2024_can_be_dated() -> None:
    protocol = next(p for p in bundled_protocols() if p.council == "southwark")
    timeline = compute_timeline(
        protocol=protocol, calendar=calendar("southwark"), start=date(2024, 4, 15)
    )
    reviews = sorted(m.due for m in timeline.milestones if m.key.startswith("review"))
    # Weeks 4, 8 and 12 from Mon 15 Apr 2024, the May half-term (27-31 May) not counted.
    assert reviews == [date(2024, 5, 10), date(2024, 6, 14), date(2024, 7, 12)]


def test_an_estimate_needs_a_note_at_its_line() -> None:
    text = (
        "calendar: t\ntitle: T\nregion: england-and-wales\nsources:\n  - title: S\n"
        "terms:\n  - {name: Autumn, start: 2026-09-01, end: 2026-12-18, estimate: true}\n"
    )
    with pytest.raises(DefinitionError) as error:
        load_calendar_text(text, path="t.yaml")
    assert any(p.location and p.location.line == 7 for p in error.value.problems)
    assert "note" in str(error.value)


def test_terms_must_lie_inside_covers() -> None:
    text = (
        "calendar: t\ntitle: T\nregion: england-and-wales\n"
        "covers: {start: 2026-09-01, end: 2027-08-31}\nsources:\n  - title: S\n"
        "terms:\n  - {name: Autumn, start: 2026-08-24, end: 2026-12-18}\n"
    )
    with pytest.raises(DefinitionError) as error:
        load_calendar_text(text, path="t.yaml")
    assert "is outside covers (2026-09-01 to 2027-08-31)" in str(error.value)


def test_the_loader_carries_source_estimate_and_note() -> None:
    norfolk = load_calendar("protocols/bundled/calendars/norfolk.yaml")
    summer = next(t for t in norfolk.terms if t.name == "Summer 2027")
    assert summer.estimate and summer.note and summer.source
    autumn = next(t for t in norfolk.terms if t.name == "Autumn 2026")
    assert not autumn.estimate
    assert (
        autumn.source
        == "Cambridgeshire County Council: School term and holiday dates 2026-2027 consultation"
    )
    assert (norfolk.covers_from, norfolk.covers_until) == (date(2023, 9, 1), date(2027, 8, 31))
