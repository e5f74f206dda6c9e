"""Re-date open cases when their calendar changes (a closure added, a council calendar replaced).

The timeline on the case page is always computed afresh; what needs refreshing is the stored
next deadline that "my cases" sorts by.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from protocols.models import CouncilCalendar, SchoolClosure
from tenants.models import School


@receiver([post_save, post_delete], sender=SchoolClosure)
def closure_changed(sender: type, instance: SchoolClosure, **kwargs: Any) -> None:
    from .services import deadlines_refresh_for_school

    deadlines_refresh_for_school(school=instance.school)


@receiver(post_save, sender=CouncilCalendar)
def calendar_changed(sender: type, instance: CouncilCalendar, **kwargs: Any) -> None:
    from .services import deadlines_refresh_for_school

    for school in School.objects.filter(
        council_id=instance.council_id, cases_out__isnull=False
    ).distinct():
        deadlines_refresh_for_school(school=school)
