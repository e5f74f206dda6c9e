"""PostgreSQL restarted in the middle of a load run: no acknowledged write lost, no restart needed.

    .venv/bin/python bench/faults.py [--seconds 30] [--threads 4] [--down 3]

Starts a PostgreSQL cluster of its own (initdb in /tmp/fairway-faults-pg, port 5433, so the
machine's shared cluster and everyone's test runs are left alone; `--database-url URL --restart
"pg_ctlcluster 15 main restart"` uses an existing one instead), migrates a database there, opens
one case per client thread, and starts `fairway serve` (gunicorn, production settings: persistent
connections with health checks, two-factor on). Each client thread then adds targets to its case
through the real form, as staff do: GET the form (CSRF token, the case's version), POST it. A
302 is an acknowledged write. A third of the way through, PostgreSQL is stopped (fast shutdown:
open transactions are cut off), left down `--down` seconds, and started again. Afterwards every
acknowledged target must be in the database, and the same gunicorn (no restart) must be serving
again. Prints the counts, how long requests failed, what they got meanwhile; exits 1 if an
acknowledged write is missing or the service did not recover. Asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import importlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
MARK = "fault-run"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30, help="length of the load run")
    parser.add_argument("--threads", type=int, default=4, help="client threads, one case each")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--down", type=float, default=3, help="seconds PostgreSQL stays down")
    parser.add_argument("--pgdata", default="/tmp/fairway-faults-pg", help="the own cluster")
    parser.add_argument("--pgport", type=int, default=5433)
    parser.add_argument(
        "--database-url", help="use this database instead of an own cluster (needs --restart)"
    )
    parser.add_argument("--restart", help="shell command that restarts that database's server")
    args = parser.parse_args()
    if bool(args.database_url) != bool(args.restart):
        parser.error("--database-url and --restart go together")
    return args


# --- PostgreSQL -----------------------------------------------------------------------------


class OwnCluster:
    """A throwaway PostgreSQL cluster: restarting it disturbs nobody else on the machine."""

    def __init__(self, data: Path, port: int) -> None:
        self.data, self.port = data, port
        self.log = data.parent / f"{data.name}.log"

    def _run(self, *argv: str, quiet: bool = False) -> None:
        command = [str(PG_BIN / argv[0]), *argv[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        errors = subprocess.DEVNULL if quiet else None
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=errors)

    def _ctl(self, *argv: str, quiet: bool = False) -> None:
        options = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1"
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, *argv, quiet=quiet
        )

    def create(self) -> None:
        if self.data.exists():
            self.stop(quiet=True)
            shutil.rmtree(self.data)
        self.data.mkdir(parents=True)
        self.log.touch()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
            shutil.chown(self.log, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self.start()

    def start(self) -> None:
        self._ctl("-w", "start")

    def stop(self, *, quiet: bool = False) -> None:
        try:
            self._ctl("-w", "-m", "fast", "stop", quiet=quiet)
        except subprocess.CalledProcessError:
            if not quiet:
                raise

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/fairway_faults"


def database_create(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    assert name not in ("test", "fairway_bench", "postgres"), f"refusing to reset {name}"
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


# --- The cases and the people ---------------------------------------------------------------


def setup(threads: int) -> tuple[list[int], list[str], str]:
    """(case ids, session cookies, secret key): a council, one case per thread, signed-in staff."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "fairway.settings.test"
    django.setup()
    from datetime import date

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from protocols.services import bundled_load

    # The test suite's own set-up of a council and a case (not type-checked with the platform).
    factories = importlib.import_module("tests.factories")
    casework = importlib.import_module("tests.integration.casework.conftest")

    call_command("migrate", interactive=False, verbosity=0)
    place = casework._place("norfolk", "Norfolk County Council")
    bundled_load()
    cases, cookies = [], []
    for _ in range(threads):
        case = casework.agree(casework.open_case(place), place, first_day=date(2026, 11, 30))
        cases.append(case.pk)
        client = Client()
        factories.sign_in(client, place.home_staff)
        cookies.append(client.cookies["sessionid"].value)
    return cases, cookies, settings.SECRET_KEY


def targets_present() -> set[str]:
    from django.db import connection

    from fairway.casework.models import Commitment

    connection.close()  # the connection from before the restart is dead
    return set(Commitment.objects.filter(text__startswith=MARK).values_list("text", flat=True))


# --- The load -------------------------------------------------------------------------------


@dataclass
class Tally:
    acknowledged: list[str] = field(default_factory=list)
    # (seconds since the start, what happened): "ok", a status, or the connection error.
    events: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, began: float, what: str, text: str | None = None) -> None:
        with self.lock:
            self.events.append((time.perf_counter() - began, what))
            if text is not None:
                self.acknowledged.append(text)


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
TRACEBACK = re.compile(r"Traceback|File \"/")


def client(
    *, index: int, port: int, case_id: int, session: str, stop: float, began: float, tally: Tally
) -> None:
    cookies = {"sessionid": session}
    path = f"/cases/{case_id}/targets/add/"
    origin = "https://127.0.0.1"
    today = time.localtime()
    sequence = 0
    while time.perf_counter() < stop:
        sequence += 1
        text = f"{MARK} {index}-{sequence}"
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}

            def cookie_header() -> str:
                return "; ".join(f"{k}={v}" for k, v in cookies.items())

            connection.request("GET", path, headers={**headers, "Cookie": cookie_header()})
            response = connection.getresponse()
            page = response.read().decode()
            _keep_cookies(response, cookies)
            if response.status != 200:
                tally.note(began, f"GET {response.status}" + _traceback(page))
                time.sleep(0.1)
                continue
            token, version = TOKEN.search(page), VERSION.search(page)
            assert token and version, "the form has no CSRF token or version"
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token.group(1),
                    "version": version.group(1),
                    "kind": "target",
                    "text": text,
                    "agreed_on_0": today.tm_mday,
                    "agreed_on_1": today.tm_mon,
                    "agreed_on_2": today.tm_year,
                    "agreed_with": "both schools",
                }
            )
            connection.request(
                "POST",
                path,
                body=body,
                headers={
                    **headers,
                    "Cookie": cookie_header(),
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": origin,
                    "Referer": origin + path,
                },
            )
            response = connection.getresponse()
            page = response.read().decode()
            _keep_cookies(response, cookies)
            connection.close()
            if response.status == 302:
                tally.note(began, "ok", text)
            else:
                tally.note(began, f"POST {response.status}" + _traceback(page))
                time.sleep(0.1)
        except (OSError, http.client.HTTPException) as error:
            tally.note(began, f"connection: {type(error).__name__}")
            time.sleep(0.1)


def _keep_cookies(response: http.client.HTTPResponse, cookies: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]


def _traceback(page: str) -> str:
    return " WITH A TRACEBACK" if TRACEBACK.search(page) else ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> int:
    args = arguments()
    cluster = None
    if args.database_url:
        url = args.database_url
    else:
        cluster = OwnCluster(Path(args.pgdata), args.pgport)
        cluster.create()
        url = cluster.url
    os.environ["DATABASE_URL"] = url
    database_create(url)
    cases, sessions, secret_key = setup(args.threads)

    port = free_port()
    log = Path(tempfile.mkstemp(prefix="fairway-faults-", suffix=".log")[1])
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "fairway.settings.production",
        "FAIRWAY_SECRET_KEY": secret_key,  # the sessions were made with it
        "FAIRWAY_ALLOWED_HOSTS": "127.0.0.1",
        "FAIRWAY_BASE_URL": "https://127.0.0.1",
        "FAIRWAY_BIND": f"127.0.0.1:{port}",
        "FAIRWAY_WORKERS": str(args.workers),
        "DATABASE_URL": url,
    }
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "fairway.cli", "serve"],
            env=env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        for _ in range(150):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        # Warm every worker (imports, protocol and calendar caches) before the clock starts.
        for _ in range(args.workers * 3):
            for case_id, session in zip(cases, sessions, strict=True):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                connection.request(
                    "GET",
                    f"/cases/{case_id}/targets/add/",
                    headers={
                        "Host": "127.0.0.1",
                        "X-Forwarded-Proto": "https",
                        "Cookie": f"sessionid={session}",
                    },
                )
                status = connection.getresponse().status
                connection.close()
                assert status == 200, f"the targets form answered {status}"
        tally = Tally()
        began = time.perf_counter()
        stop = began + args.seconds
        threads = [
            threading.Thread(
                target=client,
                kwargs={
                    "index": i,
                    "port": port,
                    "case_id": cases[i],
                    "session": sessions[i],
                    "stop": stop,
                    "began": began,
                    "tally": tally,
                },
            )
            for i in range(args.threads)
        ]
        for thread in threads:
            thread.start()
        time.sleep(args.seconds / 3)
        down_at = time.perf_counter() - began
        if cluster is not None:
            cluster.stop()
            stopped_at = time.perf_counter() - began
            time.sleep(args.down)
            cluster.start()
        else:
            subprocess.run(args.restart, shell=True, check=True)
            stopped_at = down_at
        up_at = time.perf_counter() - began
        for thread in threads:
            thread.join()
        server_survived = server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)

    present = targets_present()
    acknowledged = set(tally.acknowledged)
    missing = acknowledged - present
    unacknowledged = present - acknowledged
    failures = [(t, what) for t, what in tally.events if what != "ok"]
    after_up = [(t, what) for t, what in failures if t > up_at]
    first_ok_after = min(
        (t for t, what in tally.events if what == "ok" and t > up_at), default=None
    )
    failed_from = min((t for t, _ in failures), default=None)
    failed_to = max((t for t, _ in failures), default=None)

    print(
        f"bench/faults.py: gunicorn ({args.workers} workers, production settings) on PostgreSQL, "
        f"{args.threads} client threads adding targets for {args.seconds:.0f} s"
    )
    print(
        f"  PostgreSQL told to stop at {down_at:.1f} s (fast shutdown), down by {stopped_at:.1f} s, "
        f"up again at {up_at:.1f} s"
    )
    print(f"  writes acknowledged (302):          {len(acknowledged)}")
    print(f"  acknowledged and in the database:   {len(acknowledged & present)}")
    print(f"  acknowledged but MISSING:           {len(missing)}")
    print(f"  in the database, not acknowledged:  {len(unacknowledged)} (answer cut off)")
    print(f"  requests that failed:               {len(failures)}", end="")
    if failures:
        print(f", from {failed_from:.1f} s to {failed_to:.1f} s")
        for what, count in collections.Counter(w for _, w in failures).most_common():
            print(f"      {count:5}  {what}")
    else:
        print()
    print(f"  failed after PostgreSQL was back:   {len(after_up)}")
    if first_ok_after is not None:
        print(f"  first write after it was back:      {first_ok_after - up_at:.2f} s after")
    print(f"  gunicorn still the same process:    {'yes' if server_survived else 'NO'}")
    print(f"  server log: {log}")
    tracebacks = any("TRACEBACK" in what for _, what in failures)
    recovered = server_survived and first_ok_after is not None
    if cluster is not None:
        cluster.stop(quiet=True)
    return 0 if not missing and recovered and not tracebacks else 1


if __name__ == "__main__":
    sys.exit(main())
