"""Demo cases at every stage for Norfolk, Leicestershire and Southwark, plus a cross-border move.

Every pupil below is INVENTED: names, dates of birth and UPNs (which fail the DfE check letter
on purpose: they start with "Z", never issued) are made up. The cases are built through the
services, so their history, audit log and deadlines are the real thing, dated around
23 November 2026.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from protocols.core.model import FormField, Protocol
from protocols.models import SchoolClosure
from tenants.models import Council, School, User

from . import contract, services
from .models import Case, Stage

OFFICER_EMAIL = "officer@{council}.example"


@dataclass(frozen=True)
class DemoCase:
    upn: str
    pupil: str
    born: date
    year: str
    postcode: str
    home_urn: int
    stage: str  # referral, agreement, trial, ended_early, closed
    referred_on: date
    receiving_urn: int | None = None
    first_day: date | None = None
    reasons: str = "Persistent disruption in lessons and two suspensions this term."
    flags: dict[str, bool] = field(default_factory=dict)
    attendance: tuple[int, ...] = ()  # sessions attended each week, of 10
    reviews: int = 0
    extension_weeks: int = 0
    end_rule: str = ""
    ended_on: date | None = None
    outcome: str = ""
    decided_on: date | None = None
    agreement: dict[str, Any] = field(default_factory=dict)  # answers given on the agreement form
    # A request to the receiving school's council left as it is: "pending" (with a question
    # asked) or "declined". Without it, a school of another council on Fairway is asked and
    # accepted before the agreement.
    request: str = ""
    # A home council with no protocol of its own runs the move under this council's (the
    # receiving school's, which is asked to take it on).
    governing: str = ""


CASES: dict[str, list[DemoCase]] = {
    "norfolk": [
        DemoCase(
            "Z880100000001",
            "Kayden Blythe",
            date(2013, 2, 9),
            "year_9",
            "NR2 3AB",
            880101,
            "referral",
            date(2026, 11, 16),
        ),
        DemoCase(
            "Z880100000002",
            "Ellie-Mae Fincham",
            date(2012, 7, 21),
            "year_10",
            "NR3 2QJ",
            880102,
            "agreement",
            date(2026, 11, 4),
            receiving_urn=880101,
            first_day=date(2026, 12, 1),
            flags={"looked_after": True},
        ),
        DemoCase(
            "Z880100000003",
            "Tyler Gedge",
            date(2012, 10, 3),
            "year_9",
            "NR4 7HG",
            880101,
            "trial",
            date(2026, 10, 12),
            receiving_urn=880103,
            first_day=date(2026, 11, 2),
            attendance=(10, 9, 7),
            reviews=1,
        ),
        DemoCase(
            "Z880100000004",
            "Amber Howlett",
            date(2014, 1, 28),
            "year_8",
            "NR3 4LT",
            880102,
            "ended_early",
            date(2026, 9, 7),
            receiving_urn=880101,
            first_day=date(2026, 9, 21),
            attendance=(8, 6, 5, 4),
            reviews=2,
            end_rule="persistent_absence",
            ended_on=date(2026, 10, 16),
        ),
        DemoCase(
            "Z880100000005",
            "Riley Thrower",
            date(2011, 5, 17),
            "year_10",
            "NR2 1PD",
            880101,
            "closed",
            date(2026, 4, 20),
            receiving_urn=880102,
            first_day=date(2026, 5, 5),
            attendance=(10, 10, 9, 10, 10, 9, 10, 10),
            reviews=4,
            outcome="on_roll_receiving",
            decided_on=date(2026, 7, 6),
        ),
        # Under the behaviour trial (version 1), with an extension for illness.
        DemoCase(
            "Z880100000006",
            "Maisie Loveday",
            date(2008, 11, 2),
            "year_11",
            "NR4 6AA",
            880103,
            "closed",
            date(2024, 9, 9),
            receiving_urn=880101,
            first_day=date(2024, 9, 23),
            attendance=(10, 6, 4, 10, 10, 10),
            reviews=3,
            extension_weeks=3,
            outcome="on_roll_receiving",
            decided_on=date(2024, 12, 13),
        ),
    ],
    "leicestershire": [
        DemoCase(
            "Z880200000001",
            "Harvey Pochin",
            date(2013, 6, 14),
            "year_9",
            "LE11 3QF",
            880201,
            "referral",
            date(2026, 11, 18),
            flags={"ehcp": True},
        ),
        DemoCase(
            "Z880200000002",
            "Lacey Bramley",
            date(2011, 9, 30),
            "year_10",
            "LE12 9AB",
            880202,
            "agreement",
            date(2026, 11, 2),
            receiving_urn=880201,
            first_day=date(2026, 11, 30),
        ),
        DemoCase(
            "Z880200000003",
            "Jaxon Pegg",
            date(2013, 3, 3),
            "year_9",
            "LE11 5DE",
            880201,
            "trial",
            date(2026, 9, 1),
            receiving_urn=880202,
            first_day=date(2026, 9, 14),
            attendance=(10, 10, 9, 8, 10, 10, 9, 10),
            reviews=1,
            flags={"withdrawn_exclusion": True, "exclusion_stands_if_move_fails": True},
        ),
        DemoCase(
            "Z880200000004",
            "Ava Toon",
            date(2013, 4, 19),
            "year_8",
            "LE10 1AA",
            880203,
            "closed",
            date(2026, 1, 12),
            receiving_urn=880201,
            first_day=date(2026, 1, 26),
            attendance=(9, 10, 10, 10),
            reviews=2,
            outcome="returned_home",
            decided_on=date(2026, 5, 22),
        ),
        # Cross-border: a Leicestershire home school, a Leicester City receiving school.
        DemoCase(
            "Z880200000005",
            "Deon Armitage",
            date(2011, 12, 8),
            "year_10",
            "LE3 9QA",
            880201,
            "trial",
            date(2026, 10, 5),
            receiving_urn=880403,
            first_day=date(2026, 11, 2),
            attendance=(10, 8, 9),
            reviews=0,
        ),
        # Waiting for Leicester City's decision (it has asked a question).
        DemoCase(
            "Z880200000006",
            "Tayla Bown",
            date(2012, 5, 2),
            "year_10",
            "LE3 2PR",
            880201,
            "referral",
            date(2026, 11, 16),
            receiving_urn=880402,
            first_day=date(2027, 1, 11),
            request="pending",
        ),
        # Leicester City declined: the case stays with Leicestershire alone.
        DemoCase(
            "Z880200000007",
            "Riley Sketchley",
            date(2013, 1, 22),
            "year_9",
            "LE4 9HA",
            880202,
            "referral",
            date(2026, 10, 19),
            receiving_urn=880404,
            first_day=date(2026, 11, 30),
            request="declined",
        ),
    ],
    # Leicester City has no protocol of its own on Fairway: its move to a Leicestershire school
    # is made under Leicestershire's, and waits for Leicestershire's decision.
    "leicester-city": [
        DemoCase(
            "Z880400000001",
            "Marcus Odhiambo",
            date(2012, 3, 14),
            "year_10",
            "LE5 4PD",
            880405,
            "referral",
            date(2026, 11, 18),
            receiving_urn=880208,
            first_day=date(2027, 1, 11),
            request="pending",
            governing="leicestershire",
        ),
    ],
    "southwark": [
        DemoCase(
            "Z880300000001",
            "Kemi Adeyemi",
            date(2013, 8, 25),
            "year_9",
            "SE16 2TX",
            880301,
            "referral",
            date(2026, 11, 19),
        ),
        DemoCase(
            "Z880300000002",
            "Tomasz Wiśniewski",
            date(2012, 3, 11),
            "year_10",
            "SE15 5DQ",
            880304,
            "agreement",
            date(2026, 11, 5),
            receiving_urn=880301,
            first_day=date(2026, 12, 2),
        ),
        DemoCase(
            "Z880300000003",
            "Shanice Boateng",
            date(2012, 12, 1),
            "year_9",
            "SE1 4YB",
            880301,
            "trial",
            date(2026, 9, 28),
            receiving_urn=880302,
            first_day=date(2026, 10, 12),
            attendance=(10, 10, 8, 9, 10),
            reviews=1,
        ),
        DemoCase(
            "Z880300000004",
            "Marcus Okafor",
            date(2012, 6, 6),
            "year_10",
            "SE5 7LP",
            880305,
            "ended_early",
            date(2026, 9, 7),
            receiving_urn=880301,
            first_day=date(2026, 9, 21),
            attendance=(9, 8, 8, 6, 7, 5),
            reviews=1,
            end_rule="breakdown",
            ended_on=date(2026, 11, 18),
        ),
        DemoCase(
            "Z880300000005",
            "Lily-Rose Carter",
            date(2012, 1, 15),
            "year_9",
            "SE16 4NH",
            880301,
            "closed",
            date(2026, 2, 23),
            receiving_urn=880303,
            first_day=date(2026, 3, 9),
            attendance=(10, 10, 10, 9, 10, 10),
            reviews=3,
            outcome="on_roll_receiving",
            decided_on=date(2026, 6, 12),
        ),
        # To a school of Lambeth, which is not on Fairway: recorded by Southwark alone.
        DemoCase(
            "Z880300000006",
            "Jordan Mensah",
            date(2012, 4, 9),
            "year_10",
            "SE17 1RT",
            880302,
            "trial",
            date(2026, 10, 5),
            receiving_urn=880501,
            first_day=date(2026, 11, 2),
            attendance=(10, 9, 10),
        ),
    ],
}


# Norfolk's last full year of DOWIMMs, so the register has something to show: most were planned
# with an Inclusion Adviser, and those mostly ended on the receiving school's roll (seed 002);
# Eaton Rise took more than its share.
NORFOLK_PAST_YEAR = [
    # pupil, born, year group, home URN, receiving URN, first day, adviser planned, outcome
    ("Logan Pyke", date(2012, 4, 2), "year_9", 880101, 880103, date(2025, 9, 15), True, True),
    ("Maisie Cubitt", date(2012, 12, 9), "year_8", 880102, 880103, date(2025, 10, 6), True, True),
    (
        "Harrison Bacon",
        date(2011, 6, 30),
        "year_10",
        880104,
        880105,
        date(2025, 11, 3),
        False,
        False,
    ),
    ("Poppy Larwood", date(2012, 1, 17), "year_9", 880106, 880107, date(2025, 11, 17), True, True),
    ("Jake Sayer", date(2012, 8, 5), "year_9", 880101, 880103, date(2026, 1, 12), False, False),
    ("Isla Gotts", date(2013, 10, 21), "year_7", 880105, 880104, date(2026, 1, 26), True, True),
    ("Callum Rix", date(2011, 3, 12), "year_10", 880107, 880106, date(2026, 2, 23), False, True),
    ("Lacey Seago", date(2012, 11, 28), "year_8", 880102, 880103, date(2026, 3, 2), True, True),
    ("Reece Bussey", date(2012, 2, 14), "year_9", 880104, 880103, date(2026, 3, 16), False, False),
    ("Evie Chilvers", date(2012, 7, 7), "year_9", 880106, 880101, date(2026, 4, 20), True, False),
    ("Owen Thirtle", date(2010, 9, 24), "year_10", 880103, 880102, date(2026, 5, 11), True, True),
    ("Ruby Futter", date(2013, 5, 19), "year_8", 880101, 880103, date(2026, 6, 1), False, False),
]
CASES["norfolk"] += [
    DemoCase(
        f"Z88010000{index:04d}",
        pupil,
        born,
        year_group,
        "NR3 2QJ",
        home,
        "closed",
        first_day - timedelta(days=14),
        receiving_urn=receiving,
        first_day=first_day,
        attendance=(10, 10, 9, 10, 9, 10, 10, 10) if stayed else (9, 8, 7, 8, 6, 7, 6, 7),
        reviews=4,
        outcome="on_roll_receiving" if stayed else "returned_home",
        decided_on=min(first_day + timedelta(days=63), date(2026, 7, 17)),
        agreement={"inclusion_adviser_planned": adviser},
    )
    for index, (pupil, born, year_group, home, receiving, first_day, adviser, stayed) in enumerate(
        NORFOLK_PAST_YEAR, start=101
    )
]


def _answer(definition: FormField, *, receiving: School | None, overrides: dict[str, Any]) -> Any:
    if definition.key in overrides:
        return overrides[definition.key]
    kind = definition.type
    if kind == "school":
        return receiving.pk if receiving else None
    if not definition.required:
        return None
    if kind == "date":
        return overrides.get("_date", "2026-11-10")
    if kind == "yes_no":
        return True
    if kind in ("number", "percentage"):
        return int(definition.min or 0) + 1 if definition.max is None else int(definition.max)
    if kind == "choice":
        return definition.choices[0].value
    if kind == "choices":
        return [definition.choices[0].value]
    if kind == "email":
        return "family@example.org"
    return DEMO_TEXT.get(
        definition.key, "Agreed at the meeting; see the notes held by the home school."
    )


DEMO_TEXT = {
    "why_this_school": "Nearest school with a place in year; no previous moves between the two; "
    "the family can walk there.",
    "targets": "Attend every lesson on time; no removals from class; one positive report a week.",
    "risk_assessment": "Low risk; agreed at the joint meeting. Key adult: Head of Year.",
    "receiving_school_address": "The school's main reception",
    "report_to": "Head of Year, at reception, 8.30am",
    "reasons_and_objectives": "A fresh start to improve behaviour and engagement.",
    "session_times": "8.40am to 3.10pm, Monday to Friday",
    "attendees": "Both schools' pastoral leads, parent, pupil",
    "progress_against_targets": "Settling well; two late marks; positive reports from most teachers.",
}


def _submit(case: Case, form_key: str, by: User, overrides: dict[str, Any]) -> Case:
    protocol = case.protocol_version.load()
    if not any(f.key == form_key for f in protocol.forms):
        return case
    form = protocol.form(form_key)
    answers: dict[str, Any] = {}
    for definition in form.fields:
        value = _answer(
            definition,
            receiving=case.receiving_school or overrides.get("_school"),
            overrides=overrides,
        )
        if value is not None:
            answers[definition.key] = value
    submission = services.form_draft_start(case=case, form_key=form_key, started_by=by)
    submission = services.form_page_save(
        submission=submission,
        page_answers=answers,
        page_fields=list(answers),
        expected_version=submission.version,
        saved_by=by,
    )
    services.form_submit(
        submission=submission, expected_version=submission.version, submitted_by=by
    )
    return Case.objects.get(pk=case.pk)


SIGNERS = {
    "parent": "Parent (signed on paper)",
    "home_school": "Head teacher of the home school",
    "receiving_school": "Head teacher of the receiving school",
}


def _build(spec: DemoCase, council: Council, officer: User) -> None:
    home = School.objects.get(urn=spec.home_urn)
    receiving = School.objects.get(urn=spec.receiving_urn) if spec.receiving_urn else None
    referral = {
        "pupil_name": spec.pupil,
        "date_of_birth": spec.born.isoformat(),
        "upn": spec.upn,
        "year_group": spec.year,
        "home_postcode": spec.postcode,
        "reasons": spec.reasons,
        "interventions_tried": "Pastoral support plan, mentoring, a reduced timetable for two weeks, "
        "an early help assessment.",
        "parent_views": "Worried, but willing to try a fresh start.",
        "ehcp": spec.flags.get("ehcp", False),
        "looked_after": spec.flags.get("looked_after", False),
        "withdrawn_exclusion": spec.flags.get("withdrawn_exclusion", False),
    }
    if spec.flags.get("withdrawn_exclusion"):
        referral["exclusion_stands_if_move_fails"] = spec.flags.get(
            "exclusion_stands_if_move_fails", False
        )
    case = services.case_open(
        referral=services.Referral(
            home_school=home,
            answers=referral,
            referred_on=spec.referred_on,
            governing_council=Council.objects.get(slug=spec.governing) if spec.governing else None,
        ),
        opened_by=officer,
    )
    if (
        receiving is not None
        and spec.first_day is not None
        and _ask_other_council(case, spec, receiving, officer)
    ):
        case = Case.objects.get(pk=case.pk)
    if spec.stage == "referral" or receiving is None or spec.first_day is None:
        return
    first_day = spec.first_day
    case = _submit(
        case,
        "agreement",
        officer,
        {"_school": receiving, "_date": spec.referred_on.isoformat(), **spec.agreement},
    )
    if spec.upn in OTHER_COUNCIL_RECORDS:
        case = _other_council_recorded(case, officer, OTHER_COUNCIL_RECORDS[spec.upn])
    if any(e.key == contract.DIRECTION_DETERMINED.key for e in case.protocol_version.load().events):
        # The governing board's determination, which the notice follows (SI 2010/1156 reg 3).
        case = services.case_event_record(
            case=case,
            event_key=contract.DIRECTION_DETERMINED.key,
            day=spec.referred_on,
            recorded_by=officer,
            expected_version=case.version,
        )
    case = _submit(
        case,
        "off_site_direction_notice",
        officer,
        {
            "first_day": first_day.isoformat(),
            "_date": spec.referred_on.isoformat(),
            "number_of_days": 40,
        },
    )
    protocol = case.protocol_version.load()
    signing = [(s.key, r) for s in protocol.sign_offs for r in s.roles]
    if spec.stage == "agreement":
        signing = signing[:2]  # the rest are still to sign
    for sign_off_key, role in signing:
        services.sign_off_record(
            case=case,
            sign_off_key=sign_off_key,
            role_key=role,
            signed_by_name=SIGNERS.get(
                role,
                protocol.role(role).label if any(r.key == role for r in protocol.roles) else role,
            ),
            signed_on=spec.referred_on,
            recorded_by=officer,
            expected_version=case.version,
        )
        case.refresh_from_db()
    case = _targets_and_commitments(case, protocol, officer, agreed_on=spec.referred_on)
    if spec.stage == "agreement":
        return
    case = services.case_event_record(
        case=case,
        event_key="start",
        day=first_day,
        recorded_by=officer,
        expected_version=case.version,
    )
    from . import selectors

    # The home school did what the first day asks (dual registration, telling the partnership).
    for milestone in selectors.case_timeline(case=case).milestones:
        if not milestone.form and milestone.due <= first_day and milestone.is_open:
            case = services.milestone_done_record(
                case=case,
                milestone_key=milestone.key,
                done_on=milestone.due,
                recorded_by=officer,
                expected_version=case.version,
            )
    calendar_weeks = _weeks(case, first_day, len(spec.attendance))
    for monday, attended in zip(calendar_weeks, spec.attendance, strict=False):
        services.attendance_record(
            case=case,
            week_beginning=monday,
            sessions_possible=10,
            sessions_attended=attended,
            recorded_by=officer,
            expected_version=case.version,
            note="" if attended >= 9 else "Absent: illness, reported by the parent.",
        )
        case.refresh_from_db()
    timeline = selectors.case_timeline(case=case)
    review_dates = [m.due for m in timeline.milestones if m.milestone == "review"][: spec.reviews]
    for held_on in review_dates:
        case = _submit(
            case,
            "review",
            officer,
            {
                "held_on": held_on.isoformat(),
                "outcome_shared_with_parents_on": held_on.isoformat(),
                "recommendation": "continue",
                "home_school_attended": True,
            },
        )
    if review_dates:
        # Targets usually stay the same; here the first review tightened one.
        first_target = case.commitments.filter(kind="target").order_by("pk").first()
        if first_target is not None:
            services.commitment_change(
                commitment=first_target,
                text="Attend every lesson on time, with no more than one late mark a week.",
                status="in_progress",
                agreed_on=review_dates[0],
                agreed_with="both schools and the parents, at the first review",
                reason="Punctuality improved; the target was tightened at the first review.",
                changed_by=officer,
                expected_version=first_target.version,
            )
            case.refresh_from_db()
    if spec.extension_weeks and protocol.extensions:
        extension = protocol.extensions[0]
        services.extension_grant(
            case=case,
            extension_key=extension.key,
            school_weeks=spec.extension_weeks,
            approvals=list(extension.approvals),
            reasons="Significant absence through illness in weeks 2 and 3, with a GP's letter.",
            granted_on=review_dates[-1] if review_dates else first_day,
            granted_by=officer,
            expected_version=case.version,
        )
        case.refresh_from_db()
    if spec.end_rule and spec.ended_on:
        services.case_end_early(
            case=case,
            end_rule_key=spec.end_rule,
            decided_on=spec.ended_on,
            reasons="Attendance and behaviour did not improve despite the agreed support.",
            answers={
                "decided_on": spec.ended_on.isoformat(),
                "reasons": "Attendance and behaviour did not improve despite the agreed support.",
                "evidence": "Weekly attendance record; behaviour log.",
            },
            ended_by=officer,
            expected_version=case.version,
        )
        case.refresh_from_db()
    if spec.outcome and spec.decided_on:
        services.outcome_record(
            case=case,
            outcome_key=spec.outcome,
            decided_on=spec.decided_on,
            reasons="Agreed at the final review.",
            answers={
                "decided_on": spec.decided_on.isoformat(),
                "decision_reasons": "Agreed at the final review.",
                "parents_told_on": spec.decided_on.isoformat(),
            },
            recorded_by=officer,
            expected_version=case.version,
        )


# A move to a school of a council not on Fairway: what the home council's officer recorded of that
# council (demo people and dates). The school's term dates are not known yet, so its milestones
# count on the home calendar marked provisional.
OTHER_COUNCIL_RECORDS: dict[str, dict[str, Any]] = {
    "Z880300000006": {
        "contact_name": "Adaeze Okafor",
        "contact_role": "Fair Access and Inclusion Officer, Lambeth",
        "contact_email": "fair-access@lambeth.example",
        "contact_phone": "020 7926 0000",
        "council_decision": "agreed",
        "council_decided_on": date(2026, 10, 14),
        "school_decision": "agreed",
        "school_decided_on": date(2026, 10, 16),
        "notes": "Agreed by email after the Lambeth Fair Access panel; a Year 10 place from "
        "Monday 2 November. Lambeth's term dates to follow.",
        "calendar_choice": "provisional",
    },
}


def _other_council_recorded(case: Case, officer: User, answers: dict[str, Any]) -> Case:
    services.other_council_record_save(
        case=case,
        answers=services.OtherCouncilAnswers(**answers),
        recorded_by=officer,
        expected_version=0,
    )
    return Case.objects.get(pk=case.pk)


def _ask_other_council(case: Case, spec: DemoCase, receiving: School, officer: User) -> bool:
    """A receiving school of another council on Fairway comes through a request that council
    decides on (accepted, unless the demo leaves it pending or declined). False when there is
    nothing to ask (the home council's school, or a council not on Fairway)."""
    from . import selectors

    if receiving.council_id == case.home_council_id:
        return False
    if not selectors.council_on_fairway(council=receiving.council):
        return False
    theirs = User.objects.filter(email=OFFICER_EMAIL.format(council=receiving.council.slug)).first()
    if theirs is None:
        return False
    asked = services.request_ask(
        case=case,
        school=receiving,
        reasons_summary=(
            "Persistent disruption in lessons and two suspensions this term; the family has "
            "moved across the city boundary and a fresh start nearer home is the plan."
        ),
        proposed_start=spec.first_day or spec.referred_on,
        proposed_weeks=8,
        proposed_protocol=case.protocol_version,
        asked_by=officer,
    )
    if spec.request == "pending":
        services.request_question(
            move_request=asked,
            text="Has the pupil had support from an educational psychologist this year?",
            asked_by=theirs,
        )
    elif spec.request == "declined":
        services.request_decline(
            move_request=asked,
            reason="No place in Year 9 at Beaumont Leys this term; ask again in January.",
            declined_by=theirs,
            expected_version=asked.version,
        )
    else:
        services.request_accept(
            move_request=asked, lead=theirs, accepted_by=theirs, expected_version=asked.version
        )
    return True


def _targets_and_commitments(
    case: Case, protocol: Protocol, officer: User, *, agreed_on: date
) -> Case:
    """What the initial meeting agreed: targets for the pupil and each side's commitments."""
    agency = next((r.key for r in protocol.roles if r.kind == "agency"), None)
    entries: list[tuple[str, str, str, str]] = [
        ("target", "pupil", "", "Attend every lesson on time."),
        ("target", "pupil", "", "Use the agreed time-out card instead of leaving lessons."),
        ("commitment", "receiving_school", "", "A named mentor meets the pupil every week."),
        ("commitment", "parent", "", "Make sure the pupil arrives by 8.40 every day."),
    ]
    if agency is not None:
        entries.append(("commitment", agency, "CAMHS", "Fortnightly sessions with the pupil."))
    for kind, role, named, text in entries:
        if kind == "commitment" and not any(r.key == role for r in protocol.roles):
            continue
        services.commitment_add(
            case=case,
            kind=kind,
            role_key=role,
            named=named,
            text=text,
            agreed_on=agreed_on,
            agreed_with="both schools, the parents and the council, at the initial meeting",
            added_by=officer,
            expected_version=case.version,
        )
        case.refresh_from_db()
    return case


def _adviser_added(council: Council, officer: User) -> None:
    """Norfolk's inclusion adviser works on one case they were added to (reads the rest)."""
    adviser = User.objects.filter(email=f"inclusion-adviser@{council.slug}.example").first()
    case = (
        Case.objects.filter(home_council=council, stage=Stage.OFF_SITE_DIRECTION)
        .order_by("pk")
        .first()
    )
    if adviser is None or case is None:
        return
    services.case_person_add(case=case, person=adviser, access_level="change", added_by=officer)


def _weeks(case: Case, first_day: date, count: int) -> list[date]:
    """The Mondays of the first `count` school weeks from the first day."""
    from . import selectors

    calendar = selectors.case_calendar(case=case)
    mondays: list[date] = []
    for week in range(1, count + 1):
        end = calendar.end_of_school_week(first_day, week)
        monday = date.fromordinal(end.toordinal() - end.weekday())
        if monday not in mondays:
            mondays.append(monday)
    return mondays


# Schools pick their own INSET days: on the cross-border move the two schools differ on these.
INSET_DAYS = [
    (880403, "INSET day", date(2026, 12, 4)),  # Braunstone Frith (Leicester City, receiving)
    (880201, "INSET day", date(2027, 1, 4)),  # the Leicestershire home school
]


@transaction.atomic
def load_demo() -> None:
    """Create the demo cases that are missing (idempotent: a pupil's UPN identifies its case)."""
    for urn, name, day in INSET_DAYS:
        school = School.objects.filter(urn=urn).first()
        if school is not None:
            SchoolClosure.objects.get_or_create(school=school, name=name, start=day, end=day)
    existing = set(Case.objects.filter(upn__startswith="Z88").values_list("upn", flat=True))
    for slug, specs in CASES.items():
        council = Council.objects.filter(slug=slug).first()
        officer = User.objects.filter(email=OFFICER_EMAIL.format(council=slug)).first()
        if council is None or officer is None:
            continue
        built = False
        for spec in specs:
            if spec.upn not in existing:
                _build(spec, council, officer)
                built = True
        if built and slug == "norfolk":
            _adviser_added(council, officer)
    _fair_access_published()


# The demo councils' published Fair Access figures, with the question each council counts a
# move's route by (Norfolk: whether an Inclusion Adviser planned the DOWIMM; the others none).
FAIR_ACCESS_ROUTES = {
    "norfolk": "answer:agreement.inclusion_adviser_planned",
    "leicestershire": "",
    "southwark": "",
}


def _fair_access_published() -> None:
    """Each demo council's admin publishes its figures once; later runs count them again, as
    the nightly task does. cms.demo (run after this) makes each council's data page."""
    from cms.models import FairAccessData

    for slug, route in FAIR_ACCESS_ROUTES.items():
        council = Council.objects.filter(slug=slug).first()
        admin = User.objects.filter(email=f"admin@{slug}.example").first()
        if council is None or admin is None:
            continue
        if not FairAccessData.objects.filter(council=council).exists():
            services.fair_access_publish(council=council, published_by=admin, route_question=route)
    services.fair_access_refresh_all()


def demo_pupil_names() -> list[str]:
    return [spec.pupil for specs in CASES.values() for spec in specs]
