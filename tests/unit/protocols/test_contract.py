"""The case-work contract: every key case work reads, checked against each protocol."""

import shutil
from pathlib import Path

from fairway.casework.contract import CASEWORK, ROUTE_FLAGS
from protocols.bundled import bundled_protocols
from protocols.core.contract import check
from protocols.core.loader import load_protocol, validate_file

BUNDLED = Path(__file__).resolve().parents[3] / "protocols" / "bundled"


def _copy(tmp_path: Path) -> Path:
    for folder in ("southwark", "shared"):
        shutil.copytree(BUNDLED / folder, tmp_path / folder)
    return tmp_path / "southwark" / "managed-moves-v1.yaml"


def test_every_bundled_protocol_has_what_case_work_reads() -> None:
    for protocol in bundled_protocols():
        assert check(protocol, CASEWORK) == [], protocol.reference


def test_a_renamed_date_of_birth_is_refused_at_the_form(tmp_path: Path) -> None:
    main = _copy(tmp_path)
    forms = tmp_path / "shared" / "casework-forms.yaml"
    forms.write_text(forms.read_text().replace("key: date_of_birth", "key: birth_date"))
    assert validate_file(str(main)) == []  # the file itself is fine...
    problems = [str(p) for p in validate_file(str(main), contracts=(CASEWORK,))]
    # ...but case work cannot read it: the problem points at the referral form's line.
    assert problems == [
        f"{forms}:49:5: form 'referral' has no field 'date_of_birth' (a date), which case work "
        "needs for the pupil's age"
    ]


def test_a_field_of_the_wrong_type_is_refused_at_the_field(tmp_path: Path) -> None:
    main = _copy(tmp_path)
    forms = tmp_path / "shared" / "casework-forms.yaml"
    text = forms.read_text().replace(
        '{key: date_of_birth, type: date, label: "Date of birth", required: true}',
        '{key: date_of_birth, type: text, label: "Date of birth", required: true}',
    )
    forms.write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "date_of_birth" in row)
    (problem,) = validate_file(str(main), contracts=(CASEWORK,))
    assert problem.location.line == line
    assert "field 'date_of_birth' is a text, but case work needs a date" in problem.message


def test_a_protocol_without_the_common_forms_is_refused(tmp_path: Path) -> None:
    main = _copy(tmp_path)
    text = main.read_text().replace("  - ../shared/casework-forms.yaml\n", "")
    # Without the common forms its milestones may not name them either.
    for key in ("review", "weekly_attendance", "early_end"):
        text = text.replace(f"    form: {key}\n", "")
    main.write_text(text)
    messages = [p.message for p in validate_file(str(main), contracts=(CASEWORK,))]
    assert any("there is no form 'referral', which case work needs" in m for m in messages)
    assert any("there is no event 'trial_ended_early'" in m for m in messages)


def test_route_flags_are_the_case_s_yes_no_fields() -> None:
    from django.db.models import BooleanField

    from fairway.casework.models import Case

    for flag in ROUTE_FLAGS:
        assert isinstance(Case._meta.get_field(flag.key), BooleanField)


def test_the_trial_is_worked_out_once() -> None:
    protocol = load_protocol(str(BUNDLED / "southwark" / "managed-moves-v1.yaml"))
    assert protocol.trial_end == "trial_end"
    # The notice before the start is the agreement's; a parent's review request is the trial's.
    assert "written_notice" not in protocol.trial_milestones
    assert {"review", "weekly_attendance", "parent_requested_review"} <= protocol.trial_milestones
    assert "breakdown_letter" not in protocol.trial_milestones
