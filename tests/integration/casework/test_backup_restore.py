"""`fairway backup` and `fairway restore`: two councils backed up, restored one after the other
into a freshly migrated database (the second into a database holding the first), every row
compared; a second restore is refused and changes nothing; every model is covered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from wagtail.models import Page

from cms.demo import load_demo
from fairway import backup
from fairway.casework import services
from fairway.casework.models import Case
from tenants.models import AuditEvent, Council, Role
from tests.backup_snapshot import snapshot
from tests.factories import person_with_role

from .conftest import Place, submit_form
from .service_helpers import leicester_city_school, started

REPO = Path(__file__).resolve().parents[3]


def test_every_concrete_model_is_backed_up_or_listed_with_a_reason() -> None:
    walked = {item.model._meta.label for item in backup.council_models()}
    listed = set(backup.GLOBAL) | set(backup.EXCLUDED)
    for model in apps.get_models(include_auto_created=True):
        if model._meta.abstract or model._meta.proxy:
            continue
        label = model._meta.label
        if issubclass(model, Page):
            continue  # the guidance pages, taken as the tree under the council's home page
        assert label in walked or label in listed, (
            f"{label} is neither in a council's backup (no foreign key leads to a council) nor "
            "listed in fairway.backup.GLOBAL or EXCLUDED with the reason"
        )
        assert not (label in walked and label in listed), f"{label} is both walked and listed"
    assert all(reason.strip() for reason in {**backup.GLOBAL, **backup.EXCLUDED}.values())
    # What the issue names is walked, not listed.
    assert {
        "tenants.Partnership",
        "tenants.School",
        "tenants.Membership",
        "protocols.CouncilCalendar",
        "protocols.ProtocolVersion",
        "casework.Case",
        "casework.FormSubmission",
        "casework.CaseEvent",
        "casework.SignOff",
        "casework.AttendanceWeek",
        "casework.Commitment",
        "tenants.AuditEvent",
        "casework.HistoricalCase",
    } <= walked


def _run(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{REPO / 'platform'}:{REPO}",
        "DJANGO_SETTINGS_MODULE": "fairway.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, check=False, cwd=REPO
    )


def _whole_case(place: Place) -> Case:
    case = started(place)
    services.attendance_record(
        case=case,
        week_beginning=date(2026, 11, 30),
        sessions_possible=10,
        sessions_attended=9,
        recorded_by=place.receiving_staff,
        expected_version=case.version,
    )
    case.refresh_from_db()
    services.commitment_add(
        case=case,
        kind="target",
        role_key="pupil",
        named="",
        text="Attend every lesson on time",
        agreed_on=date(2026, 11, 30),
        agreed_with="Both schools and the parent",
        added_by=place.officer,
        expected_version=case.version,
    )
    case.refresh_from_db()
    return submit_form(
        case,
        "review",
        {
            "held_on": "2026-12-04",
            "attendees": "Both schools, parent",
            "home_school_attended": True,
            "progress_against_targets": "Good",
            "recommendation": "continue",
            "outcome_shared_with_parents_on": "2026-12-04",
        },
        place.receiving_staff,
    )


def test_back_up_and_restore_two_councils_into_an_empty_database(
    norfolk: Place, tmp_path: Path
) -> None:
    _whole_case(norfolk)
    # A cross-authority move: its receiving school is Leicester City's.
    city_school = leicester_city_school()
    person_with_role(role=Role.COUNCIL_ADMIN, council=norfolk.council)
    started(norfolk, receiving=city_school)
    load_demo()  # both councils' guidance sites, Norfolk's notices
    before = snapshot()
    assert before["pages"] and before["rows"]["casework.Case"]

    files = {}
    for slug in ("leicester-city", "norfolk"):
        files[slug] = tmp_path / f"{slug}.jsonl.gz"
        summary = backup.backup_write(council=Council.objects.get(slug=slug), path=files[slug])
        assert summary.total > 0
    # The backup is in each council's own audit log (not in the file it wrote).
    assert AuditEvent.objects.filter(object_type="council_backup").count() == 2

    target = tmp_path / "restored.sqlite3"
    migrated = _run(str(REPO / "platform" / "manage.py"), "migrate", "-v0", database=target)
    assert migrated.returncode == 0, migrated.stderr
    outputs = {}
    for slug in ("leicester-city", "norfolk"):
        restored = _run("-m", "fairway.cli", "restore", str(files[slug]), database=target)
        assert restored.returncode == 0, restored.stderr
        assert f"Restored {slug}:" in restored.stdout
        outputs[slug] = restored.stdout
    # Leicester City came first: its audit lines of Norfolk's staff cannot name Norfolk yet, and
    # the restore says so; Norfolk's links to Leicester City's school all resolve.
    assert (
        "Links to records of councils not in this database were left empty: "
        "tenants.AuditEvent.actor_council" in outputs["leicester-city"]
    )
    assert "left empty" not in outputs["norfolk"]
    city = Council.objects.get(slug="leicester-city").pk
    for row in before["rows"]["tenants.AuditEvent"]:
        if row["council_id"] == city and row["actor_council_id"] != city:
            row["actor_council_id"] = None

    after = json.loads(
        _run("-c", "from tests.backup_snapshot import main; main()", database=target).stdout
    )
    # Every row of every council model, except the restore's own audit lines (and the backup's,
    # which were written after each file was made).
    for label, rows in before["rows"].items():
        restored_rows = after["rows"][label]
        if label == "tenants.AuditEvent":
            restored_rows = [r for r in restored_rows if r["object_type"] != "council_backup"]
            rows = [r for r in rows if r["object_type"] != "council_backup"]
        assert restored_rows == rows, label
    assert after["pages"] == before["pages"]
    assert after["sites"] == before["sites"]

    # A second restore of the same file is refused, and changes nothing.
    again = _run("-m", "fairway.cli", "restore", str(files["norfolk"]), database=target)
    assert again.returncode == 1
    assert "This backup of norfolk was already restored into this database on" in again.stderr
    assert "Nothing was changed." in again.stderr
    unchanged = json.loads(
        _run("-c", "from tests.backup_snapshot import main; main()", database=target).stdout
    )
    assert unchanged == after


def test_a_file_that_is_not_a_backup_is_refused(db: None, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"format": "fairway-council-backup", "version": 1}\n{"model": "x"')
    with pytest.raises(backup.BackupError, match="not a line of a Fairway backup"):
        backup.restore_read(path=broken)
    cut = tmp_path / "cut.jsonl"
    cut.write_text(
        '{"format": "fairway-council-backup", "version": 1, "council": "x", "backup_id": "1"}\n'
    )
    with pytest.raises(backup.BackupError, match="incomplete"):
        backup.restore_read(path=cut)
    assert not Council.objects.filter(slug="x").exists()
