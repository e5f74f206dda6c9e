"""The `fairway` command.

    fairway protocols validate [--allow-uncited] PATH...
    fairway timeline --protocol PATH|SLUG --calendar PATH|SLUG --start YYYY-MM-DD [--event NAME=YYYY-MM-DD ...] [--extend KEY=WEEKS ...] [--json]
    fairway demo [--port 8000] [--no-serve]
    fairway schools import FILE.csv --council SLUG
    fairway backup --council SLUG --output FILE
    fairway restore FILE
    fairway serve                      (gunicorn; FAIRWAY_WORKERS, FAIRWAY_BIND)
    fairway worker [db_worker options] (runs queued background tasks)
    fairway manage ...                 (any Django management command)

The protocol commands are pure: they need no database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from fairway.casework.contract import CASEWORK
from protocols.core.calendar import SchoolCalendar
from protocols.core.loader import kind_of_file, load_calendar, load_protocol, validate_file
from protocols.core.model import Protocol
from protocols.core.problems import CalendarError, DefinitionError
from protocols.core.timeline import TimelineError, compute_timeline
from protocols.core.versions import VersionError, check_versions, version_in_force

REPO_DIR = Path(__file__).resolve().parent.parent.parent


class UsageError(Exception):
    """A mistake in what was asked for, explained in one line."""


def _iso_date(text: str, *, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{what}: {text!r} is not a date in the form YYYY-MM-DD") from None


def _looks_like_path(value: str) -> bool:
    return value.endswith((".yaml", ".yml")) or os.sep in value


def resolve_protocol(value: str, *, start: date) -> Protocol:
    """A protocol from a file path, `slug`, `slug@version` or a council slug with one protocol."""
    if _looks_like_path(value):
        return load_protocol(value)
    from protocols.bundled import bundled_protocols

    protocols = bundled_protocols()
    slug, _, pinned = value.partition("@")
    slugs = {p.slug for p in protocols}
    if slug not in slugs:
        councils = {p.slug for p in protocols if p.council == slug}
        if len(councils) == 1:
            slug = councils.pop()
        else:
            raise UsageError(
                f"no bundled protocol {value!r}; bundled protocols: {', '.join(sorted(slugs))}"
            )
    if pinned:
        match = [p for p in protocols if p.slug == slug and str(p.version) == pinned]
        if not match:
            versions = ", ".join(str(p.version) for p in protocols if p.slug == slug)
            raise UsageError(f"{slug} has no version {pinned!r} (versions: {versions})")
        return match[0]
    try:
        return version_in_force(protocols, slug=slug, on=start)
    except VersionError as exc:
        raise UsageError(str(exc)) from None


def resolve_calendar(value: str) -> SchoolCalendar:
    if _looks_like_path(value):
        return load_calendar(value)
    from protocols.bundled import bundled_calendars

    calendars = bundled_calendars()
    for calendar in calendars:
        if calendar.slug == value:
            return calendar
    names = ", ".join(c.slug for c in calendars) or "none"
    raise UsageError(f"no bundled calendar {value!r}; bundled calendars: {names}")


def _pairs(values: Sequence[str], *, what: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            raise UsageError(f"{what}: {value!r} must look like NAME=VALUE")
        pairs.append((name, rest))
    return pairs


def cmd_validate(args: argparse.Namespace) -> int:
    failed = False
    protocols: list[Protocol] = []
    for path in args.paths:
        problems = validate_file(
            path, contracts=(CASEWORK,), require_citations=args.require_citations
        )
        for problem in problems:
            print(problem)
        failed = failed or bool(problems)
        if not problems and kind_of_file(path) == "protocol":
            protocols.append(load_protocol(path))
    # Versions of one protocol must fit together: numbers, and dates that neither overlap nor gap.
    for mismatch in check_versions(protocols):
        print(mismatch)
        failed = True
    if not failed:
        print(f"{len(args.paths)} file(s) valid")
    return 1 if failed else 0


def cmd_timeline(args: argparse.Namespace) -> int:
    start = _iso_date(args.start, what="--start")
    # An event given more than once (`--event review_held=...` for each review meeting held)
    # happened on each date; the timeline's `events` keeps the latest.
    held: dict[str, list[date]] = {}
    for name, text in _pairs(args.event, what="--event"):
        held.setdefault(name, []).append(_iso_date(text, what=f"--event {name}"))
    events = {name: max(days) for name, days in held.items()}
    extensions: dict[str, int] = {}
    for name, weeks in _pairs(args.extend, what="--extend"):
        if not weeks.isdigit():
            raise UsageError(f"--extend {name}: {weeks!r} must be a whole number of school weeks")
        extensions[name] = int(weeks)
    protocol = resolve_protocol(args.protocol, start=start)
    calendar = resolve_calendar(args.calendar)
    given: list[tuple[str, date]] = [("--start", start)]
    given += [(f"--event {k}", v) for k, days in held.items() for v in days]
    for label, day in given:
        if not calendar.covers(day):
            raise UsageError(f"{label} {day.isoformat()} is outside the {calendar.coverage_text()}")
    timeline = compute_timeline(
        protocol=protocol,
        calendar=calendar,
        start=start,
        events=events,
        extensions=extensions,
        held={k: sorted(v) for k, v in held.items() if len(v) > 1},
    )
    if calendar.provisional:
        print(
            f"warning: calendar {calendar.slug} is provisional: {calendar.provisional_reason}",
            file=sys.stderr,
        )
    for problem in timeline.problems:
        print(f"warning: {problem}", file=sys.stderr)
    if args.json:
        print(json.dumps(timeline.as_json(), indent=2))
        return 0
    print(f"{protocol.title} (version {protocol.version}, {protocol.reference})")
    print(f"Calendar: {calendar.title}" + (" [PROVISIONAL]" if calendar.provisional else ""))
    print(f"Start: {start.isoformat()}\n")
    width = max((len(m.label) for m in timeline.milestones), default=10)
    for milestone in timeline.milestones:
        print(
            f"  {milestone.due.strftime('%a %d %b %Y')}  {milestone.label.ljust(width)}  ({milestone.rule})"
        )
    for pending in timeline.pending:
        print(
            f"  {'(not yet)'.ljust(15)}  {pending.label.ljust(width)}  (waits for {pending.waiting_for})"
        )
    for waived in timeline.waived:
        print(f"  {'(not due)'.ljust(15)}  {waived.label.ljust(width)}  ({waived.reason})")
    return 0


def _django(argv: list[str]) -> int:
    sys.path[:0] = [str(REPO_DIR / "platform"), str(REPO_DIR)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairway.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fairway", *argv])
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    argv = ["demo", "--port", str(args.port)]
    if args.no_serve:
        argv.append("--no-serve")
    return _django(argv)


def cmd_schools_import(args: argparse.Namespace) -> int:
    return _django(["schools_import", args.file, "--council", args.council])


def _platform_path() -> None:
    for entry in (str(REPO_DIR), str(REPO_DIR / "platform")):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_DIR / "platform"), str(REPO_DIR), os.environ.get("PYTHONPATH", "")]
    ).rstrip(os.pathsep)


def cmd_serve(args: argparse.Namespace) -> int:
    """gunicorn in this process (exec), so systemd or the container runtime signals it directly."""
    _platform_path()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairway.settings.production")
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:fairway.gunicorn_conf",
        *args.rest,
        "fairway.wsgi:application",
    ]
    if args.dry_run:
        print(" ".join(argv))
        return 0
    os.execv(sys.executable, argv)  # pragma: no cover (replaces this process)


def cmd_worker(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairway.settings.production")
    return _django(["fairway_worker", *args.rest])


def cmd_backup(args: argparse.Namespace) -> int:
    return _django(["council_backup", "--council", args.council, "--output", args.output])


def cmd_restore(args: argparse.Namespace) -> int:
    return _django(["council_restore", args.file])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fairway", description="Managed moves driven by council protocols."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    protocols = commands.add_parser("protocols", help="protocol files")
    protocol_commands = protocols.add_subparsers(dest="protocols_command", required=True)
    validate = protocol_commands.add_parser(
        "validate", help="validate protocol, part and calendar files"
    )
    validate.add_argument("paths", nargs="+", metavar="PATH")
    # Every rule of a protocol cites its source or says it is local practice (issue 12); a
    # council's draft and a published version are held to it, so validate is too by default.
    validate.add_argument(
        "--allow-uncited",
        dest="require_citations",
        action="store_false",
        help="do not report a rule that neither cites its source nor is marked practice: true",
    )
    validate.set_defaults(handler=cmd_validate)

    timeline = commands.add_parser("timeline", help="the dated milestones of a case")
    timeline.add_argument(
        "--protocol", required=True, help="a file, a protocol slug, slug@version or a council slug"
    )
    timeline.add_argument("--calendar", required=True, help="a calendar file or slug")
    timeline.add_argument(
        "--start", required=True, help="first day of the off-site direction, YYYY-MM-DD"
    )
    timeline.add_argument("--event", action="append", default=[], metavar="NAME=YYYY-MM-DD")
    timeline.add_argument("--extend", action="append", default=[], metavar="EXTENSION=WEEKS")
    timeline.add_argument("--json", action="store_true")
    timeline.set_defaults(handler=cmd_timeline)

    demo = commands.add_parser("demo", help="set up the demo database and serve it on 127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="set up only")
    demo.set_defaults(handler=cmd_demo)

    schools = commands.add_parser("schools", help="schools")
    school_commands = schools.add_subparsers(dest="schools_command", required=True)
    school_import = school_commands.add_parser(
        "import", help="import a Get Information about Schools CSV"
    )
    school_import.add_argument("file", metavar="FILE.csv")
    school_import.add_argument("--council", required=True)
    school_import.set_defaults(handler=cmd_schools_import)

    backup = commands.add_parser("backup", help="back up everything one council holds")
    backup.add_argument("--council", required=True, help="the council's slug")
    backup.add_argument("--output", required=True, metavar="FILE", help="a .jsonl or .gz file")
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser(
        "restore", help="restore one council's backup into this database (one transaction)"
    )
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(handler=cmd_restore)

    serve = commands.add_parser(
        "serve",
        help="serve Fairway with gunicorn (FAIRWAY_WORKERS workers on FAIRWAY_BIND)",
    )
    serve.add_argument(
        "--dry-run", action="store_true", help="print the gunicorn command instead of running it"
    )
    serve.add_argument("rest", nargs=argparse.REMAINDER, help="more gunicorn options")
    serve.set_defaults(handler=cmd_serve)

    worker = commands.add_parser(
        "worker", help="run queued background tasks (reminders, outcome emails, retention)"
    )
    worker.add_argument("rest", nargs=argparse.REMAINDER, help="db_worker options")
    worker.set_defaults(handler=cmd_worker)

    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=lambda a: _django(a.rest))
    return parser


# Commands whose options belong to the program they run: argparse's REMAINDER refuses a first
# argument that looks like an option ("fairway worker --max-tasks 100"), so they are split here.
PASS_THROUGH = ("serve", "worker", "manage")


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if words and words[0] in PASS_THROUGH:
        args = build_parser().parse_args(words[:1])
        rest = words[1:]
        if words[0] == "serve" and "--dry-run" in rest:
            rest.remove("--dry-run")
            args.dry_run = True
        args.rest = rest
    else:
        args = build_parser().parse_args(words)
    try:
        result: int = args.handler(args)
    except (UsageError, VersionError, TimelineError, CalendarError) as exc:
        print(f"fairway: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    except DefinitionError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
