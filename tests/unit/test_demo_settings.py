"""The demo runs without Django's debug pages unless asked (`FAIRWAY_DEBUG=1`), and WhiteNoise
still serves the static files from the apps' folders."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _dev_setting(name: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "FAIRWAY_DEBUG"}
    environment.update(env)
    environment["PYTHONPATH"] = f"{ROOT / 'platform'}{os.pathsep}{ROOT}"
    code = f"import fairway.settings.dev as s; print(s.{name})"
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_demo_settings_have_debug_off_unless_asked() -> None:
    assert _dev_setting("DEBUG") == "False"
    assert _dev_setting("DEBUG", FAIRWAY_DEBUG="1") == "True"
    assert _dev_setting("WHITENOISE_USE_FINDERS") == "True"
