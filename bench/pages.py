"""Case pages on QUALITY.md's workload: 100,000 cases, 300 schools, 3 councils, PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fairway_bench .venv/bin/python bench/pages.py

Creates the database if it is missing, migrates it, fills it once (bulk inserts, reused by later
runs), then requests each page through Django's test client and prints p50/p95 of "my cases" (a
council officer), a case page, the filtered case list and the register of moves (a year of a
council's moves, compared by protocol version and by a form question), beside Django admin's
changelist of the same rows (a superuser, same ordering and page size). Asserts nothing about time.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairway.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fairway_bench")

CASES = int(os.environ.get("BENCH_CASES", "100000"))
SCHOOLS = 300
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def fill() -> None:
    from fairway.casework.models import Case, Stage
    from protocols.models import ProtocolVersion
    from protocols.services import bundled_load
    from tenants.models import Council, Membership, Partnership, Role, School, User

    if Case.objects.count() >= CASES:
        return
    councils = []
    for slug, name in (
        ("norfolk", "Norfolk County Council"),
        ("leicestershire", "Leicestershire County Council"),
        ("southwark", "Southwark Council"),
    ):
        council, _ = Council.objects.get_or_create(slug=slug, defaults={"name": name})
        councils.append(council)
    bundled_load()
    rng = random.Random(7)
    schools: list[School] = []
    for index in range(SCHOOLS):
        council = councils[index % 3]
        partnership, _ = Partnership.objects.get_or_create(
            council=council,
            slug=f"bench-{index % 10}",
            defaults={"name": f"Bench partnership {index % 10}", "kind": "seip"},
        )
        school, _ = School.objects.get_or_create(
            urn=990000 + index,
            defaults={
                "name": f"Bench School {index}",
                "phase": "secondary",
                "kind": "academy",
                "council": council,
                "partnership": partnership,
            },
        )
        schools.append(school)
    officer, _ = User.objects.get_or_create(email="bench-officer@norfolk.example")
    Membership.objects.get_or_create(user=officer, role=Role.COUNCIL_OFFICER, council=councils[0])
    admin, created = User.objects.get_or_create(
        email="bench-admin@fairway.example", defaults={"is_staff": True, "is_superuser": True}
    )
    versions = {
        c.pk: ProtocolVersion.objects.filter(council=c).order_by("-effective_from").first()
        for c in councils
    }
    by_council: dict[int, list[School]] = {}
    for school in schools:
        by_council.setdefault(school.council_id, []).append(school)
    stages = [
        Stage.REFERRAL,
        Stage.AGREEMENT,
        Stage.OFF_SITE_DIRECTION,
        Stage.ENDED_EARLY,
        Stage.CLOSED,
    ]
    batch: list[Case] = []
    start = Case.objects.count()
    today = date(2026, 11, 23)
    for index in range(start, CASES):
        council = councils[index % 3]
        home, receiving = rng.sample(by_council[council.pk], 2)
        stage = stages[index % 5]
        batch.append(
            Case(
                home_council=council,
                home_school=home,
                receiving_school=receiving if stage != Stage.REFERRAL else None,
                protocol_version=versions[council.pk],
                stage=stage,
                pupil_name=f"Bench Pupil {index}",
                date_of_birth=date(2012, 1, 1),
                upn=f"Z{index:012d}",
                year_group="year_9",
                referred_on=today - timedelta(days=rng.randint(0, 400)),
                start_date=today - timedelta(days=rng.randint(-10, 90))
                if stage != Stage.REFERRAL
                else None,
                next_due=today + timedelta(days=rng.randint(-30, 60))
                if stage != Stage.CLOSED
                else None,
                next_due_label="Review meeting",
                outcome_key=("on_roll_receiving", "returned_home")[index % 2]
                if stage == Stage.CLOSED
                else "",
            )
        )
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    if batch:
        Case.objects.bulk_create(batch)
    # A live database has planner statistics (autovacuum keeps them); a freshly bulk-filled one
    # has none until autovacuum gets round to it, and the planner then misjudges every filter.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client, url: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(REQUESTS):
        began = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - began)
        assert response.status_code == 200, url
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", interactive=False, verbosity=0)
    fill()
    from fairway.casework.models import Case
    from tenants.models import School, User

    officer = User.objects.get(email="bench-officer@norfolk.example")
    admin = User.objects.get(email="bench-admin@fairway.example")
    school = School.objects.filter(council__slug="norfolk").order_by("urn").first()
    case = (
        Case.objects.filter(home_council__slug="norfolk", stage="off_site_direction")
        .order_by("pk")
        .first()
    )
    assert school is not None and case is not None
    staff, superuser = Client(), Client()
    staff.force_login(officer)
    superuser.force_login(admin)
    rows = [
        ("my cases", staff, "/cases/"),
        ("case page", staff, f"/cases/{case.pk}/"),
        ("filtered case list", staff, f"/cases/?school={school.pk}&stage=off_site_direction"),
        ("register, whole council", staff, "/cases/register/norfolk/?year=2026&compare=version"),
        (
            "register, by a form question",
            staff,
            "/cases/register/norfolk/?year=2026&compare=answer:agreement.inclusion_adviser_planned",
        ),
        ("admin changelist", superuser, "/django-admin/casework/case/"),
        (
            "admin changelist, filtered",
            superuser,
            f"/django-admin/casework/case/?stage__exact=off_site_direction&home_council__id__exact={school.council_id}",
        ),
    ]
    print(
        f"{Case.objects.count():,} cases, {School.objects.count()} schools, {REQUESTS} requests each (PostgreSQL)"
    )
    print(f"{'page':30} {'p50 ms':>8} {'p95 ms':>8}")
    results = {}
    for label, client, url in rows:
        p50, p95 = measure(client, url)
        results[label] = p95
        print(f"{label:30} {p50 * 1000:8.1f} {p95 * 1000:8.1f}")
    print(
        f"\np95 ratio, my cases / admin changelist: {results['my cases'] / results['admin changelist']:.2f}"
    )
    print(
        f"p95 ratio, filtered list / filtered changelist: {results['filtered case list'] / results['admin changelist, filtered']:.2f}"
    )
    for label in ("register, whole council", "register, by a form question"):
        print(
            f"p95 ratio, {label} / admin changelist: {results[label] / results['admin changelist']:.2f}"
        )


if __name__ == "__main__":
    main()
