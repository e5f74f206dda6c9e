"""The case's protocol forms: the draft to fill in, one page's answers, and submitting (which acts
on the agreement's school and first day and on attendance returns)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.models import AuditEvent, Council, School, User

from .. import bounds, contract, dates, statutory, writes
from ..models import (
    Case,
    FormSubmission,
    Stage,
)
from ._base import (
    CaseworkError,
    ConcurrentEditError,
    _answers_changes_since,
    _audit,
    _check_write,
    _labels,
    _lock,
    _notice_sent_on,
    _parse_date,
    _protocol,
    _refuse,
    _save,
    _within_bounds,
)
from .direction import _attendance_upsert


def _with_page(
    answers: dict[str, Any], page_answers: dict[str, Any], page_fields: list[str]
) -> dict[str, Any]:
    """The answers with one page's replaced: a question left empty on the page is removed."""
    merged = {key: value for key, value in answers.items() if key not in page_fields}
    merged.update(page_answers)
    return merged


def _dates_check(case: Case, answers: dict[str, Any], *, keys: Any = None) -> None:
    """The date answers case work reads (casework.dates), refused beside their question; `keys`
    limits the check to one page's questions (the notice's date is read from all the answers)."""
    asked = set(answers if keys is None else keys)

    def answer(key: str) -> Any:
        return _parse_date(answers.get(key)) if key in asked else None

    first_day = answer(contract.FIRST_DAY.key)
    if first_day is not None:
        notice = _parse_date(answers.get(contract.NOTICE_SENT_ON.key)) or _notice_sent_on(case)
        _refuse(
            dates.first_day_problem(case, first_day, notice_sent_on=notice),
            field=contract.FIRST_DAY.key,
        )
    for need, what, in_direction in (
        (contract.NOTICE_SENT_ON, _("The date the notice was sent"), False),
        (contract.HELD_ON, _("The date of the review"), True),
        (contract.DECIDED_ON, _("The date of the decision"), True),
    ):
        day = answer(need.key)
        if day is not None:
            _refuse(dates.happened(case, day, what=what, in_direction=in_direction), field=need.key)
    week = answer(contract.WEEK_BEGINNING.key)
    if week is not None:
        _refuse(dates.attendance_week_problem(case, week), field=contract.WEEK_BEGINNING.key)
    notice = answer(contract.NOTICE_SENT_ON.key)
    if notice is not None:
        _refuse(
            statutory.notice_before_determination(case, notice), field=contract.NOTICE_SENT_ON.key
        )


def _law_check(case: Case, answers: dict[str, Any], *, asked: Any = None) -> None:
    """What the law asks of the answers for a pupil with an EHC plan (casework.statutory), on the
    page being saved (`asked`: its questions) or the whole form."""
    problem = statutory.council_copy_problem(case, answers, asked=asked)
    if problem is not None:
        raise CaseworkError(problem[1], field=problem[0])


def _receiving_council(case: Case, school: School, *, field: str) -> Council | None:
    """Who else shares the case once `school` is its receiving school. Another council's school
    only through a request that council accepted (then the case is shared with it); a school of a
    council not on Fairway is recorded by the home council alone (nothing is shared)."""
    from .. import selectors
    from .cross_authority import accepted_school_ids

    if school.council_id == case.home_council_id:
        return None
    if school.pk in accepted_school_ids(case=case):
        return school.council
    if not selectors.council_on_fairway(council=school.council):
        return None
    raise CaseworkError(
        _(
            "%(school)s is a school of %(council)s: ask %(council)s to take on the move first "
            "(“Ask another council” on the case page)"
        )
        % {"school": school.name, "council": school.council.name},
        field=field,
    )


def _next_occurrence(case: Case, form_key: str) -> int:
    last = (
        FormSubmission.objects.filter(case=case, form_key=form_key)
        .order_by("-occurrence")
        .values_list("occurrence", flat=True)
        .first()
    )
    return (last or 0) + 1


@transaction.atomic
def form_draft_start(*, case: Case, form_key: str, started_by: User) -> FormSubmission:
    """The draft to fill in for a form: the open draft, the submitted one to change, or a new one."""
    try:
        form = _protocol(case).form(form_key)
    except StopIteration:
        raise CaseworkError(_("This protocol has no such form.")) from None
    _check_write(case, by=started_by, write=writes.Write.FORM, key=form_key)
    submissions = FormSubmission.objects.select_for_update().filter(case=case, form_key=form_key)
    draft = submissions.filter(submitted_at__isnull=True).order_by("occurrence").first()
    if draft is not None:
        return draft
    if not form.repeats:
        existing = submissions.first()
        if existing is not None:
            return existing
    return FormSubmission.objects.create(
        case=case, form_key=form_key, occurrence=_next_occurrence(case, form_key)
    )


@transaction.atomic
def form_page_save(
    *,
    submission: FormSubmission,
    page_answers: dict[str, Any],
    page_fields: list[str],
    expected_version: int,
    saved_by: User,
    request: HttpRequest | None = None,
) -> FormSubmission:
    """Store one page's answers (fields hidden by a condition are removed, not kept)."""
    _within_bounds(
        bounds.answers_problem(
            page_answers, labels=_labels(_protocol(submission.case), submission.form_key)
        )
    )
    locked = FormSubmission.objects.select_for_update().get(pk=submission.pk)
    case = Case.objects.select_related("home_school", "receiving_school").get(pk=locked.case_id)
    _check_write(case, by=saved_by, write=writes.Write.FORM, key=locked.form_key)
    if locked.version != expected_version:
        raise ConcurrentEditError(changes=_answers_changes_since(locked, expected_version))
    merged = _with_page(locked.answers, page_answers, page_fields)
    _dates_check(case, merged, keys=page_answers)
    _law_check(case, merged, asked=page_fields)
    locked.answers = merged
    locked.version += 1
    locked._history_user = saved_by  # type: ignore[attr-defined]
    locked.save()
    _audit(
        locked.case,
        by=saved_by,
        action=AuditEvent.Action.RECORD_CHANGED,
        summary=_("answers saved to %(form)s %(n)s")
        % {"form": locked.form_key, "n": locked.occurrence},
        request=request,
    )
    return locked


@transaction.atomic
def form_submit(
    *,
    submission: FormSubmission,
    expected_version: int,
    submitted_by: User,
    request: HttpRequest | None = None,
) -> FormSubmission:
    """Submit a completed form (validated by the view against the same definitions) and act on it."""
    from ..answers import form_problems

    locked = FormSubmission.objects.select_for_update().get(pk=submission.pk)
    if locked.version != expected_version:
        raise ConcurrentEditError(changes=_answers_changes_since(locked, expected_version))
    case = _lock(locked.case, None)
    protocol = _check_write(case, by=submitted_by, write=writes.Write.FORM, key=locked.form_key)
    form = protocol.form(locked.form_key)
    problems = form_problems(form=form, answers=locked.answers, case=case)
    if problems:
        raise CaseworkError(problems[0])
    _dates_check(case, locked.answers)
    _law_check(case, locked.answers, asked=[f.key for f in form.fields])
    first_time = locked.submitted_at is None
    locked.submitted_at = timezone.now()
    locked.submitted_by = submitted_by
    locked.version += 1
    locked._history_user = submitted_by  # type: ignore[attr-defined]
    locked.save()
    answers = locked.answers
    # What the platform acts on, wherever a protocol's form asks for it.
    for definition in form.fields:
        value = answers.get(definition.key)
        if definition.type == "school" and value and locked.form_key != contract.REFERRAL.key:
            school = School.objects.select_related("council").filter(pk=value).first()
            if school is not None and school.pk != case.home_school_id:
                case.receiving_school = school
                case.receiving_council = _receiving_council(case, school, field=definition.key)
                if case.stage == Stage.REFERRAL:
                    case.stage = Stage.AGREEMENT
    first_day = _parse_date(answers.get(contract.FIRST_DAY.key))
    if first_day and case.stage in (Stage.REFERRAL, Stage.AGREEMENT):
        case.start_date = first_day
    if locked.form_key == contract.WEEKLY_ATTENDANCE.key:
        week = _parse_date(answers.get(contract.WEEK_BEGINNING.key))
        if week is not None:
            _attendance_upsert(
                case=case,
                week_beginning=week,
                sessions_possible=int(answers.get(contract.SESSIONS_POSSIBLE.key) or 0),
                sessions_attended=int(answers.get(contract.SESSIONS_ATTENDED.key) or 0),
                note="\n".join(
                    str(answers[k])
                    for k in (contract.ABSENCE_REASONS.key, contract.ISSUES.key)
                    if answers.get(k)
                ),
                recorded_by=submitted_by,
            )
    verb = _("submitted") if first_time else _("changed")
    title = form.title + (f" {locked.occurrence}" if form.repeats else "")
    _save(case, by=submitted_by, summary=f"{title} {verb}", request=request)
    return locked
