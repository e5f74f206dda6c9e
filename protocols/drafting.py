"""Checking a council's draft of its next protocol version, as `fairway protocols validate` does.

A draft is only the council's own file. Fairway's shared parts (`protocols/bundled/shared/`: the
legal floor, the common forms) are laid beside it in a temporary folder, exactly as the bundled
files sit, so the loader gives the same `path:line:column: message` lines as the command. The
shared parts stay Fairway's: a draft must include the ones its version in force includes, may
include nothing else (so no file of the server is ever read), and a key it defines again is the
loader's "defined twice" problem at the draft's line.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from protocols.bundled import SHARED_DIR
from protocols.contracts import contract_problems
from protocols.core.loader import load_protocol
from protocols.core.model import Protocol
from protocols.core.problems import DefinitionError, Location, Problem
from protocols.core.source import LocatedDict, key_location_of, location_of, parse_yaml

SHARED_FOLDER = "shared"
INCLUDE_PREFIX = "../shared/"

# How many bytes a draft may have: the bundled protocols are 10-20 KB.
MAX_DRAFT_BYTES = 300_000


def shared_parts() -> dict[str, str]:
    """Fairway's shared parts by the name a protocol includes them under (`../shared/x.yaml`)."""
    return {
        f"{INCLUDE_PREFIX}{path.name}": path.read_text("utf-8")
        for path in sorted(SHARED_DIR.glob("*.yaml"))
    }


def draft_file_name(*, council_slug: str, slug: str, version: int) -> str:
    """`norfolk/managed-moves-v3.yaml`: where the draft's lines are said to be."""
    prefix = f"{council_slug}-"
    short = slug[len(prefix) :] if slug.startswith(prefix) else slug
    return f"{council_slug}/{short}-v{version}.yaml"


def required_includes(files: dict[str, str], main_file: str) -> tuple[str, ...]:
    """The shared parts a stored version includes: a draft from it must keep them."""
    try:
        data = parse_yaml(files[main_file], path=main_file)
    except DefinitionError:
        return ()
    return tuple(i for i in data.get("include") or () if str(i).startswith(INCLUDE_PREFIX))


@dataclass(frozen=True)
class DraftCheck:
    problems: tuple[Problem, ...]
    protocol: Protocol | None  # the loaded protocol when there are no problems

    @property
    def ok(self) -> bool:
        return not self.problems


def _top_value_line(text: str, key: str, value: str) -> str:
    """`text` with the top-level `key:` line's value replaced (a comment after it is kept)."""
    pattern = re.compile(rf"^({re.escape(key)}:[ \t]*)([^#\n]*?)([ \t]*(#[^\n]*)?)$", re.MULTILINE)
    replaced, count = pattern.subn(lambda m: f"{m[1]}{value}{m[3]}", text, count=1)
    if count:
        return replaced
    return f"{key}: {value}\n{text}"


def with_effective_from(text: str, day: date) -> str:
    return _top_value_line(text, "effective_from", day.isoformat())


def with_version(text: str, version: int) -> str:
    return _top_value_line(text, "version", str(version))


def _identity_problems(
    data: LocatedDict, *, council_slug: str, slug: str, version: int
) -> list[Problem]:
    found = []
    where = data.location
    for key, wanted, why in (
        ("council", council_slug, "the draft is your council's"),
        ("protocol", slug, "a draft is the next version of the same protocol"),
    ):
        if key in data and data.get(key) != wanted:
            found.append(
                Problem(
                    location_of(data, key) or where,
                    f"{key} must be {wanted!r}: {why}",
                )
            )
    if "version" in data and data.get("version") != version:
        found.append(
            Problem(
                location_of(data, "version") or where,
                f"version must be {version}: the next number after the latest published version",
            )
        )
    if "effective_until" in data:
        found.append(
            Problem(
                key_location_of(data, "effective_until") or where,
                "remove effective_until: a new version stays in force until a later one replaces "
                "it, and the date it takes effect is chosen when it is published",
            )
        )
    return found


def _include_problems(data: LocatedDict, *, required: tuple[str, ...]) -> list[Problem]:
    allowed = set(shared_parts())
    includes = data.get("include") or []
    found = []
    if isinstance(includes, list):
        for index, name in enumerate(includes):
            if name not in allowed:
                found.append(
                    Problem(
                        location_of(includes, index) or data.location,
                        f"include {name!r} is not one of Fairway's shared parts; a draft may "
                        f"include only {', '.join(sorted(allowed))}",
                    )
                )
    where = key_location_of(data, "include") or data.location
    for name in required:
        if name not in includes:
            found.append(
                Problem(
                    where,
                    f"the draft must include {name}: Fairway's shared parts (the legal floor, "
                    "the common forms) stay in every version and cannot be left out",
                )
            )
    return found


def _relative(problem: Problem, root: str) -> Problem:
    path = problem.location.path
    if os.path.isabs(path) and path.startswith(root):
        path = os.path.relpath(path, root)
    message = problem.message.replace(root + os.sep, "")
    return Problem(Location(path, problem.location.line, problem.location.column), message)


def check_draft(
    *,
    text: str,
    main_file: str,
    council_slug: str,
    slug: str,
    version: int,
    required: tuple[str, ...],
) -> DraftCheck:
    """Every problem of the draft, as `fairway protocols validate` words and places them (with
    the registered case-work contract), plus what a draft may not do: change its council,
    protocol or version number, or leave out or add to Fairway's shared parts."""
    if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
        where = Location(main_file, 1, 1)
        return DraftCheck((Problem(where, "the file is larger than 300 KB"),), None)
    try:
        data = parse_yaml(text, path=main_file)
    except DefinitionError as exc:
        return DraftCheck(tuple(exc.problems), None)
    own = _identity_problems(data, council_slug=council_slug, slug=slug, version=version)
    includes = _include_problems(data, required=required)
    if includes:
        # Never load a file the draft names outside Fairway's shared parts.
        return DraftCheck(tuple(sorted(own + includes)), None)
    with tempfile.TemporaryDirectory(prefix="fairway-draft-") as tmp:
        root = os.path.realpath(tmp)
        main = Path(root, main_file)
        main.parent.mkdir(parents=True, exist_ok=True)
        main.write_text(text, encoding="utf-8")
        shared = Path(root, SHARED_FOLDER)
        shared.mkdir(exist_ok=True)
        for name, part in shared_parts().items():
            Path(shared, name.removeprefix(INCLUDE_PREFIX)).write_text(part, encoding="utf-8")
        try:
            # A council's version cites a source for every rule, as the bundled ones do.
            protocol = load_protocol(str(main), require_citations=True)
        except DefinitionError as exc:
            loaded = [_relative(p, root) for p in exc.problems]
            return DraftCheck(tuple(sorted(set(own + loaded))), None)
        contract = [_relative(p, root) for p in contract_problems(protocol=protocol)]
    problems = tuple(sorted(set(own + contract)))
    if problems:
        return DraftCheck(problems, None)
    return DraftCheck((), replace(protocol, path=main_file))


def bundle_files(*, text: str, main_file: str, protocol: Protocol) -> dict[str, str]:
    """The files stored with a published version: the council's file and the shared parts it
    includes, keyed as the bundled ones are (`norfolk/x.yaml`, `shared/y.yaml`)."""
    parts = shared_parts()
    files = {main_file: text}
    for name in protocol.includes:
        files[f"{SHARED_FOLDER}/{name.removeprefix(INCLUDE_PREFIX)}"] = parts[name]
    return files


def problem_rows(problems: tuple[Problem, ...] | list[Problem]) -> list[dict[str, object]]:
    return [
        {
            "path": p.location.path,
            "line": p.location.line,
            "column": p.location.column,
            "message": p.message,
        }
        for p in problems
    ]
