"""Fair Access figures (casework/fair_access.py): every published figure against the cases made
here, and the suppression of small counts with its secondary cells."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from fairway.casework import fair_access
from fairway.casework.models import Case, FormSubmission, Stage
from tenants.models import School
from tests.factories import SchoolFactory

from .conftest import Place, open_case

ADVISER = "answer:agreement.inclusion_adviser_planned"
STAYED, RETURNED = "on_roll_receiving", "returned_home"


def move(
    place: Place,
    *,
    first_day: date,
    outcome: str = "",
    adviser: bool | None = None,
    home: School | None = None,
    receiving: School | None = None,
) -> Case:
    """A move that started on `first_day` (stages set directly: the figures only read cases)."""
    case = open_case(place, referred_on=first_day)
    receiving = receiving or place.receiving
    Case.objects.filter(pk=case.pk).update(
        home_school=home or place.home,
        receiving_school=receiving,
        receiving_council=receiving.council,
        start_date=first_day,
        stage=Stage.CLOSED if outcome else Stage.OFF_SITE_DIRECTION,
        outcome_key=outcome,
    )
    if adviser is not None:
        FormSubmission.objects.create(
            case=case,
            form_key="agreement",
            answers={"inclusion_adviser_planned": adviser},
            submitted_at=timezone.now(),
        )
    return case


def moves(place: Place, n: int, **kwargs: Any) -> None:
    for _ in range(n):
        move(place, **kwargs)


def table(year: dict[str, Any], key: str) -> dict[str, Any]:
    return next(t for t in year["tables"] if t["key"] == key)


def cells(t: dict[str, Any]) -> dict[str, list[object]]:
    rows = {r["label"]: r["cells"] for r in t["rows"]}
    if t.get("total"):
        rows[t["total"]["label"]] = t["total"]["cells"]
    return rows


def test_every_figure_of_a_year_with_no_small_counts(norfolk: Place) -> None:
    day = date(2025, 10, 6)
    moves(norfolk, 7, first_day=day, outcome=STAYED, adviser=True)
    moves(norfolk, 5, first_day=day, outcome=RETURNED, adviser=True)
    moves(norfolk, 5, first_day=day, outcome=STAYED, adviser=False)
    moves(norfolk, 6, first_day=day, outcome=RETURNED, adviser=False)
    snapshot = fair_access.fair_access_snapshot(
        council=norfolk.council, route_question=ADVISER, today=date(2026, 8, 1)
    )
    assert [y["label"] for y in snapshot["years"]] == ["2025/26"]
    year = snapshot["years"][0]
    assert year["moves"] == 23
    assert cells(table(year, "outcomes")) == {"All moves": [12, 11, 0, 0, 23]}
    assert cells(table(year, "phase")) == {
        "Secondary": [12, 11, 0, 0, 23],
        "All moves": [12, 11, 0, 0, 23],
    }
    assert cells(table(year, "partnership")) == {
        norfolk.partnership.name: [12, 11, 0, 0, 23],
        "All moves": [12, 11, 0, 0, 23],
    }
    route = table(year, "route")
    assert route["title"].endswith("Did an Inclusion Adviser plan this DOWIMM with the school?")
    assert cells(route) == {
        "Yes": [7, 5, 0, 0, 12],
        "No": [5, 6, 0, 0, 11],
        "All moves": [12, 11, 0, 0, 23],
    }
    # Both schools are secondary with 900 on roll: each is expected to receive half of 23.
    assert cells(table(year, "schools-secondary")) == {
        norfolk.home.name: [0, 11.5, 23, ""],
        norfolk.receiving.name: [23, 11.5, 0, "Yes"],
        "All Secondary schools": [23, 23, 23, ""],
    }


def test_small_counts_are_hidden_with_the_cells_that_would_give_them_away(norfolk: Place) -> None:
    day = date(2026, 10, 5)
    moves(norfolk, 6, first_day=day, outcome=STAYED, adviser=True)
    moves(norfolk, 1, first_day=day, outcome=RETURNED, adviser=True)
    moves(norfolk, 2, first_day=day, outcome=STAYED, adviser=False)
    moves(norfolk, 5, first_day=day, outcome=RETURNED, adviser=False)
    moves(norfolk, 3, first_day=day)  # running, the agreement's question not answered
    snapshot = fair_access.fair_access_snapshot(
        council=norfolk.council, route_question=ADVISER, today=date(2027, 8, 1)
    )
    year = snapshot["years"][0]
    c = fair_access.HIDDEN
    # 3 not yet decided is under 5; the row total 17 would give it away, so the next smallest
    # count beside it (6 returned) is hidden too.
    assert year["moves"] == 17
    assert cells(table(year, "outcomes")) == {"All moves": [8, c, 0, c, 17]}
    # The same totals are hidden alike in every table, and so are the cells under them.
    assert cells(table(year, "phase")) == {
        "Secondary": [8, c, 0, c, 17],
        "All moves": [8, c, 0, c, 17],
    }
    assert cells(table(year, "route")) == {
        # 1 returned under an adviser is hidden, and the 6 beside it; the 2 stayed without
        # an adviser, the 5 under the 1 in its column; the 3 not answered and its total.
        "Yes": [c, c, 0, 0, c],
        "No": [c, c, 0, 0, 7],
        "Not answered": [0, 0, 0, c, c],
        "All moves": [8, c, 0, c, 17],
    }


def test_a_school_that_received_fewer_than_5_is_hidden_and_so_is_a_second_school(
    norfolk: Place,
) -> None:
    day = date(2026, 10, 5)
    third = SchoolFactory(council=norfolk.council, partnership=norfolk.partnership, name="Zeal")
    moves(norfolk, 2, first_day=day, outcome=STAYED)
    moves(norfolk, 9, first_day=day, outcome=STAYED, receiving=third)
    moves(norfolk, 6, first_day=day, outcome=STAYED, home=third, receiving=norfolk.home)
    snapshot = fair_access.fair_access_snapshot(council=norfolk.council, today=date(2027, 8, 1))
    rows = cells(table(snapshot["years"][0], "schools-secondary"))
    c = fair_access.HIDDEN
    # Received: 2 at the receiving school is hidden; so is a second (6 at the home school, the
    # smallest shown), or 17 minus the shown would give it away.
    assert rows[norfolk.receiving.name][0] == c
    assert rows[norfolk.home.name][0] == c
    assert rows["Zeal"][0] == 9
    assert rows["All Secondary schools"][0] == 17
    # Sent: 11 and 6, nothing small.
    assert rows[norfolk.home.name][2] == 11 and rows["Zeal"][2] == 6


def test_a_year_with_under_5_moves_shows_no_count_at_all(norfolk: Place) -> None:
    moves(norfolk, 3, first_day=date(2026, 10, 5), outcome=STAYED)
    year = fair_access.fair_access_snapshot(council=norfolk.council, today=date(2027, 8, 1))[
        "years"
    ][0]
    for t in year["tables"]:
        for row in [*t["rows"], t["total"]]:
            assert all(cell in (0, "", fair_access.HIDDEN) for cell in row["cells"]), row


def test_another_councils_moves_are_not_counted(norfolk: Place, southwark: Place) -> None:
    moves(southwark, 6, first_day=date(2026, 10, 5), outcome=STAYED)
    assert fair_access.fair_access_snapshot(council=norfolk.council)["years"] == []


def test_the_snapshot_names_no_pupil(norfolk: Place) -> None:
    moves(norfolk, 6, first_day=date(2026, 10, 5), outcome=STAYED)
    text = str(fair_access.fair_access_snapshot(council=norfolk.council, today=date(2027, 8, 1)))
    for case in Case.objects.all():
        assert case.pupil_name not in text and case.upn not in text and case.reference not in text
