"""The case page and My cases render the same HTML before and after a change (speed work must not
change what staff see).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fairway_bench .venv/bin/python \
        bench/same_html.py BASE_REVISION

Exports BASE_REVISION (`git archive`) to a temporary directory, renders My cases (pages 1 and 2,
and filtered by stage) and several case pages (one per stage, each council) as the bench's council
officer with each tree's code on the same database, and compares them byte for byte once each
page's CSRF token is masked. Prints the pages compared and exits 1 on any difference (writing both
versions next to each other in the temporary directory).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RENDER = r"""
import json, os, re, sys
sys.path[:0] = [sys.argv[1] + "/platform", sys.argv[1]]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairway.settings.test")
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
settings.ALLOWED_HOSTS = ["*"]
settings.DEBUG = False
from fairway.casework.models import Case
from tenants.models import User
officer = User.objects.get(email="bench-officer@norfolk.example")
client = Client()
client.force_login(officer)
urls = ["/cases/", "/cases/?page=2", "/cases/?stage=agreement", "/cases/?status=all"]
for stage in ("referral", "agreement", "off_site_direction", "ended_early", "closed"):
    for case in Case.objects.filter(home_council__slug="norfolk", stage=stage).order_by("pk")[:2]:
        urls.append(f"/cases/{case.pk}/")
pages = {}
for url in urls:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    text = response.content.decode()
    pages[url] = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)
json.dump(pages, open(sys.argv[2], "w"))
"""


def render(tree: Path, out: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": f"{tree / 'platform'}:{tree}"}
    subprocess.run(
        [sys.executable, "-c", RENDER, str(tree), str(out)],
        check=True,
        env=env,
        cwd=tree,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pages: dict[str, str] = json.loads(out.read_text())
    return pages


def main() -> int:
    base = sys.argv[1] if len(sys.argv) > 1 else "HEAD"
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fairway_bench")
    work = Path(tempfile.mkdtemp(prefix="fairway-same-html-"))
    tree = work / "base"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "archive", base], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    before = render(tree, work / "before.json")
    after = render(ROOT, work / "after.json")
    differ = 0
    for url, html in before.items():
        same = after.get(url) == html
        print(f"{'same' if same else 'DIFFERENT':9} {len(html):8,} bytes  {url}")
        if not same:
            differ += 1
            name = re.sub(r"\W+", "_", url)
            (work / f"before{name}.html").write_text(html)
            (work / f"after{name}.html").write_text(after.get(url, ""))
    print(f"{len(before)} pages, {differ} different; base {base}; files in {work}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
