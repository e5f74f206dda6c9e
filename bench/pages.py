"""Case pages on QUALITY.md's workload: 100,000 cases, 300 schools, 3 councils, PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fairway_bench .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --schools 24000   # database fairway_bench_24000 by default

Creates the database if it is missing, migrates it, fills it once (reused by later runs;
`--fill-only` stops there): the demo first (`fairway demo --no-serve`), then bulk inserts of
bench cases, each carrying a copy of the records (answers, events, milestones done, sign-offs,
attendance weeks, commitments) and dates of the demo case of its council and stage that has the
most. Then it requests each page through Django's test client and prints p50/p95 and the size
of "my cases" (a council officer), a case page, the agreement form's school page, the filtered
case list, the register of moves (a year of a council's moves, compared by protocol version and
by a form question) and the outcome report (the same year, and compared by a form question),
beside a Django admin changelist of the same rows (a superuser, same ordering and page size).
Asserts nothing about time.

The baseline changelist is the bench's own: Django admin no longer lists cases (no pupil data in
the real admin), so this script mounts a one-model AdminSite at /bench-admin/ in a URLconf of its
own, in this process only. `--schools N` above 300 keeps the 3 councils' 300 schools that the cases
use and puts the rest in other councils with no case, as a national GIAS import does (England has
223,574): the pages should not grow with schools a council cannot choose.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import types
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

CASES = int(os.environ.get("BENCH_CASES", "100000"))
CASE_SCHOOLS = 300  # the 3 councils' schools, which the cases use
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))
SCHOOLS_PER_OTHER_COUNCIL = 150


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--schools",
        type=int,
        default=CASE_SCHOOLS,
        help="schools in the database (at least 300; the rest in councils with no case)",
    )
    parser.add_argument("--fill-only", action="store_true", help="fill the database and stop")
    options = parser.parse_args()
    options.schools = max(options.schools, CASE_SCHOOLS)
    suffix = "" if options.schools == CASE_SCHOOLS else f"_{options.schools}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairway.settings.test")
    os.environ.setdefault(
        "DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/fairway_bench{suffix}"
    )
    return options


def bench_urlconf() -> str:
    """The app's URLs plus /bench-admin/: a one-model AdminSite listing Case rows, like the
    CaseAdmin that Django admin had before pupil data left it. Only this process mounts it."""
    from django.contrib import admin
    from django.urls import path

    from fairway import urls as fairway_urls
    from fairway.casework.models import Case

    site = admin.AdminSite(name="bench_admin")

    class CaseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
        list_display = ("id", "pupil_name", "home_school", "receiving_school", "stage", "next_due")
        list_filter = ("stage", "home_council")
        list_select_related = ("home_school", "receiving_school")
        list_per_page = 50
        ordering = ("next_due", "id")
        search_fields = ("upn",)

    site.register(Case, CaseAdmin)
    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("bench-admin/", site.urls), *fairway_urls.urlpatterns]  # type: ignore[attr-defined]
    sys.modules["bench_urls"] = module
    return "bench_urls"


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


def fill(*, schools_wanted: int) -> None:
    from fairway.casework.models import Case, Stage
    from protocols.models import ProtocolVersion
    from protocols.services import bundled_load
    from tenants.models import Council, Membership, Partnership, Role, School, User

    if (
        Case.objects.filter(upn__startswith="Z0").count() >= CASES
        and School.objects.count() >= schools_wanted
    ):
        return
    # The demo first: its councils, people, calendars and cases made through the real services,
    # whose records (answers, events, sign-offs, attendance, commitments) the bench cases copy.
    from django.core.management import call_command

    if not Case.objects.filter(upn__startswith="Z88").exists():
        call_command("demo", no_serve=True, verbosity=0)
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
    for index in range(CASE_SCHOOLS):
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
    _other_schools(wanted=schools_wanted)
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
    templates = _templates()
    batch: list[Case] = []
    start = Case.objects.filter(upn__startswith="Z0").count()
    today = date(2026, 11, 23)
    for index in range(start, CASES):
        council = councils[index % 3]
        home, receiving = rng.sample(by_council[council.pk], 2)
        stage = stages[index % 5]
        template = templates.get((council.pk, stage))
        batch.append(
            Case(
                home_council=council,
                home_school=home,
                receiving_school=receiving if stage != Stage.REFERRAL else None,
                protocol_version=template.protocol_version if template else versions[council.pk],
                stage=stage,
                pupil_name=f"Bench Pupil {index}",
                date_of_birth=date(2012, 1, 1),
                upn=f"Z{index:012d}",
                year_group="year_9",
                # A case copying a demo case's records keeps its dates (its answers name them).
                referred_on=template.referred_on
                if template
                else today - timedelta(days=rng.randint(0, 400)),
                start_date=template.start_date
                if template
                else today - timedelta(days=rng.randint(-10, 90))
                if stage != Stage.REFERRAL
                else None,
                next_due=today + timedelta(days=rng.randint(-30, 60))
                if stage != Stage.CLOSED
                else None,
                next_due_label="Review meeting",
                outcome_key=template.outcome_key
                if template and template.outcome_key
                else ("on_roll_receiving", "returned_home")[index % 2]
                if stage == Stage.CLOSED
                else "",
            )
        )
        if len(batch) == 5000:
            _records_copied(Case.objects.bulk_create(batch), templates)
            batch = []
    if batch:
        _records_copied(Case.objects.bulk_create(batch), templates)
    # A live database has planner statistics and a visibility map (autovacuum keeps both); a
    # freshly bulk-filled one has neither until autovacuum gets round to it: the planner
    # misjudges every filter, and no count can be answered from an index alone.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# A case's records that the bench copies from a demo case at the same stage in the same council.
RECORD_MODELS = (
    "FormSubmission",
    "CaseEvent",
    "MilestoneDone",
    "SignOff",
    "AttendanceWeek",
    "Commitment",
)


def _templates() -> dict[tuple[int, str], Any]:
    """For each (council, stage), the demo case with the most records at that stage, so bench
    cases carry answers, events, sign-offs, attendance weeks and commitments like real ones."""
    from django.db.models import Count, F, Q

    from fairway.casework.models import Case

    chosen: dict[tuple[int, str], Any] = {}
    demo = (
        Case.objects.filter(upn__startswith="Z88")
        .filter(Q(receiving_council__isnull=True) | Q(receiving_council=F("home_council")))
        .annotate(
            records=Count("events", distinct=True)
            + Count("attendance_weeks", distinct=True)
            + Count("commitments", distinct=True)
            + Count("submissions", distinct=True)
        )
        .order_by("-records", "pk")
    )
    for case in demo:
        chosen.setdefault((case.home_council_id, case.stage), case)
    return chosen


def _records_copied(cases: list[Any], templates: dict[tuple[int, str], Any]) -> None:
    from fairway.casework import models

    for name in RECORD_MODELS:
        model = getattr(models, name)
        by_case: dict[int, list[Any]] = {}
        for row in model.objects.filter(case_id__in=[t.pk for t in templates.values()]):
            by_case.setdefault(row.case_id, []).append(row)
        copies = []
        for case in cases:
            template = templates.get((case.home_council_id, case.stage))
            for row in by_case.get(template.pk, []) if template else []:
                copy = model(
                    **{
                        f.attname: getattr(row, f.attname)
                        for f in model._meta.concrete_fields
                        if not f.primary_key
                    }
                )
                copy.case_id = case.pk
                copies.append(copy)
        model.objects.bulk_create(copies, batch_size=5000)


def _other_schools(*, wanted: int) -> None:
    """Schools beyond the 300, in councils of their own (150 each) that have no case."""
    from tenants.models import Council, School

    have = School.objects.count()
    batch: list[School] = []
    for index in range(have, wanted):
        number = index // SCHOOLS_PER_OTHER_COUNCIL
        if index % SCHOOLS_PER_OTHER_COUNCIL == 0 or not batch:
            council, _ = Council.objects.get_or_create(
                slug=f"bench-elsewhere-{number}",
                defaults={"name": f"Bench Elsewhere Council {number}"},
            )
        batch.append(
            School(
                urn=100000 + index,
                name=f"Elsewhere School {index}",
                phase="secondary",
                kind="academy",
                council=council,
                postcode="NR1 2DH",
            )
        )
        if len(batch) == 5000:
            School.objects.bulk_create(batch)
            batch = []
    if batch:
        School.objects.bulk_create(batch)


def measure(client, url: str) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, url
    size = len(response.content)
    times = []
    for _ in range(REQUESTS):
        began = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - began)
        assert response.status_code == 200, url
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], size


def main() -> None:
    options = arguments()
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
    settings.ROOT_URLCONF = bench_urlconf()
    call_command("migrate", interactive=False, verbosity=0)
    fill(schools_wanted=options.schools)
    if options.fill_only:
        return
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
    in_agreement = (
        Case.objects.filter(home_council__slug="norfolk", stage="agreement").order_by("pk").first()
    )
    assert school is not None and case is not None and in_agreement is not None
    staff, superuser = Client(), Client()
    staff.force_login(officer)
    superuser.force_login(admin)
    # The agreement form's first page, where its receiving school is asked (a draft, made once).
    started = staff.get(f"/cases/{in_agreement.pk}/forms/agreement/")
    assert started.status_code == 302, started.status_code
    agreement_page = started["Location"]
    rows = [
        ("my cases", staff, "/cases/"),
        ("case page", staff, f"/cases/{case.pk}/"),
        ("agreement page (school)", staff, agreement_page),
        ("filtered case list", staff, f"/cases/?school={school.pk}&stage=off_site_direction"),
        ("register, whole council", staff, "/cases/register/norfolk/?year=2026&compare=version"),
        (
            "register, by a form question",
            staff,
            "/cases/register/norfolk/?year=2026&compare=answer:agreement.inclusion_adviser_planned",
        ),
        (
            "outcome report, a year",
            staff,
            "/cases/register/norfolk/outcomes/?starts_on_0=1&starts_on_1=9&starts_on_2=2026"
            "&ends_on_0=31&ends_on_1=8&ends_on_2=2027",
        ),
        (
            "outcome report, by route",
            staff,
            "/cases/register/norfolk/outcomes/?starts_on_0=1&starts_on_1=9&starts_on_2=2026"
            "&ends_on_0=31&ends_on_1=8&ends_on_2=2027"
            "&route=answer:agreement.inclusion_adviser_planned",
        ),
        ("admin changelist", superuser, "/bench-admin/casework/case/"),
        (
            "admin changelist, filtered",
            superuser,
            f"/bench-admin/casework/case/?stage__exact=off_site_direction&home_council__id__exact={school.council_id}",
        ),
    ]
    print(
        f"{Case.objects.count():,} cases, {School.objects.count():,} schools, {REQUESTS} requests each (PostgreSQL)"
    )
    print(f"{'page':30} {'p50 ms':>8} {'p95 ms':>8} {'KB':>8}")
    results = {}
    sizes = {}
    for label, client, url in rows:
        p50, p95, size = measure(client, url)
        results[label] = p95
        sizes[label] = size
        print(f"{label:30} {p50 * 1000:8.1f} {p95 * 1000:8.1f} {size / 1024:8.1f}")
    print(
        f"\np95 ratio, my cases / admin changelist: {results['my cases'] / results['admin changelist']:.2f}"
    )
    print(
        f"p95 ratio, filtered list / filtered changelist: {results['filtered case list'] / results['admin changelist, filtered']:.2f}"
    )
    for label in ("agreement page (school)", "case page"):
        print(
            f"p95 ratio, {label} / admin changelist: {results[label] / results['admin changelist']:.2f}"
        )
    for label in ("my cases", "agreement page (school)"):
        print(
            f"size ratio, {label} / admin changelist: {sizes[label] / sizes['admin changelist']:.2f}"
        )
    for label in (
        "register, whole council",
        "register, by a form question",
        "outcome report, a year",
        "outcome report, by route",
    ):
        print(
            f"p95 ratio, {label} / admin changelist: {results[label] / results['admin changelist']:.2f}"
        )


if __name__ == "__main__":
    main()
