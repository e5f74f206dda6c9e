"""selectors.case_rows: a case's records loaded in one statement (PostgreSQL) are the same rows,
values, types and order as Django's prefetch gives, and read with no further query."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Model, Prefetch, prefetch_related_objects
from django.test.utils import CaptureQueriesContext

from fairway.casework.models import (
    Case,
    Commitment,
    EarlyEnd,
    Extension,
    FormSubmission,
    MilestoneDone,
    Outcome,
    OutcomeTold,
)
from fairway.casework.selectors import case_rows
from fairway.casework.selectors.case_rows import MANY, ONE, case_records_load

from .conftest import Place, open_case
from .service_helpers import add_weeks_of_records, started


def _values(instance: Model) -> tuple[tuple[object, type], ...]:
    return tuple(
        (getattr(instance, f.attname), type(getattr(instance, f.attname)))
        for f in instance._meta.concrete_fields
    )


def _prefetched(pk: int) -> Case:
    case = Case.objects.get(pk=pk)
    prefetch_related_objects(
        [case],
        *MANY,
        Prefetch("submissions", queryset=FormSubmission.objects.order_by("form_key", "occurrence")),
        *ONE,
    )
    return case


def _related(case: Case, name: str) -> Model | None:
    try:
        found: Model = getattr(case, name)
    except (EarlyEnd.DoesNotExist, Outcome.DoesNotExist):
        return None
    return found


PREFETCHES = len(MANY) + 1 + len(ONE)  # the submissions too


def _assert_same(pk: int, *, statements: int | None = None) -> None:
    expected = _prefetched(pk)
    loaded = Case.objects.get(pk=pk)
    with CaptureQueriesContext(connection) as captured:
        case_records_load(loaded)
    has_outcome = _related(expected, "outcome") is not None
    if statements is None:
        statements = 1 if connection.vendor == "postgresql" else PREFETCHES
    assert len(captured) == statements + has_outcome  # the outcome's told, when there is one
    with CaptureQueriesContext(connection) as after:
        for name in (*MANY, "submissions"):
            got = [_values(r) for r in getattr(loaded, name).all()]
            assert got == [_values(r) for r in getattr(expected, name).all()], name
            assert all(r.case is loaded for r in getattr(loaded, name).all())
        for name in ONE:
            mine, theirs = _related(loaded, name), _related(expected, name)
            assert (mine and _values(mine)) == (theirs and _values(theirs)), name
        if has_outcome:
            assert [t.role_key for t in loaded.outcome.told.all()] == ["parent"]
    assert not after.captured_queries


def test_every_record_as_the_prefetch_gives_it(norfolk: Place) -> None:
    case = started(norfolk)
    add_weeks_of_records(case, norfolk, weeks=[date(2026, 11, 30), date(2026, 12, 7)])
    Commitment.objects.filter(case=case).update(text="Ünïcode “quotes” and a \\ backslash")
    Extension.objects.create(
        case=case,
        extension_key="trial_extension",
        school_weeks=4,
        approvals=["parent", "home_school"],
        reasons="Illness",
        granted_on=date(2026, 12, 1),
    )
    MilestoneDone.objects.create(case=case, milestone_key="dual_registration", done_on=date.today())
    _assert_same(case.pk)

    EarlyEnd.objects.create(
        case=case, end_rule_key="serious_breach", decided_on=date(2026, 12, 9), reasons="x"
    )
    outcome = Outcome.objects.create(
        case=case,
        outcome_key="returned_home",
        decided_on=date(2026, 12, 10),
        reasons="y",
        reported_to=["parent", "home_school"],
        reports=[{"role": "home_school", "emailed": 2, "sent_at": None}],
    )
    OutcomeTold.objects.create(outcome=outcome, role_key="parent", told_on=date(2026, 12, 11))
    _assert_same(case.pk)


def test_a_case_with_no_records_yet(norfolk: Place) -> None:
    case = open_case(norfolk)
    _assert_same(case.pk)


def test_a_column_json_cannot_carry_exactly_means_the_prefetches(
    norfolk: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A decimal or bytes column in a record would come back from JSON changed: a record with a
    column of a kind not known to survive JSON makes the load use the prefetches."""
    monkeypatch.setattr(case_rows, "_EXACT_IN_JSON", case_rows._EXACT_IN_JSON - {"JSONField"})
    case_rows._exact_in_json.cache_clear()
    try:
        case = started(norfolk)
        _assert_same(case.pk, statements=PREFETCHES)
    finally:
        case_rows._exact_in_json.cache_clear()
