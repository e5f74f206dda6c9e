"""A move to a school of a council not on Fairway: the home council's officer records that
council's contact and decisions and the receiving school's calendar (`/cases/<id>/other-council/`).
Anyone else gets 404, as for a case of another council."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fairway.errors import show_on_form
from protocols.models import CouncilCalendar

from .. import access, selectors, services, writes
from ..forms.other_council import OtherCouncilForm
from ._common import _person, _step_refused


def _initial(record: Any) -> dict[str, Any]:
    if record is None:
        return {"version": 0}
    return {
        "version": record.version,
        "contact_name": record.contact_name,
        "contact_role": record.contact_role,
        "contact_email": record.contact_email,
        "contact_phone": record.contact_phone,
        "council_decision": record.council_decision,
        "council_decided_on": record.council_decided_on,
        "school_decision": record.school_decision,
        "school_decided_on": record.school_decided_on,
        "notes": record.notes,
        "calendar_choice": record.calendar_choice,
        "picked_calendar": str(record.picked_calendar_id or ""),
    }


@login_required
def other_council(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    refused = _step_refused(request, user, case, writes.Write.OTHER_COUNCIL)
    if refused is not None:
        return refused
    if not selectors.is_off_fairway_move(case=case):
        raise Http404(_("No case found."))
    school = case.receiving_school
    assert school is not None
    record = selectors.other_council_record(case=case)
    try:
        home = selectors.case_calendar(case=case)
        home_title = home.title
    except CouncilCalendar.DoesNotExist:
        home_title = _("the home school's calendar")
    calendars = [
        (str(c.pk), f"{c.council.name}: {c.title}" + (_(" (provisional)") if c.provisional else ""))
        for c in selectors.calendar_choices()
    ]
    form = OtherCouncilForm(
        request.POST or None,
        request.FILES or None,
        council=school.council.name,
        school=school.name,
        home=home_title,
        calendars=calendars,
        initial=_initial(record),
    )
    context: dict[str, Any] = {"case": case, "school": school, "record": record}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        picked_id = data.get("picked_calendar") or ""
        answers = services.OtherCouncilAnswers(
            contact_name=data["contact_name"],
            contact_role=data["contact_role"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            council_decision=data["council_decision"],
            council_decided_on=data.get("council_decided_on"),
            school_decision=data["school_decision"],
            school_decided_on=data.get("school_decided_on"),
            notes=data["notes"],
            calendar_choice=data.get("calendar_choice") or "",
            picked_calendar=CouncilCalendar.objects.filter(pk=int(picked_id)).first()
            if picked_id.isdigit()
            else None,
            calendar_text=data["calendar_text"],
            calendar_file_name=data["calendar_file_name"],
        )
        try:
            services.other_council_record_save(
                case=case,
                answers=answers,
                recorded_by=user,
                expected_version=data["version"],
                http_request=request,
            )
        except services.CalendarFileError as error:
            context["calendar_problems"] = error.problems
            form.add_error(
                "calendar_file", _("The calendar file has problems, so nothing was saved.")
            )
        except services.CaseworkError as error:
            show_on_form(error, form=form, context=context)
        else:
            messages.success(
                request,
                _("Saved what you recorded of %(council)s.") % {"council": school.council.name},
            )
            return redirect("casework:case_detail", case_id=case.pk)
    return render(request, "casework/other_council.html", {**context, "form": form})
