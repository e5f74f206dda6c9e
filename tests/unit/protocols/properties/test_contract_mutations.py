"""Remove or rename keys of a bundled protocol at random: validation against the case-work
contract refuses the result, or case work's reads of it work (referral answers, forms by key,
a started case's timeline); none fails at run time."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from fairway.casework import contract, writes
from fairway.casework.selectors import CaseFacts, timeline_compute
from protocols.bundled import bundled_calendars
from protocols.core.loader import load_protocol, validate_file
from tests.protocol_mutations import Mutation, mutated_copy, mutations


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=mutations())
def test_a_mutated_protocol_is_refused_or_works(
    mutation: Mutation,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        main = mutated_copy(mutation, Path(tmp))
        if validate_file(str(main), contracts=(contract.CASEWORK,)):
            return  # refused at validation, with its place in the file
        protocol = load_protocol(str(main))
    # What case work reads of a protocol that passed.
    referral = protocol.form(contract.REFERRAL.key)
    assert {f.key for f in referral.fields} >= {f.key for f in contract.REFERRAL.fields}
    for form in protocol.forms:
        writes._form_rule(protocol, form.key)
    calendars = bundled_calendars()
    calendar = next((c for c in calendars if c.council == protocol.council), calendars[0])
    start = calendar.school_days()[0]
    # Agreed and started, then ended early: the timeline and its "not needed" rows.
    facts = CaseFacts(events={contract.TRIAL_ENDED_EARLY.key: start})
    timeline_compute(protocol=protocol, calendar=calendar, start=start, facts=facts, today=start)
