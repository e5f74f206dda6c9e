"""A small valid calendar in Fairway's YAML format, for tests that need one stored."""

from protocols.models import CouncilCalendar
from protocols.services import council_calendar_save
from tenants.models import Council


def calendar_yaml(
    *, slug: str, council: str, provisional: bool = True, autumn_end: str = "2026-12-18"
) -> str:
    flag = (
        "provisional: true\nprovisional_reason: Test dates, not a council's.\n"
        if provisional
        else ""
    )
    return (
        f"calendar: {slug}\ncouncil: {council}\ntitle: {council.title()} term dates\n"
        f"region: england-and-wales\n{flag}sources:\n  - title: Test\n"
        f"terms:\n  - {{name: Autumn 2026, start: 2026-09-03, end: {autumn_end}}}\n"
        "closures:\n  - {name: Autumn half-term, start: 2026-10-26, end: 2026-10-30}\n"
    )


def stored_calendar(council: Council) -> CouncilCalendar:
    slug = f"{council.slug}-terms"
    return council_calendar_save(
        council=council, yaml_text=calendar_yaml(slug=slug, council=council.slug)
    )
