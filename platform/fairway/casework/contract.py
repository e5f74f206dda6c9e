"""The protocol keys case work reads: every form, field, event, stage and route flag, with the
type it expects and why it needs it.

Case work reads these keys only through the names below (`contract.REFERRAL.key`,
`contract.DATE_OF_BIRTH.key`), never as string literals, and `fairway protocols validate` and
publishing check every protocol against `CASEWORK` (protocols.core.contract.check), so a
protocol that names the date of birth `birth_date` is refused at validation, not at run time.

Pure data: it imports nothing of Django, so the `fairway` command checks files without a
database. The protocols app does not import case work (QUALITY.md, "Imports run one way"):
case work registers this contract with it when the app is ready (apps.py).
"""

from __future__ import annotations

from protocols.core.contract import Contract, EventNeed, FieldNeed, FormNeed, StageNeed
from protocols.core.model import FieldType

_TEXT: tuple[FieldType, ...] = ("text", "textarea")

# -- the referral: what opens a case -----------------------------------------------------------
PUPIL_NAME = FieldNeed("pupil_name", _TEXT, "the pupil's name on the case")
DATE_OF_BIRTH = FieldNeed("date_of_birth", ("date",), "the pupil's age")
UPN = FieldNeed("upn", ("upn", "text"), "the pupil's unique pupil number")
YEAR_GROUP = FieldNeed("year_group", ("choice", "text"), "the pupil's year group")
HOME_POSTCODE = FieldNeed("home_postcode", ("text",), "finding the schools nearest the pupil")
EHCP = FieldNeed("ehcp", ("yes_no",), "the EHC plan route and the register")
LOOKED_AFTER = FieldNeed("looked_after", ("yes_no",), "the looked-after child route")
WITHDRAWN_EXCLUSION = FieldNeed(
    "withdrawn_exclusion", ("yes_no",), "the route of a move instead of a withdrawn exclusion"
)
EXCLUSION_STANDS = FieldNeed(
    "exclusion_stands_if_move_fails",
    ("yes_no",),
    "recording that the permanent exclusion takes effect if the move fails",
)
REFERRAL = FormNeed(
    "referral",
    "opening a case",
    fields=(
        PUPIL_NAME,
        DATE_OF_BIRTH,
        UPN,
        YEAR_GROUP,
        HOME_POSTCODE,
        EHCP,
        LOOKED_AFTER,
        WITHDRAWN_EXCLUSION,
        EXCLUSION_STANDS,
    ),
)

# -- forms case work reads when the protocol has them -------------------------------------------
AGREEMENT = FormNeed("agreement", "the agreement before the start", optional=True)
REVIEW = FormNeed("review", "the reviews of the off-site direction", optional=True)

WEEK_BEGINNING = FieldNeed("week_beginning", ("date",), "the week of attendance recorded")
SESSIONS_POSSIBLE = FieldNeed("sessions_possible", ("number",), "the attendance percentage")
SESSIONS_ATTENDED = FieldNeed("sessions_attended", ("number",), "the attendance percentage")
ABSENCE_REASONS = FieldNeed("absence_reasons", _TEXT, "the note on the week's attendance")
ISSUES = FieldNeed("issues", _TEXT, "the note on the week's attendance")
WEEKLY_ATTENDANCE = FormNeed(
    "weekly_attendance",
    "the weekly attendance at the receiving school",
    fields=(WEEK_BEGINNING, SESSIONS_POSSIBLE, SESSIONS_ATTENDED, ABSENCE_REASONS, ISSUES),
    optional=True,
)

DECIDED_ON = FieldNeed("decided_on", ("date",), "the date of the decision")
DECISION_REASONS = FieldNeed("decision_reasons", _TEXT, "the reasons recorded with the outcome")
OUTCOME = FormNeed(
    "outcome", "recording the outcome", fields=(DECIDED_ON, DECISION_REASONS), optional=True
)

EARLY_END_REASONS = FieldNeed("reasons", _TEXT, "the reasons the off-site direction ended early")
EARLY_END = FormNeed(
    "early_end",
    "ending the off-site direction early",
    fields=(DECIDED_ON, EARLY_END_REASONS),
    optional=True,
)

RECEIVING_SCHOOL_ADDRESS = FieldNeed(
    "receiving_school_address", _TEXT, "filling in the receiving school's address on the notice"
)
NOTICE = FormNeed(
    "off_site_direction_notice",
    "the written notice before the first day",
    fields=(RECEIVING_SCHOOL_ADDRESS,),
    optional=True,
)

# -- answers read from whichever form asks for them ----------------------------------------------
FIRST_DAY = FieldNeed("first_day", ("date",), "the case's first day at the receiving school")
HELD_ON = FieldNeed("held_on", ("date",), "the date a review was held")
NOTICE_SENT_ON = FieldNeed("notice_sent_on", ("date",), "the date the notice was sent")
COUNCIL_NOTIFIED = FieldNeed(
    "council_notified",
    ("yes_no",),
    "the notice to the council for a pupil with an EHC plan (SI 2010/1156 reg 3(3))",
)
OUTCOME_SENT_TO_COUNCIL_ON = FieldNeed(
    "outcome_sent_to_council_on",
    ("date",),
    "a review's outcome sent to the council for a pupil with an EHC plan (SI 2010/1156 reg 6)",
)
# The date a submitted form says the thing happened, in this order of preference.
ANSWER_DATES = (HELD_ON, DECIDED_ON, WEEK_BEGINNING, NOTICE_SENT_ON)

# -- events ----------------------------------------------------------------------------------
START = EventNeed("start", "the first day of the off-site direction")
OUTCOME_DECIDED = EventNeed("outcome_decided", "the date the outcome was decided")
TRIAL_ENDED_EARLY = EventNeed("trial_ended_early", "the date the off-site direction ended early")
REFERRED = EventNeed("referral", "the date of the referral", optional=True)
EXTENSION_AGREED = EventNeed("extension_agreed", "the date an extension was agreed", optional=True)
PARENT_REVIEW_REQUEST = EventNeed(
    "parent_review_request", "a parent's written request for a review", optional=True
)
COUNCIL_REVIEW_REQUEST = EventNeed(
    "council_review_request", "the council's written request for a review", optional=True
)
# A review meeting that took place: only these waive a requested review (reg 4A(4)). Case work
# also counts the review form's `held_on` and a requested review marked done.
REVIEW_HELD = EventNeed("review_held", "the review meetings held", optional=True)
DIRECTION_DETERMINED = EventNeed(
    "direction_determined",
    "the governing board's determination, which the notice follows (reg 3(2))",
    optional=True,
)
ADMISSION_AUTHORITY_CONSENT = EventNeed(
    "admission_authority_consent",
    "the admission authority's consent, needed before the pupil joins the receiving school's roll",
    optional=True,
)
JOINED_RECEIVING_ROLL = EventNeed(
    "joined_receiving_roll", "the day the pupil joins the receiving school's roll", optional=True
)
# Events with a step of their own on the case page (or recorded by one); the others are recorded
# from the case page's "Record what happened" while the case's stage allows them.
OWN_STEP_EVENTS = frozenset(
    {
        START.key,
        OUTCOME_DECIDED.key,
        TRIAL_ENDED_EARLY.key,
        REFERRED.key,
        EXTENSION_AGREED.key,
    }
)

# -- stages: the protocol's names for the case's lifecycle stages --------------------------------
REFERRAL_STAGE = StageNeed("referral", "a case being referred")
AGREEMENT_STAGE = StageNeed("agreement", "the forms filled in before the start")
OFF_SITE_DIRECTION_STAGE = StageNeed("off_site_direction", "the forms filled in once it starts")
REVIEW_STAGE = StageNeed("review", "the reviews, filled in once it starts")
BREAKDOWN_STAGE = StageNeed("breakdown", "a case that ended early")
OUTCOME_STAGE = StageNeed("outcome", "a closed case and the duties after the decision")
STARTED_STAGES = frozenset({OFF_SITE_DIRECTION_STAGE.key, REVIEW_STAGE.key})

# -- route flags: the case's own yes/no facts a route may depend on ------------------------------
ROUTE_FLAGS = (EHCP, LOOKED_AFTER, WITHDRAWN_EXCLUSION, EXCLUSION_STANDS)

CASEWORK = Contract(
    reader="case work",
    forms=(REFERRAL, AGREEMENT, WEEKLY_ATTENDANCE, REVIEW, OUTCOME, EARLY_END, NOTICE),
    answers_anywhere=(FIRST_DAY, *ANSWER_DATES, COUNCIL_NOTIFIED, OUTCOME_SENT_TO_COUNCIL_ON),
    events=(
        START,
        OUTCOME_DECIDED,
        TRIAL_ENDED_EARLY,
        REFERRED,
        EXTENSION_AGREED,
        PARENT_REVIEW_REQUEST,
        COUNCIL_REVIEW_REQUEST,
        REVIEW_HELD,
        DIRECTION_DETERMINED,
        ADMISSION_AUTHORITY_CONSENT,
        JOINED_RECEIVING_ROLL,
    ),
    stages=(
        REFERRAL_STAGE,
        AGREEMENT_STAGE,
        OFF_SITE_DIRECTION_STAGE,
        REVIEW_STAGE,
        BREAKDOWN_STAGE,
        OUTCOME_STAGE,
    ),
    route_flags=ROUTE_FLAGS,
)
