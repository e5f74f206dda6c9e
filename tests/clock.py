"""A clock the tests move by hand, for the waits between failed sign-ins (no sleeping).

`frozen_clock()` stands in for `django.utils.timezone.now` and for the copies of it that
django-axes imported by name (the time it stamps on each attempt and its cool-off threshold).
It also reaches a live server's thread: the patch is on the modules, not on this thread.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from django.utils import timezone


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@contextmanager
def frozen_clock(start: datetime | None = None) -> Iterator[Clock]:
    clock = Clock(start or timezone.now())
    with (
        mock.patch("django.utils.timezone.now", clock),
        mock.patch("axes.handlers.proxy.now", clock),
        mock.patch("axes.attempts.now", clock),
    ):
        yield clock
