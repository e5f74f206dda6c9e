"""Broken protocol and calendar files: every problem reported as `path:line:column: message`.

Each file in tests/data/protocols/broken/ differs from a valid fixture (tests/data/protocols/valid/)
in one way (many-problems.yaml in four); the table gives the exact lines `fairway protocols
validate` prints for it. `{path}` is the file itself and `{data}` is tests/data/protocols.
"""

import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocols.core.loader import validate_file
from protocols.core.problems import DefinitionError
from protocols.core.source import parse_yaml

REPO = Path(__file__).resolve().parents[3]
DATA = "tests/data/protocols"
BROKEN = f"{DATA}/broken"

EXPECTED: list[tuple[str, list[str]]] = [
    (
        "alias-bomb.yaml",
        [
            "{path}:1:14: the file expands to more than 200000 values (alias bomb?)",
        ],
    ),
    (
        "bad-date.yaml",
        [
            "{path}:5:17: effective_from: '2024-02-30' is not a real date (YYYY-MM-DD)",
        ],
    ),
    (
        "bad-include.yaml",
        [
            "{path}:7:5: include '../no-such-part.yaml' could not be loaded (see above)",
            "{data}/no-such-part.yaml:1:1: cannot read the file: No such file or directory",
        ],
    ),
    (
        "calendar-closure-outside-term.yaml",
        [
            "{path}:12:5: closures: 'Easter' (2025-04-07 to 2025-04-17) is not inside a term",
        ],
    ),
    (
        "calendar-overlapping-terms.yaml",
        [
            "{path}:8:32: terms: 'Spring 2025' starts before 'Autumn 2024' ends; terms must be in order and not overlap",
        ],
    ),
    (
        "cycle.yaml",
        [
            "{path}:19:10: milestone 'notice': timing rules go round in a circle: notice -> trial_end -> notice",
        ],
    ),
    (
        "deep-nesting.yaml",
        ["{path}:1:1: the file is nested too deeply"],
    ),
    (
        "duplicate-key.yaml",
        [
            "{path}:4:1: duplicate key 'version' (first given at line 3)",
        ],
    ),
    (
        "empty.yaml",
        [
            "{path}:1:1: the file is empty",
        ],
    ),
    (
        "extension-of-repeating.yaml",
        [
            "{path}:36:14: extension 'more_time': 'review' cannot be extended; only 'end of school week N' and 'N school days after' rules can",
        ],
    ),
    (
        "field-condition-on-later-field.yaml",
        [
            "{path}:50:32: form 'referral': field 'details' depends on 'has_plan', which is not an earlier field of this form",
        ],
    ),
    (
        "many-problems.yaml",
        [
            "{path}:3:10: version: must be a whole number, not '1'",
            "{path}:5:17: effective_from: '2024-13-01' is not a real date (YYYY-MM-DD)",
            "{path}:6:1: unknown key 'effective_untill' (did you mean 'effective_until'?)",
            "{path}:22:16: milestones[0].statutory: must be true or false, not 'maybe'",
        ],
    ),
    (
        "missing-required-key.yaml",
        [
            "{path}:21:5: milestones[1]: missing required key 'label'",
        ],
    ),
    (
        "not-a-mapping.yaml",
        [
            "{path}:1:1: the file must be a mapping of keys to values",
        ],
    ),
    (
        "not-utf8.yaml",
        [
            "{path}:4:18: the file is not UTF-8 text",
        ],
    ),
    (
        "python-tag.yaml",
        [
            "{path}:4:8: unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system'; write plain values",
        ],
    ),
    (
        "repeating-reference.yaml",
        [
            "{path}:32:10: milestone 'outcome_reported': cannot count from 'review', which repeats; count from a single date",
        ],
    ),
    (
        "rule-syntax.yaml",
        [
            "{path}:19:10: milestone 'notice': cannot read the timing rule 'two school days before start'; write one of: on <ref>; same day as <ref>; <N> school days after <ref>; <N> school days before <ref>; within <N> school days of <ref>; <N> calendar days after <ref>; <N> weeks after <ref>; end of school week <N> from <ref>; end of school weeks <N>, <N> and <N> from <ref>; every <N> school weeks from <ref> until <ref>",
        ],
    ),
    (
        "tab-indentation.yaml",
        [
            "{path}:17:1: YAML syntax: while scanning for the next token found character '\\t' that cannot start any token",
        ],
    ),
    (
        "unknown-key.yaml",
        [
            "{path}:1:1: missing required key 'effective_from'",
            "{path}:5:1: unknown key 'efective_from' (did you mean 'effective_from'?)",
        ],
    ),
    (
        "unknown-milestone-in-rule.yaml",
        [
            "{path}:24:10: milestone 'trial_end': the rule counts from 'first_day', which is neither a milestone nor an event (milestones: notice, outcome_reported, review, trial_end; events: outcome_decided, start)",
        ],
    ),
    (
        "unknown-role.yaml",
        [
            "{path}:20:12: milestone 'notice': owner refers to the role 'head_teacher', which does not exist (home_school)",
        ],
    ),
    (
        "uncited-rule.yaml",
        [
            "{path}:17:5: milestone 'trial_end': cite its source (source: {{ref: ...}}) or mark it practice: true",
            "{path}:27:5: requirement 'at least 1 trial_end before outcome_reported': cite its source (source: {{ref: ...}}) or mark it practice: true",
            "{path}:32:3: attendance: cite its source (source: {{ref: ...}}) or mark it practice: true",
        ],
    ),
    (
        "unknown-source.yaml",
        [
            "{path}:21:19: trial_end: the source 'testshire_protcol' is not one of the sources (testshire_protocol)",
            "{path}:27:15: outcome_reported: a rule that cites a source is not local practice; remove practice: true or the source",
        ],
    ),
    (
        "wrong-type.yaml",
        [
            "{path}:3:10: version: must be a whole number, not 'one'",
        ],
    ),
    (
        "yaml-syntax.yaml",
        [
            "{path}:5:15: YAML syntax: while parsing a flow sequence expected ',' or ']', but got ':'",
        ],
    ),
    (
        "yes-as-key.yaml",
        [
            "{path}:6:1: key 'yes' must be text (YAML reads yes/no/on/off as true/false: quote it)",
        ],
    ),
]


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths in messages are as given, so the table uses paths relative to the repository.
    monkeypatch.chdir(REPO)


# Files checked with require_citations=True (every rule cites its source or is marked practice).
CITATIONS_REQUIRED = {"uncited-rule.yaml"}


@pytest.mark.parametrize(("name", "lines"), EXPECTED, ids=[name for name, _ in EXPECTED])
def test_broken_file_reports_exact_locations(name: str, lines: list[str]) -> None:
    path = f"{BROKEN}/{name}"
    expected = [line.format(path=path, data=DATA) for line in lines]
    problems = validate_file(path, require_citations=name in CITATIONS_REQUIRED)
    assert [str(problem) for problem in problems] == expected


def test_an_uncited_rule_is_allowed_unless_citations_are_required() -> None:
    assert validate_file(f"{BROKEN}/uncited-rule.yaml") == []


def test_every_broken_file_is_in_the_table() -> None:
    on_disk = sorted(p.name for p in (REPO / BROKEN).glob("*.yaml"))
    assert on_disk == sorted(name for name, _ in EXPECTED)
    assert len(on_disk) >= 15


def test_the_valid_fixtures_are_valid() -> None:
    for path in sorted((REPO / DATA / "valid").glob("*.yaml")):
        assert validate_file(str(path.relative_to(REPO))) == []


def test_every_rule_of_the_council_protocols_cites_its_source_or_is_practice() -> None:
    # Every milestone, event, requirement, form, sign-off, extension, end rule, attendance,
    # outcome and route of the four council files and the shared parts they include cites a
    # source or says it is local practice.
    bundled = sorted((REPO / "protocols" / "bundled").glob("*/*.yaml"))
    councils = [p for p in bundled if p.parent.name not in {"shared", "calendars"}]
    assert len(councils) == 4
    for path in councils:
        assert validate_file(str(path.relative_to(REPO)), require_citations=True) == [], path


def test_the_bundled_files_are_valid() -> None:
    bundled = sorted((REPO / "protocols" / "bundled").glob("*/*.yaml"))
    assert bundled
    for path in bundled:
        assert validate_file(str(path.relative_to(REPO))) == [], path


# -- fuzzing: nothing but DefinitionError, whatever the input ------------------------------------

KEYS = st.sampled_from(
    [
        "council",
        "protocol",
        "version",
        "title",
        "effective_from",
        "include",
        "sources",
        "roles",
        "events",
        "stages",
        "milestones",
        "key",
        "label",
        "stage",
        "due",
        "unless",
        "owner",
        "forms",
        "pages",
        "fields",
        "show_when",
        "extensions",
        "extends",
        "calendar",
        "region",
        "terms",
        "closures",
        "start",
        "end",
        "name",
        "part",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from(
        [
            "start",
            "2024-09-02",
            "2025-02-30",
            "end of school week 8 from start",
            "2 school days before start",
            "every 2 school weeks from start until trial_end",
            "england-and-wales",
            "home_school",
            "../shared/off-site-direction-legal-floor.yaml",
        ]
    ),
    st.text(max_size=10),
)
YAMLISH = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=30,
)
VALID_TEXT = (REPO / DATA / "valid" / "tiny-protocol.yaml").read_text("utf-8")


def check_file(raw: bytes) -> None:
    """validate_file on `raw` returns problems (or none); any exception is a failure."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "fuzz.yaml")
        with open(path, "wb") as handle:
            handle.write(raw)
        for problem in validate_file(path):
            assert problem.location.line >= 1 and problem.location.column >= 1


@settings(deadline=None)
@given(st.text(max_size=300))
def test_parse_yaml_raises_only_definition_errors(text: str) -> None:
    try:
        parse_yaml(text, path="fuzz.yaml")
    except DefinitionError as error:
        assert error.problems


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_validate_file_survives_random_bytes(raw: bytes) -> None:
    check_file(raw)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, YAMLISH, max_size=12))
def test_validate_file_survives_yamlish_documents(document: dict[str, object]) -> None:
    check_file(yaml.safe_dump(document).encode("utf-8"))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_validate_file_survives_edits_of_a_valid_protocol(data: st.DataObject) -> None:
    lines = VALID_TEXT.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "replace", "indent"]))
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "replace":
            key = lines[index].split(":", 1)[0]
            value = data.draw(SCALARS)
            lines[index] = (
                f"{key}: {yaml.safe_dump(value).splitlines()[0] if value is not None else ''}"
            )
        else:
            lines[index] = " " + lines[index]
    check_file("\n".join(lines).encode("utf-8"))


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 2_500), st.sampled_from(["[", "{", "- ", "a:\n "]))
def test_deep_nesting_is_a_problem_not_a_crash(depth: int, opener: str) -> None:
    # Found by this test: PyYAML's composer recursed past Python's limit and raised
    # RecursionError (a traceback) for files nested a few thousand levels deep.
    closer = {"[": "]", "{": "}"}.get(opener, "")
    text = "council: " + opener * depth + "x" + closer * depth
    try:
        parse_yaml(text, path="deep.yaml")
    except DefinitionError as error:
        assert error.problems
