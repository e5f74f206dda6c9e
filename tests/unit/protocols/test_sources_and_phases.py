"""What the issue settled about the council protocols' sources: usual lengths that are not hard
stops, the dates no source gives, Leicestershire's phase and Southwark's EHC plan route."""

import os
import tempfile
from pathlib import Path

import pytest

from protocols.core.loader import load_protocol, validate_file

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _load(name: str):  # type: ignore[no-untyped-def]
    return load_protocol(f"protocols/bundled/{name}")


def test_usual_lengths_can_be_passed_with_agreement_and_no_maximum() -> None:
    dowimm = _load("norfolk/managed-moves-v2-dowimm.yaml")
    extension = next(e for e in dowimm.extensions if e.extends == "trial_end")
    assert extension.up_to_school_weeks is None
    assert set(extension.approvals) == {
        "parent",
        "home_school",
        "receiving_school",
        "fair_access_team",
    }
    assert extension.source is not None and extension.source.ref == "norfolk_changes_2024"
    # The seed's extension for significant illness with medical evidence is kept.
    illness = next(r for r in dowimm.end_rules if r.key == "illness_with_medical_evidence")
    assert (illness.effect, illness.extension) == ("extends_trial", extension.key)
    leics = _load("leicestershire/seip-secondary-v1.yaml")
    extension = next(e for e in leics.extensions if e.extends == "trial_end")
    assert extension.up_to_school_weeks is None and extension.source is not None


def test_leicestershire_keeps_only_what_its_protocol_says() -> None:
    leics = _load("leicestershire/seip-secondary-v1.yaml")
    assert leics.phases == ("secondary",)
    assert "persistent_absence" not in {r.key for r in leics.end_rules}
    practice = {m.key for m in leics.milestones if m.practice}
    assert practice == {"seip_informed", "review", "weekly_attendance", "decision_reported"}


def test_effective_dates_no_source_gives_are_assumed_and_say_why() -> None:
    assumed = {
        name: _load(name).effective_from_assumed
        for name in (
            "norfolk/managed-moves-v1-behaviour-trial.yaml",
            "norfolk/managed-moves-v2-dowimm.yaml",
            "leicestershire/seip-secondary-v1.yaml",
            "southwark/managed-moves-v1.yaml",
        )
    }
    # Only the DOWIMM's date comes from its source ("take effect from 05 November 2024").
    assert assumed == {
        "norfolk/managed-moves-v1-behaviour-trial.yaml": True,
        "norfolk/managed-moves-v2-dowimm.yaml": False,
        "leicestershire/seip-secondary-v1.yaml": True,
        "southwark/managed-moves-v1.yaml": True,
    }
    assert _load("southwark/managed-moves-v1.yaml").effective_from_note


def test_an_assumed_date_without_a_reason_is_refused() -> None:
    text = Path("tests/data/protocols/valid/tiny-protocol.yaml").read_text("utf-8")
    text = text.replace("effective_from:", "effective_from_assumed: true\neffective_from:", 1)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "assumed.yaml")
        Path(path).write_text(text, "utf-8")
        problems = [str(p) for p in validate_file(path)]
    assert any("say why the date is assumed in effective_from_note" in p for p in problems)


def test_southwark_names_the_education_inclusion_team_and_the_ehcp_route() -> None:
    southwark = _load("southwark/managed-moves-v1.yaml")
    assert southwark.role("eit_manager").label == "Education Inclusion Team (EIT) manager"
    route = next(r for r in southwark.routes if r.flag == "ehcp")
    # An emergency EHCP review and the SEN caseworker's consent, then the move: not instead of it.
    assert route.effect == "adds_involvement"
    assert route.guidance is not None and "emergency EHCP review" in route.guidance
    assert route.source is not None and "chapter 4" in (route.source.at or "")
