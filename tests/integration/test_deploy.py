"""deploy/: the commands the container and the systemd units run exist, and `fairway serve` serves."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import get_commands

from fairway.cli import build_parser

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"


def _unit_commands() -> list[tuple[str, list[str]]]:
    found = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        for line in unit.read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep and key in ("ExecStart", "ExecStartPre", "ExecStartPost"):
                found.append((f"{unit.name}: {key}", shlex.split(value.lstrip("-@+!"))))
    return found


def _container_commands() -> list[tuple[str, list[str]]]:
    found = []
    lines = (DEPLOY / "Containerfile").read_text().replace("\\\n", " ").splitlines()
    for line in lines:
        if line.startswith("CMD "):
            found.append(("Containerfile: CMD", json.loads(line[4:])))
        elif line.startswith("RUN "):
            for part in line[4:].split("&&"):
                words = shlex.split(part)
                while words and re.match(r"^[A-Z_]+=", words[0]):  # VAR=value before a command
                    words.pop(0)
                if words and words[0] == "fairway":
                    found.append(("Containerfile: RUN", words))
    return found


COMMANDS = _unit_commands() + _container_commands()


def test_the_units_and_the_container_run_fairway_commands() -> None:
    where = {where for where, _argv in COMMANDS}
    assert {"Containerfile: CMD", "Containerfile: RUN"} <= where
    assert {w.split(":")[0] for w in where} >= {
        "fairway-web.service",
        "fairway-worker.service",
        "fairway-daily.service",
    }
    assert all(Path(argv[0]).name == "fairway" for _w, argv in COMMANDS)


@pytest.mark.parametrize(("where", "argv"), COMMANDS, ids=[w for w, _a in COMMANDS])
def test_each_command_exists(where: str, argv: list[str]) -> None:
    args = build_parser().parse_args(argv[1:])  # exits (fails the test) on an unknown command
    if args.command == "manage":
        assert args.rest[0] in get_commands(), f"{where}: no management command {args.rest[0]}"
    if args.command == "worker":
        assert "fairway_worker" in get_commands()


def test_every_timer_starts_a_service_of_the_same_name() -> None:
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        assert timer.with_suffix(".service").exists(), timer.name


def test_the_gunicorn_settings_are_gunicorns() -> None:
    import gunicorn.config

    import fairway.gunicorn_conf as conf

    names = {n for n in vars(conf) if not n.startswith("_") and n not in ("os", "logging_config")}
    known = {setting.name for setting in gunicorn.config.KNOWN_SETTINGS}
    assert names <= known, names - known


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_fairway_serve_answers_healthz_through_gunicorn(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": f"{REPO / 'platform'}:{REPO}",
        "DJANGO_SETTINGS_MODULE": "fairway.settings.dev",
        "FAIRWAY_VAR_DIR": str(tmp_path),
        "FAIRWAY_BIND": f"127.0.0.1:{port}",
        "FAIRWAY_WORKERS": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "fairway.cli", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = b""
        for _attempt in range(120):  # waits for the server to start; asserts nothing on time
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                    body = response.read()
                break
            except OSError:
                time.sleep(0.25)
        assert body == b"ok"
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=60)
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines and all(json.loads(line) for line in lines), output
    assert any(json.loads(line).get("http", {}).get("path") == "/healthz" for line in lines)
