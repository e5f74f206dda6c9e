"""Requests per second, p50 and p95 through gunicorn under the production settings, two-factor on.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fairway_bench .venv/bin/python bench/load.py

QUALITY.md's load workload. Uses bench/pages.py's database (100,000 cases with answers, events,
sign-offs, attendance weeks and commitments; filled first, by pages.py, if missing), then runs
`fairway serve` (gunicorn, sync workers, one per core) with `fairway.settings.production`, and
signs a council officer in as a real one would: the password step, then a TOTP code from the
officer's authenticator device (django-otp). For each of `/healthz` (a view that touches no
database), My cases, a case page and a review form page's POST (a save of the review form, a
write through the version check), it runs the same number of client threads for the same time
and prints requests/s, p50, p95 and the error count; then the case page / healthz ratio. Each
line is the median of BENCH_RUNS runs. Client and server share the machine.

The production settings are used unchanged. The bench gives them what a deployment gives them:
a secret key, the allowed host, the https address, and the header the TLS proxy sets
(X-Forwarded-Proto: https, which the settings trust), so secure cookies and the https redirect
behave as behind the proxy. Asserts nothing about time.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fairway_bench")

SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
OFFICER = "bench-officer@norfolk.example"
PASSWORD = "bench officer's long password"  # noqa: S105 (a bench account in a bench database)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Browser:
    """One signed-in person: cookies kept by hand (they are Secure: the proxy speaks https)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        origin = f"https://127.0.0.1:{self.port}"
        return {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Origin": origin,
            "Referer": origin + "/",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(extra or {}),
        }

    def request(
        self, method: str, path: str, form: dict[str, Any] | list[tuple[str, str]] | None = None
    ) -> tuple[int, str, str]:
        """(status, Location, body)"""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        body = urlencode(form, doseq=True) if form is not None else None
        extra = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
        connection.request(method, path, body=body, headers=self.headers(extra))
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        location = response.getheader("Location") or ""
        return (
            response.status,
            urlsplit(location).path
            + (f"?{urlsplit(location).query}" if urlsplit(location).query else ""),
            text,
        )


class FormFields(HTMLParser):
    """The fields a browser would send from the page's main form (POST forms only)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.radios: dict[str, str] = {}
        self.checked: set[str] = set()
        self.in_form = False
        self.textarea: str | None = None
        self.select: str | None = None
        self.selected = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if (
            tag == "form"
            and a.get("method", "").lower() == "post"
            and "logout" not in a.get("action", "")
        ):
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                self.radios.setdefault(name, a.get("value", "on"))
                if "checked" in a:
                    self.checked.add(name)
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields.append((name, ""))
        elif tag == "select" and name:
            self.select, self.selected = name, False
        elif tag == "option" and self.select and not self.selected and a.get("value"):
            self.fields.append((self.select, a["value"]))
            self.selected = True

    def handle_data(self, data: str) -> None:
        if self.textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.in_form = False


def filled_in(html: str) -> list[tuple[str, str]]:
    """The form's fields with what a person would type where they are empty."""
    parser = FormFields()
    parser.feed(html)
    fields = []
    today = date.today()  # a meeting held today: never a date in the future
    for name, value in parser.fields:
        value = value.strip()
        if not value and name.endswith("_0"):
            value = str(today.day)
        elif not value and name.endswith("_1"):
            value = str(today.month)
        elif not value and name.endswith("_2"):
            value = str(today.year)
        elif not value and name not in ("csrfmiddlewaretoken", "version"):
            value = "Bench review: attendance and behaviour discussed."
        fields.append((name, value))
    for name, value in parser.radios.items():
        if name not in parser.checked:
            fields.append((name, value))
    return fields


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(port: int, device: Any) -> Browser:
    """The password step, then the security code from the officer's TOTP device."""
    from django_otp.oath import totp

    browser = Browser(port)
    status, _, page = browser.request("GET", "/account/login/")
    assert status == 200, f"sign-in page answered {status}"
    status, where, page = browser.request(
        "POST",
        "/account/login/",
        {
            "csrfmiddlewaretoken": csrf_of(page),
            "login_view-current_step": "auth",
            "auth-username": OFFICER,
            "auth-password": PASSWORD,
        },
    )
    assert status == 200 and "security code" in page, f"password step answered {status} {where}"
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    status, location, _ = browser.request(
        "POST",
        "/account/login/",
        {
            "csrfmiddlewaretoken": csrf_of(page),
            "login_view-current_step": "token",
            "token-otp_token": f"{token:0{device.digits}d}",
        },
    )
    assert status == 302, f"security code step answered {status}"
    status, location, _ = browser.request("GET", "/cases/")
    assert status == 200, f"My cases after signing in answered {status} {location}"
    return browser


@dataclass
class Result:
    rate: float
    p50: float
    p95: float
    errors: int


def hammer(make_request: Any) -> Result:
    """THREADS clients each calling make_request(index) -> ok for SECONDS."""
    times: list[list[float]] = [[] for _ in range(THREADS)]
    errors = [0] * THREADS
    stop = time.perf_counter() + SECONDS

    def client(index: int) -> None:
        while time.perf_counter() < stop:
            began = time.perf_counter()
            ok = make_request(index)
            took = time.perf_counter() - began
            if ok:
                times[index].append(took)
            else:
                errors[index] += 1

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = sorted(t for per in times for t in per)
    if not every:
        return Result(0.0, 0.0, 0.0, sum(errors))
    return Result(
        rate=len(every) / elapsed,
        p50=statistics.median(every) * 1000,
        p95=every[max(0, int(len(every) * 0.95) - 1)] * 1000,
        errors=sum(errors),
    )


class ReviewSaves:
    """Each client thread saves the first page of the review form of a case of its own; the
    version it sends is the one the page gave (then +1 a save), as a browser's would be."""

    def __init__(self, browser: Browser, case_ids: list[int]) -> None:
        self.browser = browser
        self.pages: list[tuple[str, list[tuple[str, str]]]] = []
        self.versions: list[int] = []
        for case_id in case_ids:
            status, location, _ = browser.request("GET", f"/cases/{case_id}/forms/review/")
            assert status == 302 and "/forms/review/" in location, (status, location)
            path = location
            status, _, page = browser.request("GET", path)
            assert status == 200, f"review page answered {status}"
            fields = filled_in(page)
            self.pages.append((path, fields))
            self.versions.append(int(dict(fields).get("version") or 0))
            # One save first: the answers are valid (a page that refuses them is a bench bug).
            assert self.save(len(self.pages) - 1), f"the review page refused {fields}"

    def save(self, index: int) -> bool:
        path, fields = self.pages[index]
        sent = [(k, v) for k, v in fields if k != "version"] + [
            ("version", str(self.versions[index]))
        ]
        status, location, _body = self.browser.request("POST", path, sent)
        if status == 302 and "/forms/review/" in location:
            self.versions[index] += 1
            return True
        # Out of step (it should not happen: each thread has its own case): read it again.
        if os.environ.get("BENCH_DEBUG"):
            print(status, location, re.findall(r"error-message[^>]*>(.*?)</", _body, re.S))
        status, _, page = self.browser.request("GET", path)
        self.versions[index] = int(dict(filled_in(page)).get("version") or 0)
        return False


def production_environment(port: int) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "fairway.settings.production",
        "FAIRWAY_SECRET_KEY": secrets.token_urlsafe(60),
        "FAIRWAY_ALLOWED_HOSTS": "127.0.0.1",
        "FAIRWAY_BASE_URL": "https://127.0.0.1",
        "FAIRWAY_WORKERS": str(WORKERS),
        "FAIRWAY_BIND": f"127.0.0.1:{port}",
        # Persistent connections, as deploy/ runs it.
        "FAIRWAY_CONN_MAX_AGE": os.environ.get("FAIRWAY_CONN_MAX_AGE", "60"),
    }


def main() -> None:
    # Fill (or reuse) the database with pages.py, under the settings it is written for.
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pages.py"), "--fill-only"],
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "fairway.settings.test"},
        stdout=subprocess.DEVNULL,
    )
    port = free_port()
    env = production_environment(port)
    os.environ.update(env)
    import django

    django.setup()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from fairway.casework.models import Case
    from tenants.models import User

    officer = User.objects.get(email=OFFICER)
    officer.set_password(PASSWORD)
    officer.save()
    # "default": the device two_factor asks for a code from (its default_device).
    device, _ = TOTPDevice.objects.get_or_create(
        user=officer, name="default", defaults={"confirmed": True}
    )
    norfolk = Case.objects.filter(home_council__slug="norfolk", upn__startswith="Z0")
    directions = list(
        norfolk.filter(stage="off_site_direction", start_date__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[: THREADS + 1]
    )
    case_page = f"/cases/{directions[0]}/"
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / "fairway-bench-load.log", "w")  # noqa: SIM115
    # BENCH_CODE: serve another checkout's code (an earlier revision, `git archive`d) on the same
    # database, to measure before and after a change in one sitting.
    code = Path(os.environ.get("BENCH_CODE", str(ROOT)))
    env["PYTHONPATH"] = f"{code / 'platform'}:{code}"
    server = subprocess.Popen(
        [sys.executable, "-m", "fairway.cli", "serve"], env=env, cwd=code, stdout=log, stderr=log
    )
    try:
        for _ in range(150):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        browser = sign_in(port, device)
        reviews = ReviewSaves(browser, directions[1:])

        def get(path: str) -> Any:
            def one(index: int) -> bool:
                status, _, _ = browser.request("GET", path)
                return status == 200

            return one

        pages = [
            ("/healthz (no database)", get("/healthz")),
            ("My cases", get("/cases/")),
            ("case page", get(case_page)),
            ("review form POST", reviews.save),
        ]
        for _, request in pages[:3]:  # warm every worker: imports, protocol and calendar caches
            for _ in range(WORKERS * 4):
                assert request(0), "a page failed while warming up"
        print(
            f"fairway serve (gunicorn, {WORKERS} sync workers), fairway.settings.production, "
            f"two-factor on; PostgreSQL, {Case.objects.count():,} cases; {THREADS} client "
            f"threads, {SECONDS:.0f} s a page, median of {RUNS} runs; "
            f"load average before: {os.getloadavg()[0]:.2f}"
        )
        print(f"  {'page':28} {'requests/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        runs: dict[str, list[Result]] = {label: [] for label, _ in pages}
        for _ in range(RUNS):
            for label, request in pages:
                runs[label].append(hammer(request))
        medians = {}
        for label, results in runs.items():
            median = Result(
                rate=statistics.median(r.rate for r in results),
                p50=statistics.median(r.p50 for r in results),
                p95=statistics.median(r.p95 for r in results),
                errors=sum(r.errors for r in results),
            )
            medians[label] = median
            print(
                f"  {label:28} {median.rate:10.1f} {median.p50:8.1f} {median.p95:8.1f} "
                f"{median.errors:7d}"
            )
        ratio = medians["case page"].rate / medians["/healthz (no database)"].rate
        print(f"  case page / healthz (requests/s): {ratio:.3f}")
        print(f"  load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


if __name__ == "__main__":
    main()
