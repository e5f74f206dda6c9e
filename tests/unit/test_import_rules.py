"""Imports run one way: the rules of docs QUALITY.md ("Imports run one way") on the import graph.

    protocols/core   imports nothing of Fairway and no Django (stdlib and a few pure libraries)
    protocols        may use tenants; never case work (fairway.*, except the shared
                     fairway.errors) or cms
    tenants          never names case work or cms, not even in a template's {% url %}
    cms              never reads case data: no import of fairway.casework
    case work        uses all three

The source is read with `ast` and the templates as text: nothing is imported, no Django is set
up. An import counts wherever it is written (inside a function, under TYPE_CHECKING), and so do
`import_module("...")`, `apps.get_model("app", ...)`, lazy model references such as
`ForeignKey("casework.Case")` and migration dependencies.
"""

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Third-party libraries protocols/core may use: pure Python data libraries that need no Django.
# Add one here only if that stays true.
CORE_THIRD_PARTY = frozenset({"yaml", "jsonschema", "referencing", "holidays"})

# Django app labels, for lazy model references and migration dependencies.
APP_LABELS = {"casework": "fairway.casework", "cms": "cms"}

# Known breaks of the rules, as {(importing module, imported module): why}. Empty today: keep it
# so, or say here why an exception is needed and which issue removes it.
EXCEPTIONS: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    where: str  # path:line
    importer: str  # dotted module name of the file
    module: str  # dotted name imported (for `from a import b`, both `a` and `a.b` are listed)

    def __str__(self) -> str:
        return f"{self.where}: {self.importer} imports {self.module}"


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT)
    if relative.parts[0] == "platform":  # platform/ is on the path, not a package
        relative = relative.relative_to("platform")
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(*, package: str, level: int, module: str | None) -> str:
    if not level:
        return module or ""
    base = package.split(".")[: len(package.split(".")) - (level - 1)]
    return ".".join([*base, *([module] if module else [])])


def _string(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _imports_in(source: str, *, package: str) -> Iterator[tuple[int, str]]:
    """(line, dotted module) for each import in the source of a module of `package`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(package=package, level=node.level, module=node.module)
            yield node.lineno, base
            for alias in node.names:
                if alias.name != "*":
                    yield node.lineno, f"{base}.{alias.name}"
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = _string(node.args[0])
            if first is None:
                continue
            if called in {"import_module", "__import__"}:
                yield node.lineno, first
            elif called == "get_model":
                label = first.partition(".")[0]
                if label in APP_LABELS:
                    yield node.lineno, f"{APP_LABELS[label]}.models"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # "casework.Case" as a lazy model reference.
            match = re.fullmatch(r"(\w+)\.[A-Z]\w*", node.value)
            if match and match[1] in APP_LABELS:
                yield node.lineno, f"{APP_LABELS[match[1]]}.models"
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
            # ("casework", "0003_...") in a migration's dependencies.
            app, migration = (_string(element) for element in node.elts)
            if app in APP_LABELS and migration and re.match(r"\d{4}_", migration):
                yield node.lineno, f"{APP_LABELS[app]}.migrations"


def imports_of(folder: str) -> list[Import]:
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        importer = _module_name(path)
        package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
        for line, module in _imports_in(path.read_text(encoding="utf-8"), package=package):
            if (importer, module) not in EXCEPTIONS:
                where = f"{path.relative_to(ROOT)}:{line}"
                found.append(Import(where=where, importer=importer, module=module))
    return found


def _within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _breaks(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    found = imports_of(folder)
    assert found, f"no imports found under {folder}: has it moved?"
    return [str(i) for i in found if _within(i.module, forbidden)]


def test_protocol_core_imports_only_the_standard_library_and_pure_libraries() -> None:
    allowed = sys.stdlib_module_names | CORE_THIRD_PARTY
    breaks = [
        str(i)
        for i in imports_of("protocols/core")
        if not _within(i.module, ("protocols.core",)) and i.module.split(".")[0] not in allowed
    ]
    assert breaks == [], "protocols/core is pure: no Django, nothing of Fairway outside it"


# What every app may import from the project container: the one error base (fairway/errors.py).
SHARED = ("fairway.errors",)


def test_protocols_use_tenants_but_never_case_work_or_cms() -> None:
    breaks = _breaks("protocols", ("fairway", "cms"))
    assert [b for b in breaks if not any(f"imports {m}" in b for m in SHARED)] == []


def test_tenants_never_import_case_work_or_cms() -> None:
    assert _breaks("tenants", ("fairway.casework", "cms")) == []


def test_cms_never_reads_case_data() -> None:
    assert _breaks("cms", ("fairway.casework",)) == []


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


TAG = re.compile(r"\{%\s*(url|load|extends|include)\s+(.*?)\s*%\}", re.DOTALL)


def _template_names(folder: str) -> Iterator[tuple[str, str, str]]:
    """(path:line, tag, what it names) for each {% url/load/extends/include %} in the folder."""
    for path in sorted((ROOT / folder).rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in TAG.finditer(text):
            where = f"{_shown(path)}:{text.count(chr(10), 0, match.start()) + 1}"
            tag, rest = match[1], match[2]
            if tag == "load":
                for library in rest.split():
                    if library == "from":
                        break
                    yield where, tag, library
            else:
                yield where, tag, rest.split()[0].strip("'\"") if rest else ""


def _template_breaks(folder: str, *, apps: tuple[str, ...], links: bool = False) -> list[str]:
    """What the folder's templates use of the apps: their URL names (unless `links` are allowed),
    tag libraries and templates. cms's URL names and tag libraries are Wagtail's too."""
    wagtail = ("wagtail",) if "cms" in apps else ()
    url_names = tuple(f"{app}:" for app in apps) + wagtail
    libraries = tuple(f"{app}_" for app in apps) + wagtail
    templates = tuple(f"{app}/" for app in apps)
    assert any((ROOT / folder).rglob("*.html")), f"no templates under {folder}: have they moved?"
    breaks = []
    for where, tag, name in _template_names(folder):
        if (
            (tag == "url" and not links and name.startswith(url_names))
            or (tag == "load" and name.startswith(libraries))
            or (tag in {"extends", "include"} and name.startswith(templates))
        ):
            breaks.append(f"{where}: {{% {tag} {name} %}}")
    if not links:  # a URL name written anywhere else, e.g. {% firstof 'casework:...' %}
        for path in sorted((ROOT / folder).rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            for number, line in enumerate(text.splitlines(), start=1):
                breaks.extend(
                    f"{_shown(path)}:{number}: names {app}:"
                    for app in apps
                    if re.search(rf"""['"]{app}:""", line) and "{% url" not in line
                )
    return breaks


@pytest.mark.parametrize("folder", ["tenants/templates", "protocols/templates"])
def test_tenant_and_protocol_templates_never_name_case_work_or_cms(folder: str) -> None:
    breaks = _template_breaks(folder, apps=("casework", "cms"))
    assert breaks == [], "case work adds its links to the council page through tenants.menu"


def test_cms_templates_never_read_case_data() -> None:
    # A link to a case work page reads nothing; its template tags and templates would.
    assert _template_breaks("cms/templates", apps=("casework",), links=True) == []


def test_the_walker_sees_an_import_written_any_way() -> None:
    source = (
        "from .models import Council\n"
        "from . import access\n"
        "from ..fairway.casework import selectors\n"
        "def f():\n"
        "    import_module('cms.models')\n"
        "    apps.get_model('casework', 'Case')\n"
        "case = ForeignKey('casework.Case', on_delete=CASCADE)\n"
        "dependencies = [('casework', '0003_case_version')]\n"
    )
    found = {module for _, module in _imports_in(source, package="tenants.management")}
    assert {"tenants.management.models.Council", "tenants.management.access"} <= found
    assert {"tenants.fairway.casework.selectors", "cms.models"} <= found
    assert {"fairway.casework.models", "fairway.casework.migrations"} <= found


def test_the_template_reader_sees_each_way_of_naming_case_work(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text(
        "{% load i18n casework_govuk %}\n"
        "<a href=\"{% url 'casework:register' council.slug %}\">Register</a>\n"
        '{% include "casework/_case_row.html" %}\n'
        "{% url 'wagtail_serve' '' %}\n",
        encoding="utf-8",
    )
    breaks = _template_breaks(str(folder), apps=("casework", "cms"))
    assert [b.split(": ", 1)[1] for b in breaks] == [
        "{% load casework_govuk %}",
        "{% url casework:register %}",
        "{% include casework/_case_row.html %}",
        "{% url wagtail_serve %}",
    ]
