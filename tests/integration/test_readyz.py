"""/readyz: 200 only when the database answers and every migration is applied."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from fairway import views


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "_migrations_ready", False)


def test_ready_when_the_database_answers_and_is_migrated(client: Client, db: None) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready"
    assert "no-cache" in response["Cache-Control"]


def test_not_ready_while_a_migration_is_unapplied(client: Client, db: None) -> None:
    recorder = MigrationRecorder(connection)
    last = recorder.migration_qs.filter(app="tenants").order_by("-id").first()
    assert last is not None
    last.delete()  # as if this release's migration had not been run yet
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"not ready: 1 migration(s) not applied"


def test_not_ready_when_the_database_does_not_answer(client: Client, db: None) -> None:
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"not ready: the database does not answer (OperationalError)"
