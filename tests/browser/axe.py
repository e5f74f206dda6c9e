"""axe-core in the page: WCAG 2.2 AA violations, described for an assertion message."""

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    # Injected as an inline script: the page's context must bypass its (rightly strict) CSP.
    page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        AXE_TAGS,
    )
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}" for v in violations
    )
