"""What the law requires of a case's records, beyond its dates (dates.py): each rule said once,
asked by the services that store the record, returning the GOV.UK message or None.

- SI 2010/1156 reg 3(3): for a pupil with an EHC plan the written notice also goes to the council
  that maintains it ("statement of special educational needs" in the 2010 text).
- Reg 3(2): the notice goes after the governing board's determination (as soon as practicable).
- Reg 6: the outcome of each review goes to the same people, so to the council for such a pupil.
- DfE guidance on managed moves: the receiving school's admission authority consents before the
  pupil joins its roll.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from . import contract
from .dates import day_text
from .models import Case


def _asked(answers: Mapping[str, Any], asked: Iterable[str] | None, key: str) -> bool:
    return key in (answers if asked is None else set(asked))


def council_copy_problem(
    case: Case, answers: Mapping[str, Any], *, asked: Iterable[str] | None = None
) -> tuple[str, str] | None:
    """(field, message) when a pupil with an EHC plan's notice or review outcome has not gone to
    the council; `asked`: the questions of the page being saved (None: the whole form)."""
    if not case.ehcp:
        return None
    notified = contract.COUNCIL_NOTIFIED.key
    if _asked(answers, asked, notified) and answers.get(notified) is False:
        return notified, _(
            "The pupil has an EHC plan, so the notice must also go to the council that maintains "
            "the plan. Send it to the council, then answer yes"
        )
    sent = contract.OUTCOME_SENT_TO_COUNCIL_ON.key
    if _asked(answers, asked, sent) and not answers.get(sent):
        return sent, _(
            "The pupil has an EHC plan, so the outcome of the review must also go to the council. "
            "Enter the date it was sent to the council"
        )
    return None


def _event_day(case: Case, key: str) -> date | None:
    return next((e.date for e in case.events.all() if e.event_key == key), None)


def notice_before_determination(case: Case, notice_sent_on: date) -> str | None:
    """The notice follows the governing board's determination, when that is recorded."""
    determined = _event_day(case, contract.DIRECTION_DETERMINED.key)
    if determined is not None and notice_sent_on < determined:
        return _(
            "The notice is sent after the governing board's determination, recorded as "
            "%(day)s. Enter a date on or after it"
        ) % {"day": day_text(determined)}
    return None


def determination_after_notice(
    case: Case, determined: date, notice_sent_on: date | None
) -> str | None:
    if notice_sent_on is not None and determined > notice_sent_on:
        return _(
            "The governing board's determination comes before the notice, which was sent on "
            "%(day)s. Enter a date on or before it"
        ) % {"day": day_text(notice_sent_on)}
    return None


def admission_consent_missing(case: Case, *, by: date | None = None) -> str | None:
    """The receiving school's admission authority must have consented (on or before `by`) before
    the pupil joins its roll, where the protocol has that step."""
    protocol = case.protocol_version.load()
    if not any(e.key == contract.ADMISSION_AUTHORITY_CONSENT.key for e in protocol.events):
        return None
    consented = _event_day(case, contract.ADMISSION_AUTHORITY_CONSENT.key)
    if consented is None:
        return _(
            "Record the receiving school's admission authority's consent first: a managed move "
            "onto its roll needs it"
        )
    if by is not None and consented > by:
        return _(
            "The admission authority consented on %(day)s. The pupil can join the roll only on "
            "or after that date"
        ) % {"day": day_text(consented)}
    return None
