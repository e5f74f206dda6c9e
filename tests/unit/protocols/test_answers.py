"""protocols.core.answers: which questions are asked, what an answer is stored as, what is wrong
with a form's answers (no database)."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocols.core import answers
from protocols.core.answers import Problem, coerce, missing, problems, unanswered, visible_fields
from protocols.core.model import Choice, Condition, Form, FormField, FormPage

TODAY = date(2026, 3, 2)

COLOURS = (Choice("red", "Red"), Choice("blue", "Blue"))


def field(
    key: str = "q", kind: str = "text", label: str = "Pupil's name", **kw: object
) -> FormField:
    return FormField(key=key, type=kind, label=label, **kw)


def one_page(*fields: FormField) -> Form:
    return Form(key="f", title="F", stage="referral", pages=(FormPage("p", "P", fields),))


# -- missing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "label", "message"),
    [
        ("text", "Pupil's name", "Enter pupil's name"),
        ("date", "UPN of the pupil", "Enter UPN of the pupil"),
        ("yes_no", "Excluded before", "Select an answer: Excluded before"),
        ("choice", "Colour", "Select an answer: Colour"),
        ("school", "Receiving school", "Select an answer: Receiving school"),
        ("choices", "Colours", "Select at least one: Colours"),
    ],
)
def test_missing_says_what_to_do(kind: str, label: str, message: str) -> None:
    assert missing(field(kind=kind, label=label)) == message


# -- coercion of each type ---------------------------------------------------------------------


def coerced(definition: FormField, raw: object) -> object:
    value, problem = coerce(definition, raw, today=TODAY)
    return problem.message if problem else value


@pytest.mark.parametrize("raw", [None, "", "   ", []])
@pytest.mark.parametrize(
    "kind", ["text", "textarea", "number", "percentage", "date", "yes_no", "school", "upn"]
)
def test_no_answer_is_none_and_no_problem(kind: str, raw: object) -> None:
    assert coerce(field(kind=kind), raw, today=TODAY) == (None, None)


def test_text_is_stripped_and_bounded() -> None:
    assert coerced(field(), "  Sam Smith ") == "Sam Smith"
    assert coerced(field(max_length=5), "Samuel") == "Pupil's name must be 5 characters or fewer"
    assert coerced(field(), "x" * 501) == "Pupil's name must be 500 characters or fewer"
    assert coerced(field(kind="textarea", label="Note"), "x" * 10_000) == "x" * 10_000
    assert (
        coerced(field(kind="textarea", label="Note"), "x" * 10_001)
        == "Note must be 10,000 characters or fewer"
    )


def test_number_is_a_whole_number_within_its_bounds() -> None:
    sessions = field(kind="number", label="Sessions", min=0, max=10)
    assert coerced(sessions, "7") == 7
    assert coerced(sessions, 7) == 7
    assert coerced(sessions, "seven") == "Sessions must be a whole number"
    assert coerced(sessions, "7.5") == "Sessions must be a whole number"
    assert coerced(sessions, True) == "Sessions must be a whole number"
    assert coerced(sessions, "-1") == "Sessions must be 0 or more"
    assert coerced(sessions, 11) == "Sessions must be 10 or less"


def test_percentage_is_a_float_from_0_to_100_with_one_decimal_place() -> None:
    attendance = field(kind="percentage", label="Attendance")
    assert coerced(attendance, "92.5") == 92.5
    assert coerced(attendance, 92.5) == 92.5
    assert coerced(attendance, "100") == 100.0
    assert coerced(attendance, "92.55") == "Attendance must have no more than 1 decimal place"
    assert coerced(attendance, "lots") == "Attendance must be a number"
    assert coerced(attendance, "101") == "Attendance must be 100 or less"
    assert coerced(attendance, "-0.5") == "Attendance must be 0 or more"


def test_date_is_iso_text_within_the_window() -> None:
    born = field(kind="date", label="Date of birth")
    assert coerced(born, "2012-03-14") == "2012-03-14"
    assert coerced(born, date(2012, 3, 14)) == "2012-03-14"
    assert coerced(born, "14/03/2012") == "Date of birth must be a real date"
    assert coerced(born, "2012-02-30") == "Date of birth must be a real date"
    window = "Date of birth must be between Mon 1 Jan 1990 and Fri 2 Mar 2029"
    assert coerced(born, "1989-12-31") == window
    assert coerced(born, "2029-03-03") == window
    assert coerced(born, "2029-03-02") == "2029-03-02"


def test_yes_no_is_a_boolean() -> None:
    excluded = field(kind="yes_no", label="Excluded before")
    assert coerced(excluded, "yes") is True
    assert coerced(excluded, "no") is False
    assert coerced(excluded, False) is False
    assert coerced(excluded, "maybe") == "Select one of the answers given: Excluded before"


def test_choice_and_choices_are_among_the_protocols_values() -> None:
    colour = field(kind="choice", label="Colour", choices=COLOURS)
    colours = field(kind="choices", label="Colours", choices=COLOURS)
    assert coerced(colour, "red") == "red"
    assert coerced(colour, "green") == "Select one of the answers given: Colour"
    assert coerced(colours, ["red", "blue"]) == ["red", "blue"]
    assert coerced(colours, "blue") == ["blue"]
    assert coerced(colours, ["red", "green"]) == "Select one of the answers given: Colours"


def test_school_is_its_id() -> None:
    school = field(kind="school", label="Receiving school")
    assert coerced(school, "42") == 42
    assert coerced(school, 42) == 42
    assert coerced(school, "Oak Academy") == "Choose a school from the list: Receiving school"


def test_upn_is_in_capitals_and_13_characters() -> None:
    upn = field(kind="upn", label="UPN")
    assert coerced(upn, " a12345678901b ") == "A12345678901B"
    assert coerced(upn, "A1234") == answers.UPN_MESSAGE
    assert coerced(upn, "A" * 21) == "UPN must be 20 characters or fewer"


def test_email_and_phone() -> None:
    email = field(kind="email", label="Email")
    phone = field(kind="phone", label="Phone")
    assert coerced(email, "sam@example.org") == "sam@example.org"
    assert coerced(email, "sam") == answers.EMAIL_MESSAGE
    assert coerced(phone, "01632 960 001") == "01632 960 001"
    assert coerced(phone, "call me") == answers.PHONE_MESSAGE


@settings(deadline=None)
@given(st.sampled_from(["text", "number", "percentage", "date", "yes_no", "choices", "school"]))
def test_a_stored_answer_coerces_to_itself(kind: str) -> None:
    definition = field(kind=kind, label="Q", choices=COLOURS)
    submitted = {
        "text": " Sam ",
        "number": "3",
        "percentage": "33.3",
        "date": "2020-01-31",
        "yes_no": "yes",
        "choices": ["red"],
        "school": "7",
    }[kind]
    stored, problem = coerce(definition, submitted, today=TODAY)
    assert problem is None
    assert coerce(definition, stored, today=TODAY) == (stored, None)


# -- which questions are asked -------------------------------------------------------------------

EXCLUDED = field("excluded", "yes_no", "Excluded before", required=True)
WHEN = field(
    "when", "date", "Date of the exclusion", required=True, show_when=Condition("excluded", True)
)
WHY = field(
    "why",
    "choices",
    "Reasons",
    required=True,
    choices=COLOURS,
    show_when=Condition("excluded", among=(True,)),
)
FORM = one_page(EXCLUDED, WHEN, WHY)

answer_values = st.one_of(
    st.none(), st.booleans(), st.text(max_size=3), st.lists(st.sampled_from(["red", "blue"]))
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["excluded", "when", "why", "other"]), answer_values))
def test_a_question_is_asked_exactly_when_its_condition_holds(given_answers: dict) -> None:
    shown = visible_fields(FORM, given_answers)
    assert EXCLUDED in shown
    assert (WHEN in shown) == (given_answers.get("excluded") is True)
    assert (WHY in shown) == (WHEN in shown)
    assert visible_fields(FORM.pages[0], given_answers) == shown
    # A hidden question is never counted, whatever is stored for it.
    flagged = {p.field for p in problems(FORM, given_answers, today=TODAY)}
    assert flagged <= {d.key for d in shown}


# -- a whole form ---------------------------------------------------------------------------------


def test_problems_names_each_question_in_order() -> None:
    assert problems(FORM, {}, today=TODAY) == [
        Problem("excluded", "Select an answer: Excluded before")
    ]
    assert problems(FORM, {"excluded": True}, today=TODAY) == [
        Problem("when", "Enter date of the exclusion"),
        Problem("why", "Select at least one: Reasons"),
    ]
    assert problems(FORM, {"excluded": False, "when": "nonsense", "why": ["green"]}) == []
    assert problems(
        FORM, {"excluded": True, "when": "2020-02-30", "why": ["green"]}, today=TODAY
    ) == [
        Problem("when", "Date of the exclusion must be a real date"),
        Problem("why", "Select one of the answers given: Reasons"),
    ]
    assert problems(FORM, {"excluded": True, "when": "2020-02-03", "why": ["red"]}) == []


def test_problems_checks_bounds_of_answers_given() -> None:
    form = one_page(
        field("name", max_length=5),
        field("sessions", "number", "Sessions", min=0, max=10),
    )
    assert problems(form, {"name": "Samuel", "sessions": 12}, today=TODAY) == [
        Problem("name", "Pupil's name must be 5 characters or fewer"),
        Problem("sessions", "Sessions must be 10 or less"),
    ]


def test_unanswered_counts_only_what_is_missing() -> None:
    assert unanswered(FORM, {"excluded": True, "when": "not a date"}) == [
        Problem("why", "Select at least one: Reasons")
    ]
    assert unanswered(FORM, {"excluded": "yes"}) == []  # "yes" is not True: nothing more asked
