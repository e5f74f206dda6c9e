"""Persistent absence is missing 10% or more of possible sessions (DfE), written as absence in the
YAML (`persistent_absence_at_percent_absent: 10`): attendance of 90% or below is flagged."""

from pathlib import Path

import pytest

from protocols.core.loader import load_protocol
from protocols.core.model import Attendance

REPO = Path(__file__).resolve().parents[3]
BUNDLED = sorted(
    p
    for p in (REPO / "protocols" / "bundled").glob("*/*.yaml")
    if p.parent.name not in {"shared", "calendars"}
)


@pytest.mark.parametrize(
    ("possible", "attended", "flagged"),
    [
        (100, 89, True),  # 89% attendance, 11% missed
        (100, 90, True),  # exactly 90%: 10% missed is persistent absence
        (10, 9, True),  # one session of ten missed: 10% exactly
        (1000, 901, False),  # 90.1% attendance
        (100, 100, False),
        (0, 0, False),  # nothing recorded yet
    ],
)
def test_attendance_of_90_percent_or_below_is_flagged(
    possible: int, attended: int, flagged: bool
) -> None:
    rules = Attendance(
        recorded="weekly",
        recorded_by="receiving_school",
        reported_to=("home_school",),
        persistent_absence_at_percent_absent=10,
    )
    assert rules.persistently_absent(possible=possible, attended=attended) is flagged


def test_no_threshold_flags_nothing() -> None:
    rules = Attendance(recorded="weekly", recorded_by="r", reported_to=("h",))
    assert not rules.persistently_absent(possible=10, attended=0)


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_every_bundled_protocol_writes_the_dfe_threshold_as_absence(path: Path) -> None:
    protocol = load_protocol(str(path.relative_to(REPO)))
    assert protocol.attendance is not None
    assert protocol.attendance.persistent_absence_at_percent_absent == 10
    for rule in protocol.end_rules:
        if rule.key == "persistent_absence":
            assert rule.persistent_absence_at_percent_absent == 10
