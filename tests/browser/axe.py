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


class AxeAudit:
    """Runs axe on each page it is asked to check and keeps the violations by label, so a test
    walks every page before failing once with all of them."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.failures: dict[str, str] = {}

    def check(self, label: str) -> None:
        violations = axe_violations(self.page)
        if violations:
            self.failures[label] = describe(violations)

    def report(self) -> str:
        return "\n\n".join(f"{label}\n{text}" for label, text in self.failures.items())


def staff_sign_in(page: Any, base_url: str, *, email: str, password: str) -> None:
    """Sign in through the real form (two-factor switched off by the test) and land on My cases."""
    page.goto(f"{base_url}/account/login/?next=/cases/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My cases").wait_for()
