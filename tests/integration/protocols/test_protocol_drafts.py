"""Councils draft, check, preview, approve and publish their own protocol versions."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from protocols import services
from protocols.models import ProtocolDraft, ProtocolVersion
from protocols.selectors import protocol_version_in_force
from protocols.services import ProtocolDraftError, bundled_load
from tenants.models import AuditEvent, Council, Role, User
from tests.factories import CouncilFactory, person_with_role, sign_in

ROOT = Path(__file__).resolve().parents[3]
SLUG = "norfolk-managed-moves"


@pytest.fixture
def norfolk(db: None) -> Council:
    council = CouncilFactory(slug="norfolk", name="Norfolk County Council")
    bundled_load()
    return council


@pytest.fixture
def admins(norfolk: Council) -> tuple[User, User]:
    return (
        person_with_role(role=Role.COUNCIL_ADMIN, council=norfolk, email="drafter@norfolk.example"),
        person_with_role(
            role=Role.COUNCIL_ADMIN, council=norfolk, email="approver@norfolk.example"
        ),
    )


def client_for(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def start(norfolk: Council, drafter: User) -> ProtocolDraft:
    return services.protocol_draft_start(council=norfolk, slug=SLUG, by=drafter)


def test_a_draft_starts_from_the_version_in_force_as_the_next_version(norfolk, admins) -> None:
    draft = start(norfolk, admins[0])
    assert draft.version == 3 and draft.based_on.version == 2
    assert draft.main_file == "norfolk/managed-moves-v3.yaml"
    assert "version: 3\n" in draft.yaml_text and draft.problems == []
    # One draft per protocol at a time.
    assert start(norfolk, admins[1]).pk == draft.pk
    assert AuditEvent.objects.filter(council=norfolk, object_type="protocol draft").count() == 1


def test_problems_are_at_their_lines_exactly_as_the_validate_command_gives_them(
    norfolk, admins, tmp_path: Path
) -> None:
    draft = start(norfolk, admins[0])
    bad = draft.yaml_text.replace("milestones:\n", "milestones:\n  - key: extra\n    dew: x\n", 1)
    check = services.protocol_draft_save(draft=draft, yaml_text=bad, by=admins[0])
    assert not check.ok
    lines = [str(p) for p in check.problems]
    assert any(line.startswith("norfolk/managed-moves-v3.yaml:") for line in lines)
    assert any("unknown key 'dew'" in line for line in lines)
    # The same text, laid beside the shared parts, through `fairway protocols validate`.
    (tmp_path / "norfolk").mkdir()
    (tmp_path / "shared").mkdir()
    for part in (ROOT / "protocols/bundled/shared").glob("*.yaml"):
        (tmp_path / "shared" / part.name).write_text(part.read_text())
    (tmp_path / "norfolk/managed-moves-v3.yaml").write_text(bad)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "fairway.cli",
            "protocols",
            "validate",
            "norfolk/managed-moves-v3.yaml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"},
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == lines
    stored = ProtocolDraft.objects.get(pk=draft.pk)
    assert {(p["line"], p["column"]) for p in stored.problems} == {
        (p.location.line, p.location.column) for p in check.problems
    }
    # A draft with problems cannot be approved.
    with pytest.raises(ProtocolDraftError, match="problems"):
        services.protocol_draft_approve(draft=stored, by=admins[1])


def test_the_shared_parts_cannot_be_dropped_or_redefined(norfolk, admins) -> None:
    draft = start(norfolk, admins[0])
    dropped = draft.yaml_text.replace("  - ../shared/casework-forms.yaml\n", "")
    check = services.protocol_draft_save(draft=draft, yaml_text=dropped, by=admins[0])
    [problem] = check.problems
    assert problem.location.line == dropped.splitlines().index("include:") + 1
    assert "must include ../shared/casework-forms.yaml" in problem.message

    escaped = draft.yaml_text.replace("include:\n", "include:\n  - ../../settings.py\n")
    check = services.protocol_draft_save(draft=draft, yaml_text=escaped, by=admins[0])
    assert "not one of Fairway's shared parts" in check.problems[0].message

    redefined = draft.yaml_text.replace(
        "roles:\n", "roles:\n  - key: parent\n    label: Parent\n    kind: family\n", 1
    )
    check = services.protocol_draft_save(draft=draft, yaml_text=redefined, by=admins[0])
    [problem] = check.problems
    assert problem.location.path == "norfolk/managed-moves-v3.yaml"
    assert problem.location.line == redefined.splitlines().index("roles:") + 2
    assert "'parent' is defined twice (first at shared/off-site-direction-legal-floor.yaml" in (
        problem.message
    )


def test_the_case_work_contract_is_checked(norfolk, admins) -> None:
    draft = start(norfolk, admins[0])
    # Case work reads `held_on` as a date wherever a form asks for it.
    text = draft.yaml_text.replace(
        "          - {key: targets,",
        '          - {key: held_on, type: text, label: "Held on"}\n          - {key: targets,',
    )
    check = services.protocol_draft_save(draft=draft, yaml_text=text, by=admins[0])
    [problem] = check.problems
    assert problem.location.path == "norfolk/managed-moves-v3.yaml"
    assert (
        problem.location.line
        == text.splitlines().index('          - {key: held_on, type: text, label: "Held on"}') + 1
    )
    assert "held_on" in problem.message and "case work" in problem.message


def test_the_drafter_cannot_approve_and_a_second_admin_can(norfolk, admins) -> None:
    drafter, approver = admins
    draft = start(norfolk, drafter)
    with pytest.raises(ProtocolDraftError, match="another council admin"):
        services.protocol_draft_approve(draft=draft, by=drafter)
    with pytest.raises(ProtocolDraftError, match="approve"):
        services.protocol_draft_publish(
            draft=draft, effective_from=timezone.localdate(), by=drafter
        )
    approved = services.protocol_draft_approve(draft=draft, by=approver)
    assert approved.status == ProtocolDraft.Status.APPROVED and approved.approved_by == approver
    # Changing an approved draft withdraws the approval.
    services.protocol_draft_save(
        draft=approved, yaml_text=approved.yaml_text + "# a comment\n", by=drafter
    )
    assert ProtocolDraft.objects.get(pk=draft.pk).status == ProtocolDraft.Status.DRAFT
    # ... and whoever changed it cannot approve it either.
    with pytest.raises(ProtocolDraftError, match="another council admin"):
        services.protocol_draft_approve(draft=draft, by=approver)


def test_publishing_with_a_future_date(norfolk, admins) -> None:
    drafter, approver = admins
    draft = start(norfolk, drafter)
    services.protocol_draft_approve(draft=draft, by=approver)
    today = timezone.localdate()
    with pytest.raises(ProtocolDraftError, match="today or later"):
        services.protocol_draft_publish(
            draft=draft, effective_from=today - timedelta(days=1), by=drafter
        )
    effective = today + timedelta(days=30)
    version = services.protocol_draft_publish(draft=draft, effective_from=effective, by=drafter)
    assert version.version == 3 and version.effective_from == effective
    assert f"effective_from: {effective.isoformat()}" in version.files[version.main_file]
    assert set(version.files) == {
        "norfolk/managed-moves-v3.yaml",
        "shared/off-site-direction-legal-floor.yaml",
        "shared/casework-forms.yaml",
    }
    assert version.load().version == 3
    v2 = ProtocolVersion.objects.get(slug=SLUG, version=2)
    assert v2.effective_until == effective - timedelta(days=1)
    # Cases referred before the date keep getting version 2; from it, version 3.
    assert protocol_version_in_force(council=norfolk, on=today).version == 2
    assert protocol_version_in_force(council=norfolk, on=effective).version == 3
    # Published: nothing more changes.
    with pytest.raises(ProtocolDraftError, match="never changes"):
        services.protocol_draft_save(draft=draft, yaml_text="x: 1\n", by=drafter)
    summaries = list(
        AuditEvent.objects.filter(council=norfolk, object_type="protocol draft").values_list(
            "summary", flat=True
        )
    )
    assert any("Approved" in s for s in summaries)
    assert any(f"Published version 3 of {SLUG}, in force from {effective}" in s for s in summaries)


def test_the_pages_walk_the_whole_flow(norfolk, admins) -> None:
    drafter, approver = admins
    client = client_for(drafter)
    page = client.get(reverse("protocols:protocols", args=["norfolk"]))
    assert page.status_code == 200
    assert b"Draft the next version (from version 2)" in page.content
    response = client.post(reverse("protocols:draft_start", args=["norfolk", SLUG]))
    draft = ProtocolDraft.objects.get()
    assert response["Location"] == reverse("protocols:draft", args=["norfolk", draft.pk])
    bad = draft.yaml_text.replace("version: 3", "version: 7")
    response = client.post(response["Location"], {"yaml_text": bad}, follow=True)
    # The problem is named at the line where `version:` stands, after the file's comments.
    line = next(n for n, text in enumerate(bad.splitlines(), 1) if text.startswith("version:"))
    assert f"managed-moves-v3.yaml:{line}:10".encode() in response.content
    assert b"version must be 3" in response.content
    response = client.post(
        reverse("protocols:draft", args=["norfolk", draft.pk]), {"yaml_text": draft.yaml_text}
    )
    preview = client.get(
        reverse("protocols:draft_preview", args=["norfolk", draft.pk]),
        {"start_0": "16", "start_1": "3", "start_2": "2026"},
    )
    assert preview.status_code == 200
    assert b"Fri 22 May 2026" in preview.content  # the end of school week 8
    assert b"What changed from version 2" in preview.content
    page = client.get(reverse("protocols:draft", args=["norfolk", draft.pk]))
    assert b"another council admin must approve it" in page.content
    second = client_for(approver)
    second.post(reverse("protocols:draft_approve", args=["norfolk", draft.pk]))
    effective = timezone.localdate() + timedelta(days=7)
    response = second.post(
        reverse("protocols:draft_publish", args=["norfolk", draft.pk]),
        {
            "effective_from_0": str(effective.day),
            "effective_from_1": str(effective.month),
            "effective_from_2": str(effective.year),
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert ProtocolVersion.objects.filter(slug=SLUG, version=3, effective_from=effective).exists()


def test_a_bad_effective_date_is_shown_beside_its_field(norfolk, admins) -> None:
    drafter, approver = admins
    draft = start(norfolk, drafter)
    services.protocol_draft_approve(draft=draft, by=approver)
    response = client_for(drafter).post(
        reverse("protocols:draft_publish", args=["norfolk", draft.pk]),
        {"effective_from_0": "1", "effective_from_1": "1", "effective_from_2": "2020"},
    )
    assert response.status_code == 400
    assert b"today or later" in response.content
    assert not ProtocolVersion.objects.filter(version=3).exists()


def test_only_the_councils_admins_reach_the_pages(norfolk, admins) -> None:
    draft = start(norfolk, admins[0])
    other = CouncilFactory(slug="southwark", name="Southwark Council")
    outsider = person_with_role(role=Role.COUNCIL_ADMIN, council=other)
    officer = person_with_role(role=Role.COUNCIL_OFFICER, council=norfolk)
    for person in (outsider, officer):
        client = client_for(person)
        for url in (
            reverse("protocols:protocols", args=["norfolk"]),
            reverse("protocols:draft", args=["norfolk", draft.pk]),
            reverse("protocols:draft_preview", args=["norfolk", draft.pk]),
        ):
            assert client.get(url).status_code == 404
        assert (
            client.post(reverse("protocols:draft_approve", args=["norfolk", draft.pk])).status_code
            == 404
        )
    # Another council's admin cannot reach Norfolk's draft through their own council either.
    client = client_for(outsider)
    assert client.get(reverse("protocols:draft", args=["southwark", draft.pk])).status_code == 404


def test_the_protocols_page_makes_as_many_queries_for_n_and_2n_drafts(norfolk, admins) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    drafter, approver = admins
    v2 = ProtocolVersion.objects.get(slug=SLUG, version=2)

    def add(n: int) -> None:
        for _ in range(n):
            ProtocolDraft.objects.create(
                council=norfolk,
                slug=SLUG,
                version=3,
                based_on=v2,
                main_file="norfolk/managed-moves-v3.yaml",
                yaml_text="x",
                status=ProtocolDraft.Status.PUBLISHED,
                created_by=drafter,
                updated_by=approver,
                approved_by=approver,
            )

    client = client_for(drafter)
    url = reverse("protocols:protocols", args=["norfolk"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(3)
    at_n = count()
    add(3)
    assert count() == at_n
