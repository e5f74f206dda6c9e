"""Remove or rename keys of a bundled protocol at random: validation refuses the result (each
problem at path:line:column, and publishing refuses it too), or a case runs under it through the
real services: published for its council, referred, agreed and signed, started, its timeline
worked out and its page shown to the council officer. Nothing else may raise.

The unit property (tests/unit/protocols/properties/test_contract_mutations.py) checks case
work's pure reads of the same mutations; this one checks the database, the services and the
views. Each example runs in a transaction rolled back at its end, so none sees another's rows.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, note, settings

from fairway.casework import contract, selectors, services
from fairway.casework.models import Case, Stage
from protocols.bundled import CALENDARS_DIR
from protocols.core.loader import load_protocol, validate_file
from protocols.core.model import Protocol
from protocols.core.problems import DefinitionError
from protocols.models import ProtocolVersion
from protocols.services import council_calendar_save, protocol_version_publish
from tenants.models import User
from tests.factories import sign_in
from tests.integration.casework.conftest import (
    Place,
    _place,
    fill,
    open_case,
    sign_all,
    submit_form,
)
from tests.protocol_mutations import MAINS, Mutation, describe, mutated_copy, mutations

LOCATED = re.compile(r"^.+:\d+:\d+: \S")


class _RolledBack(Exception):
    """Raised at the end of an example to roll its rows back."""


@contextmanager
def _rolled_back() -> Iterator[None]:
    try:
        with transaction.atomic():
            yield
            raise _RolledBack
    except _RolledBack:
        pass


def _by(place: Place, completed_by: str | None) -> User:
    return {"home_school": place.home_staff, "receiving_school": place.receiving_staff}.get(
        completed_by or "", place.officer
    )


def _agree(case: Case, place: Place, protocol: Protocol, *, first_day: date) -> Case:
    """As tests/integration/casework/conftest.py `agree`, for whatever the protocol calls its
    agreement-stage forms: each submitted (the receiving school in its school field, the first
    day in `first_day`), then every sign-off recorded."""
    for form in protocol.forms:
        if form.stage != contract.AGREEMENT_STAGE.key or form.repeats:
            continue
        answers = fill(case, form.key, place, **{contract.FIRST_DAY.key: first_day.isoformat()})
        case = submit_form(case, form.key, answers, _by(place, form.completed_by))
    return sign_all(case, place, signed_on=first_day)


def _run_a_case(main: Path) -> None:
    protocol = load_protocol(str(main))
    place = _place(protocol.council, f"{protocol.council.title()} Council")
    record = council_calendar_save(
        council=place.council,
        yaml_text=(CALENDARS_DIR / "norfolk.yaml").read_text("utf-8"),
        path_label="norfolk.yaml",
    )
    version = protocol_version_publish(path=main)
    assert version.load().forms == protocol.forms
    # A referral while the version is in force (Norfolk's first protocol ended in 2024).
    referred_on = min(date(2026, 11, 2), protocol.effective_until or date.max)
    calendar = record.load()
    first_day = calendar.next_school_day_on_or_after(referred_on + timedelta(days=21))

    case = open_case(place, referred_on=referred_on)
    assert case.protocol_version == version
    case = _agree(case, place, protocol, first_day=first_day)
    services.case_event_record(
        case=case,
        event_key=contract.START.key,
        day=first_day,
        recorded_by=place.officer,
        expected_version=case.version,
    )
    case = Case.objects.get(pk=case.pk)
    assert (case.stage, case.start_date) == (Stage.OFF_SITE_DIRECTION, first_day)

    timeline = selectors.case_timeline(case=case, today=first_day + timedelta(days=7))
    assert not timeline.problems, timeline.problems

    client = Client()
    sign_in(client, place.officer)
    response = client.get(reverse("casework:case_detail", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    assert case.pupil_name in response.content.decode()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mutation=mutations())
def test_a_mutated_protocol_is_refused_or_a_case_runs_under_it(
    db: None, mutation: Mutation
) -> None:
    note(describe(mutation))
    with tempfile.TemporaryDirectory() as tmp:
        main = mutated_copy(mutation, Path(tmp))
        problems = validate_file(str(main), contracts=(contract.CASEWORK,))
        if problems:
            # Refused at validation, each problem at its place in the files; publishing too.
            assert all(LOCATED.match(str(p)) for p in problems), problems
            with _rolled_back(), pytest.raises(DefinitionError):
                protocol_version_publish(path=main)
            assert not ProtocolVersion.objects.exists()
            event("refused at validation")
            return
        event("a case ran")
        with _rolled_back():
            _run_a_case(main)
    assert not Case.objects.exists()


def test_the_bundled_protocols_unchanged_run_a_case(db: None) -> None:
    """The property's baseline: every bundled protocol as it is runs a case."""
    for relative in MAINS:
        with tempfile.TemporaryDirectory() as tmp:
            main = mutated_copy((relative, relative, []), Path(tmp))
            assert validate_file(str(main), contracts=(contract.CASEWORK,)) == []
            with _rolled_back():
                _run_a_case(main)
