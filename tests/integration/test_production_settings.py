"""Production settings: `check --deploy` is clean, and two-factor sign-in cannot be switched off."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "PYTHONPATH": f"{REPO / 'platform'}:{REPO}",
        "FAIRWAY_SECRET_KEY": secrets.token_urlsafe(64),
        "FAIRWAY_ALLOWED_HOSTS": "fairway.example",
        "FAIRWAY_BASE_URL": "https://fairway.example",
        "DATABASE_URL": "sqlite:///:memory:",
        **env,
    }
    return subprocess.run(
        [
            sys.executable,
            str(REPO / "platform" / "manage.py"),
            *args,
            "--settings=fairway.settings.production",
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def test_check_deploy_is_clean() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_two_factor_cannot_be_switched_off_in_production() -> None:
    result = _manage("check", FAIRWAY_REQUIRE_TWO_FACTOR="0")
    assert result.returncode != 0
    assert "Two-factor sign-in cannot be switched off in production." in result.stderr


def test_a_short_secret_key_is_refused() -> None:
    result = _manage("check", FAIRWAY_SECRET_KEY="short")
    assert result.returncode != 0
    assert "FAIRWAY_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_its_address() -> None:
    """Emails linked to http://127.0.0.1:8000 when FAIRWAY_BASE_URL was left out."""
    for value in ("", "http://fairway.example"):
        result = _manage("check", FAIRWAY_BASE_URL=value)
        assert result.returncode != 0
        assert "Set FAIRWAY_BASE_URL to the https:// address" in result.stderr
