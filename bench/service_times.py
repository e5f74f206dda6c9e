"""One request at a time: the time of My cases and a case page, in this process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fairway_bench .venv/bin/python \
        bench/service_times.py
    BENCH_CODE=/tmp/base ... bench/service_times.py     # an earlier revision's code (git archive)

What one request costs without gunicorn or queueing (load.py runs 4 clients on 2 workers, so its
p50 includes waiting for the other requests): the council officer of pages.py's database asks
for each page BENCH_REQUESTS times (after 3 to warm the caches) through Django's test client;
prints p50 and p90 (tests/integration/casework/test_page_queries.py holds the query counts).
Uses the test settings, as pages.py does. Asserts nothing about time.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

CODE = Path(os.environ.get("BENCH_CODE", str(Path(__file__).resolve().parent.parent)))
sys.path[:0] = [str(CODE / "platform"), str(CODE)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairway.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fairway_bench")
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    from fairway.casework.models import Case
    from tenants.models import User

    officer = User.objects.get(email="bench-officer@norfolk.example")
    case = (
        Case.objects.filter(
            home_council__slug="norfolk", stage="off_site_direction", upn__startswith="Z0"
        )
        .order_by("pk")
        .first()
    )
    assert case is not None
    client = Client()
    client.force_login(officer)
    print(
        f"{Case.objects.count():,} cases; code {CODE}; {REQUESTS} requests each; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    for label, url in (("My cases", "/cases/"), ("case page", f"/cases/{case.pk}/")):
        for _ in range(3):
            assert client.get(url).status_code == 200
        times = []
        for _ in range(REQUESTS):
            began = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        times.sort()
        print(
            f"  {label:10} p50 {statistics.median(times):6.1f} ms"
            f"  p90 {times[int(len(times) * 0.9) - 1]:6.1f} ms"
        )


if __name__ == "__main__":
    main()
