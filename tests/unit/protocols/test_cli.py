"""`fairway protocols validate` and `fairway timeline`, run in-process (no database)."""

import json
from pathlib import Path

import pytest

from fairway.cli import main

REPO = Path(__file__).resolve().parents[3]
VALID = "tests/data/protocols/valid"
BROKEN = "tests/data/protocols/broken"
TINY = ["--protocol", f"{VALID}/tiny-protocol.yaml", "--calendar", f"{VALID}/tiny-calendar.yaml"]
COVERS = "calendar 'tiny', which covers 2024-09-02 to 2025-07-18"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_validate_valid_files(capsys: pytest.CaptureFixture[str]) -> None:
    southwark = str(REPO / "protocols/bundled/southwark/managed-moves-v1.yaml")
    code = main(["protocols", "validate", southwark, f"{VALID}/tiny-calendar.yaml"])
    out = capsys.readouterr().out
    assert (code, out) == (0, "2 file(s) valid\n")


def test_validate_refuses_a_protocol_case_work_cannot_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Valid protocol language, but without the common forms case work reads (the contract).
    assert main(["protocols", "validate", f"{VALID}/tiny-protocol.yaml"]) == 1
    assert (
        f"{VALID}/tiny-protocol.yaml:2:1: there is no form 'referral', which case work needs for "
        "opening a case (include shared/casework-forms.yaml, or add it)"
    ) in capsys.readouterr().out.splitlines()


def test_validate_bundled_files(capsys: pytest.CaptureFixture[str]) -> None:
    paths = sorted(str(p.relative_to(REPO)) for p in (REPO / "protocols/bundled").glob("*/*.yaml"))
    assert main(["protocols", "validate", *paths]) == 0
    assert capsys.readouterr().out == f"{len(paths)} file(s) valid\n"


def test_validate_reports_every_problem_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    broken = f"{BROKEN}/many-problems.yaml"
    code = main(["protocols", "validate", broken])
    assert code == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{broken}:3:10: version: must be a whole number, not '1'",
        f"{broken}:5:17: effective_from: '2024-13-01' is not a real date (YYYY-MM-DD)",
        f"{broken}:6:1: unknown key 'effective_untill' (did you mean 'effective_until'?)",
        f"{broken}:22:16: milestones[0].statutory: must be true or false, not 'maybe'",
    ]


def test_validate_a_file_that_is_not_there(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["protocols", "validate", "nowhere.yaml"]) == 1
    assert (
        capsys.readouterr().out
        == "nowhere.yaml:1:1: cannot read the file: No such file or directory\n"
    )


# Start Mon 14 Oct 2024 on the tiny calendar (autumn half-term 28 Oct - 1 Nov):
# notice 2 school days before: Fri 11 (1), Thu 10 Oct (2); school week 1 is 14-18 Oct, week 2
# 21-25 Oct, half-term skipped, weeks 3-6 are 4-29 Nov; outcome decided Wed 18 Dec, 5 school days
# after: Thu 19, Fri 20 Dec, Christmas, Mon 6, Tue 7, Wed 8 Jan 2025.
REVIEWS = "end of school weeks 2, 4 and 6 from start"
EXPECTED_JSON = {
    "protocol": "testshire-moves",
    "version": 1,
    "milestones": [
        {
            "key": "notice",
            "label": "Written notice",
            "due": "2024-10-10",
            "rule": "2 school days before start",
        },
        {"key": "review.1", "label": "Review (week 2)", "due": "2024-10-25", "rule": REVIEWS},
        {"key": "review.2", "label": "Review (week 4)", "due": "2024-11-15", "rule": REVIEWS},
        {
            "key": "trial_end",
            "label": "End of trial",
            "due": "2024-11-29",
            "rule": "end of school week 6 from start",
        },
        {"key": "review.3", "label": "Review (week 6)", "due": "2024-11-29", "rule": REVIEWS},
        {
            "key": "outcome_reported",
            "label": "Outcome reported",
            "due": "2025-01-08",
            "rule": "5 school days after outcome_decided",
        },
    ],
}


def test_timeline_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "timeline",
            *TINY,
            "--start",
            "2024-10-14",
            "--event",
            "outcome_decided=2024-12-18",
            "--json",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(captured.out) == EXPECTED_JSON
    assert captured.err == ""


def test_timeline_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", *TINY, "--start", "2024-10-14"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == [
        "Testshire managed moves (version 1, testshire-moves@1)",
        "Calendar: Tiny test calendar",
        "Start: 2024-10-14",
        "",
    ]
    assert lines[4].startswith("  Thu 10 Oct 2024  Written notice")
    assert lines[4].endswith("(2 school days before start)")
    assert lines[-1].split() == [
        "(not",
        "yet)",
        "Outcome",
        "reported",
        "(waits",
        "for",
        "outcome_decided)",
    ]
    assert len(lines) == 4 + 5 + 1


def test_timeline_extension(capsys: pytest.CaptureFixture[str]) -> None:
    # Two more school weeks: week 7 is 2-6 Dec, week 8 is 9-13 Dec.
    assert (
        main(["timeline", *TINY, "--start", "2024-10-14", "--extend", "more_time=2", "--json"]) == 0
    )
    dates = {m["key"]: m["due"] for m in json.loads(capsys.readouterr().out)["milestones"]}
    assert dates["trial_end"] == "2024-12-13"
    assert main(["timeline", *TINY, "--start", "2024-10-14", "--extend", "more_time=5"]) == 1
    assert (
        capsys.readouterr().err == "fairway: More time: 5 school weeks is more than the 4 allowed\n"
    )


def test_start_outside_the_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["timeline", *TINY, "--start", "2024-08-01", "--json"])
    captured = capsys.readouterr()
    assert code != 0
    assert captured.out == ""
    assert captured.err == f"fairway: --start 2024-08-01 is outside the {COVERS}\n"


def test_event_outside_the_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["timeline", *TINY, "--start", "2024-10-14", "--event", "outcome_decided=2026-01-01"]
    )
    assert code != 0
    assert (
        capsys.readouterr().err
        == f"fairway: --event outcome_decided 2026-01-01 is outside the {COVERS}\n"
    )


def test_deadline_past_the_end_of_the_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    # Week 1 is 7-11 Jul 2025, week 2 14-18 Jul; the calendar ends Fri 18 Jul.
    code = main(["timeline", *TINY, "--start", "2025-07-07", "--json"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.startswith("fairway: the end of school week ")
    assert captured.err.endswith(f" from 2025-07-07 falls outside the {COVERS}\n")


def test_unknown_protocol_slug(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["timeline", "--protocol", "nowhere", "--calendar", "norfolk", "--start", "2025-01-13"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("fairway: no bundled protocol 'nowhere'; bundled protocols: ")
    assert "norfolk-managed-moves" in err


def test_unknown_calendar_slug(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["timeline", "--protocol", "norfolk", "--calendar", "narnia", "--start", "2025-01-13"]
    )
    assert code == 2
    assert capsys.readouterr().err.startswith(
        "fairway: no bundled calendar 'narnia'; bundled calendars: "
    )


@pytest.mark.parametrize(
    ("event", "code", "message"),
    [
        ("outcome_decided", 2, "fairway: --event: 'outcome_decided' must look like NAME=VALUE\n"),
        (
            "outcome_decided=18/12/2024",
            2,
            "fairway: --event outcome_decided: '18/12/2024' is not a date in the form YYYY-MM-DD\n",
        ),
        (
            "exclusion=2024-12-18",
            1,
            "fairway: unknown event 'exclusion'; the events of testshire-moves@1 are: "
            "outcome_decided, start\n",
        ),
    ],
)
def test_bad_event(capsys: pytest.CaptureFixture[str], event: str, code: int, message: str) -> None:
    assert main(["timeline", *TINY, "--start", "2024-10-14", "--event", event]) == code
    assert capsys.readouterr().err == message


def test_bad_start(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", *TINY, "--start", "14 Oct 2024"]) == 2
    assert (
        capsys.readouterr().err
        == "fairway: --start: '14 Oct 2024' is not a date in the form YYYY-MM-DD\n"
    )


def test_bundled_slugs_pick_the_version_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    # Norfolk v1 ran until 4 Nov 2024; a case starting in January 2025 is under v2 (DOWIMM).
    assert (
        main(
            [
                "timeline",
                "--protocol",
                "norfolk",
                "--calendar",
                "norfolk",
                "--start",
                "2025-01-13",
                "--json",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert (data["protocol"], data["version"]) == ("norfolk-managed-moves", 2)
    assert all(set(m) == {"key", "label", "due", "rule"} for m in data["milestones"])
    assert captured.err.startswith("warning: calendar norfolk is provisional: ")
    assert (
        main(
            [
                "timeline",
                "--protocol",
                "norfolk-managed-moves@1",
                "--calendar",
                "norfolk",
                "--start",
                "2024-10-21",
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["version"] == 1
