"""The register's local norm (`_expected_shares`) is linear in schools and keeps its results."""

from types import SimpleNamespace

from fairway.casework.register import _expected_shares


def _school(pk: int, phase: str, roll: int | None) -> SimpleNamespace:
    return SimpleNamespace(pk=pk, phase=phase, number_on_roll=roll)


def test_shares_follow_number_on_roll_within_a_phase() -> None:
    schools = [
        _school(1, "secondary", 100),
        _school(2, "secondary", 300),
        _school(3, "primary", 50),
    ]
    expected = _expected_shares(schools, {1: 2, 2: 6, 3: 4})  # type: ignore[arg-type]
    assert expected == {1: 2.0, 2: 6.0, 3: 4.0}


def test_shares_are_equal_when_a_number_on_roll_is_missing() -> None:
    schools = [_school(1, "secondary", 100), _school(2, "secondary", None)]
    assert _expected_shares(schools, {1: 3, 2: 1}) == {1: 2.0, 2: 2.0}  # type: ignore[arg-type]
