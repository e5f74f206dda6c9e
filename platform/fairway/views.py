"""Project-wide views that belong to no app."""

import sys

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer: the Django process answers. Touches no database, so it is
    also the trivial view bench/load.py measures the case page against."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


# Set once every migration this code knows is applied: code does not change inside a process,
# and a database is not migrated backwards under a running service.
_migrations_ready = False


def _unapplied_migrations() -> int:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness for a load balancer: 200 when the database answers and every migration is
    applied, else 503 with a short reason (send no traffic here yet)."""
    global _migrations_ready
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        if not _migrations_ready:
            unapplied = _unapplied_migrations()
            if unapplied:
                return HttpResponse(
                    f"not ready: {unapplied} migration(s) not applied",
                    status=503,
                    content_type="text/plain; charset=utf-8",
                )
            _migrations_ready = True
    except DatabaseError as exc:
        # The reason names the error's kind only: a driver's message can hold a host or a user.
        return HttpResponse(
            f"not ready: the database does not answer ({type(exc).__name__})",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse("ready", content_type="text/plain; charset=utf-8")


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, or a 503 when the database cannot be reached (PostgreSQL restarting or
    down): the person is told to try again shortly, and a load balancer sees it is passing.

    Rendered without a request context: the context processors would need the database."""
    from django.db import InterfaceError, OperationalError
    from django.template import loader

    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
