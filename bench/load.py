"""Requests per second through gunicorn on PostgreSQL: a case page against a trivial view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fairway_bench .venv/bin/python bench/load.py

QUALITY.md's load workload. Uses bench/pages.py's database (100,000 cases; filled first if
missing), starts gunicorn (sync workers, one per core, persistent database connections as in
production) on a loopback port, signs a council officer in, and for each page runs the same
number of client threads for the same time, printing requests/s and the ratio of the case page
(access check, timeline on the school calendar, audit line written) to `/healthz`, a view that
touches no database. Client and server share the machine, so both pages pay the same client cost.
Asserts nothing about time.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fairway_bench")

SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def hammer(port: int, path: str, cookie: str) -> tuple[float, int]:
    """(requests/s, errors) with THREADS clients requesting `path` for SECONDS."""
    done = [0] * THREADS
    errors = [0] * THREADS
    stop = time.perf_counter() + SECONDS

    def client(index: int) -> None:
        while time.perf_counter() < stop:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status == 200:
                done[index] += 1
            else:
                errors[index] += 1

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - began), sum(errors)


def main() -> None:
    import pages

    os.environ["DJANGO_SETTINGS_MODULE"] = "fairway.settings.test"
    pages.ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", interactive=False, verbosity=0)
    pages.fill()
    from fairway.casework.models import Case
    from tenants.models import User

    officer = User.objects.get(email="bench-officer@norfolk.example")
    case = (
        Case.objects.filter(home_council__slug="norfolk", stage="off_site_direction")
        .order_by("pk")
        .first()
    )
    assert case is not None
    # A real session in the database the server reads: sign in through Django's test client.
    signed_in = Client()
    signed_in.force_login(officer)
    cookie = f"sessionid={signed_in.cookies['sessionid'].value}"

    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "fairway.settings.dev",
        "FAIRWAY_DEBUG": "0",
        "FAIRWAY_REQUIRE_TWO_FACTOR": "0",
        "FAIRWAY_CONN_MAX_AGE": "60",
        # The session was signed here: the server must check it with the same key.
        "FAIRWAY_SECRET_KEY": settings.SECRET_KEY,
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "fairway.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        pages_to_measure = [
            ("trivial view (/healthz)", "/healthz"),
            ("case page", f"/cases/{case.pk}/"),
        ]
        for _, path in pages_to_measure:  # warm every worker: imports, protocol and calendar caches
            for _ in range(WORKERS * 4):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                status = connection.getresponse().status
                connection.close()
                assert status == 200, f"{path} answered {status}"
        print(
            f"gunicorn, {WORKERS} sync workers, PostgreSQL, {THREADS} client threads, "
            f"{SECONDS:.0f} s per page, {Case.objects.count():,} cases"
        )
        rates = {}
        for label, path in pages_to_measure:
            rate, errors = hammer(port, path, cookie)
            rates[label] = rate
            print(
                f"  {label:28} {rate:8.1f} requests/s" + (f"  ({errors} errors)" if errors else "")
            )
        ratio = rates["case page"] / rates["trivial view (/healthz)"]
        print(f"  case page / trivial view: {ratio:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
