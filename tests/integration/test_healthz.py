"""/healthz: a load balancer's liveness check, answered without the database or a sign-in."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def test_healthz_answers_ok_without_touching_the_database(client: Client, db: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    assert len(queries) == 0
