"""The isolation-matrix registry: which URLs take which objects, and whose pupils to look for.

The matrix test (`tests/integration/test_isolation_matrix.py`) builds two councils, A and B,
each with one person per role, a partnership and a school. It walks every named URL of the
project and requests it as every role of council B (and anonymously): a URL that names an
object of council A must answer 404 or redirect to sign-in, and no answer may contain the name
of one of council A's pupils.

Each app registers its URLs in a module `tests/**/isolation_urls.py` (found and imported by
`load_registrations()`):

    from tests.isolation import CouncilWorld, register_setup, register_url

    @register_setup
    def add_case(world: CouncilWorld) -> None:
        case = CaseFactory(home_council=world.council, pupil_first_name="Amelia-Rose")
        world.objects["case"] = case
        world.pupil_names.append("Amelia-Rose")

    register_url("casework:case_detail", lambda world: {"case_id": world.objects["case"].pk})

A URL pattern with arguments that is neither registered nor skipped fails the matrix test, so
a new view cannot slip past it. URLs without arguments (lists, dashboards) are requested too:
they may answer 200, but must not show council A's pupils.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenants.models import Council, Membership, Partnership, Role, School, User

KwargsBuilder = Callable[["CouncilWorld"], dict[str, Any]]
SetupHook = Callable[["CouncilWorld"], None]


@dataclass
class CouncilWorld:
    """One council's objects for the matrix: one person per role, a partnership and a school."""

    council: Council
    partnership: Partnership
    school: School
    people: dict[Role, User]
    memberships: dict[Role, Membership]
    # Apps add their own objects here ("case": ...) in their setup hooks.
    objects: dict[str, Any] = field(default_factory=dict)
    # Names that must never appear in a response to another council's people.
    pupil_names: list[str] = field(default_factory=list)


URL_KWARGS: dict[str, KwargsBuilder] = {}
SETUP_HOOKS: list[SetupHook] = []
# Prefixes of URL names (namespace:name) or paths left out, each with the reason.
SKIPPED_NAMES: dict[str, str] = {}
SKIPPED_PATHS: dict[str, str] = {}


def register_url(name: str, kwargs_for: KwargsBuilder) -> None:
    """Say how to build the URL arguments of `name` for council A's objects."""
    URL_KWARGS[name] = kwargs_for


def register_setup(hook: SetupHook) -> SetupHook:
    """Add objects (and pupil names) to each council's world; usable as a decorator."""
    SETUP_HOOKS.append(hook)
    return hook


def skip_name(prefix: str, reason: str) -> None:
    SKIPPED_NAMES[prefix] = reason


def skip_path(prefix: str, reason: str) -> None:
    SKIPPED_PATHS[prefix] = reason


_loaded = False


def load_registrations() -> None:
    """Import every `isolation_urls.py` under tests/, once."""
    global _loaded
    if _loaded:
        return
    tests_dir = Path(__file__).resolve().parent
    for path in sorted(tests_dir.rglob("isolation_urls.py")):
        module = ".".join(path.relative_to(tests_dir.parent).with_suffix("").parts)
        importlib.import_module(module)
    _loaded = True
