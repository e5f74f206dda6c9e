"""Structured logs: one JSON object a line, for the log collector of the council's IT team.

Only what is safe to keep beside a log file goes in: the message, the level, the logger, the
request's method, path (never its query string: "My cases" searches by a pupil's name or UPN),
status, duration and the person's id. A record's `extra` values are left out unless named in
SAFE_EXTRA, because Django attaches the whole request object (query string included) to its
`django.request` records.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

# `extra` keys copied into the line; anything else a library attaches is left out. A task's id
# is a UUID and a worker's "host:pid:random" (fairway/worker.py): no pupil's data.
SAFE_EXTRA = ("http", "status_code", "task", "task_id", "worker", "council", "count")

request_logger = logging.getLogger("fairway.request")


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", ...}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in SAFE_EXTRA:
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def logging_config(*, level: str) -> dict[str, object]:
    """The LOGGING dict of the settings (and of gunicorn's own logs, gunicorn_conf.py)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "fairway.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            # Django's own handlers print plain text (and mail admins): its records go to the
            # JSON handler instead.
            "django": {"level": "WARNING", "handlers": [], "propagate": True},
            "fairway": {"level": level},
            "tenants": {"level": level},
            "protocols": {"level": level},
            "cms": {"level": level},
            "django_tasks": {"level": level},
            "django_tasks_db": {"level": level},
            # gunicorn's own (start, workers, errors); its access log is off: requests are
            # logged by RequestLogMiddleware, without query strings.
            "gunicorn.error": {"level": "INFO", "propagate": True},
        },
    }


class RequestLogMiddleware:
    """One line per request: method, path, status, milliseconds and the person's id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "http": {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": user.pk if user is not None and user.is_authenticated else None,
                }
            },
        )
        return response
