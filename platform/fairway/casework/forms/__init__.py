"""Forms built from a protocol's form definitions, validated on the server from the same definitions.

One Django form per `FormPage`. The rules are `protocols.core.answers` (which questions are asked,
what is required, what an answer is stored as, every message); the Django fields here only read
the boxes on the page (a date's three boxes, a school's search box and the id beside it) and
show the core's messages. Every field is optional to Django; `clean()` then applies the core: a
question whose `show_when` does not hold is neither required nor stored. Answers are stored as
JSON: dates as ISO text, yes/no as booleans, numbers as numbers, a school as its id.

A package by what staff do; this module offers every name the single module did."""

from protocols.core.answers import UPN_PATTERN

from ..answers import display_answer, form_problems
from .commitments import CommitmentChangeForm, CommitmentForm
from .fair_access import FairAccessPublishForm
from .fields import (
    URN_IN_LABEL,
    YES_NO,
    DateInputWidget,
    GovukDateField,
    GovukDateOnlyForm,
    SchoolScope,
    SchoolSearchField,
    SchoolSearchWidget,
    VersionedForm,
    _parse_iso,
    bounded,
    coerced,
    date_field,
    django_field,
    missing_message,
    school_label,
    to_initial,
    to_json,
)
from .outcome_report import OutcomeReportForm
from .people import CasePersonForm
from .protocol_pages import ChoiceAndPageForm, ProtocolPageForm
from .register import RegisterFilterForm
from .steps import AttendanceForm, EventForm, ExtensionForm, SignOffForm, ToldForm

__all__ = [
    "OutcomeReportForm",
    "FairAccessPublishForm",
    "AttendanceForm",
    "ToldForm",
    "CasePersonForm",
    "ChoiceAndPageForm",
    "CommitmentChangeForm",
    "CommitmentForm",
    "DateInputWidget",
    "EventForm",
    "ExtensionForm",
    "GovukDateField",
    "GovukDateOnlyForm",
    "ProtocolPageForm",
    "RegisterFilterForm",
    "SchoolScope",
    "SchoolSearchField",
    "SchoolSearchWidget",
    "SignOffForm",
    "UPN_PATTERN",
    "URN_IN_LABEL",
    "VersionedForm",
    "YES_NO",
    "_parse_iso",
    "bounded",
    "coerced",
    "date_field",
    "display_answer",
    "django_field",
    "form_problems",
    "missing_message",
    "school_label",
    "to_initial",
    "to_json",
]
