"""PostgreSQL restarting or down: a clear 503 page, no traceback; a dead connection is replaced.

The whole restart under load is measured by bench/faults.py (a real gunicorn and PostgreSQL);
these are its two cheap halves."""

import importlib
import os
from unittest import mock

import psycopg
import pytest
from django.db import OperationalError, connection
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import Client

from tenants.models import Role
from tests.factories import CouncilFactory, person_with_role, sign_in


@pytest.mark.django_db
def test_a_page_while_the_database_is_down_is_a_503_without_a_traceback() -> None:
    council = CouncilFactory()
    client = Client(raise_request_exception=False)
    sign_in(client, person_with_role(role=Role.COUNCIL_OFFICER, council=council))
    lost = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=lost):
        response = client.get("/cases/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Fairway cannot reach its database. Try again in a minute." in page
    assert "Traceback" not in page and "Connection refused" not in page


@pytest.mark.django_db
def test_any_other_error_is_still_the_500_page() -> None:
    client = Client(raise_request_exception=False)
    sign_in(client, person_with_role(role=Role.COUNCIL_OFFICER, council=CouncilFactory()))
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load", side_effect=ValueError("x")
    ):
        response = client.get("/cases/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def _production_database_settings(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The connection settings production runs with (settings/production.py)."""
    monkeypatch.setenv("FAIRWAY_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("FAIRWAY_BASE_URL", "https://fairway.example")
    monkeypatch.delenv("FAIRWAY_CONN_MAX_AGE", raising=False)
    production = importlib.reload(importlib.import_module("fairway.settings.production"))
    database = production.DATABASES["default"]
    assert database["CONN_MAX_AGE"] > 0 and database["CONN_HEALTH_CHECKS"] is True
    return {"CONN_MAX_AGE": database["CONN_MAX_AGE"], "CONN_HEALTH_CHECKS": True}


@pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""), reason="PostgreSQL's own connections"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("health_checks", [True, False])
def test_a_worker_whose_connection_was_killed_reconnects_on_the_next_request(
    health_checks: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """How a PostgreSQL restart looks to a gunicorn worker holding a persistent connection: its
    backend is gone. With health checks (production) the next request reconnects; without, the
    next request would fail."""
    settings = {**connection.settings_dict, **_production_database_settings(monkeypatch)}
    settings["CONN_HEALTH_CHECKS"] = health_checks
    worker = DatabaseWrapper(settings, alias="worker")
    try:
        with worker.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        worker.close_if_unusable_or_obsolete()  # the end of the request: the connection is kept
        assert worker.connection is not None
        s = connection.settings_dict
        with psycopg.connect(
            host=s["HOST"] or "127.0.0.1",
            port=s["PORT"] or 5432,
            user=s["USER"],
            password=s["PASSWORD"] or None,
            dbname=s["NAME"],
            autocommit=True,
        ) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        worker.close_if_unusable_or_obsolete()  # the next request starts
        if health_checks:
            with worker.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                assert cursor.fetchone()[0] != pid
        else:
            with pytest.raises(OperationalError), worker.cursor() as cursor:
                cursor.execute("SELECT 1")
    finally:
        worker.close()
