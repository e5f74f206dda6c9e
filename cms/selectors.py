"""Reads for the public guidance sites. Guidance is public: anyone may read a live page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString
from wagtail.models import Page

from cms import guidance
from cms.diagram import timeline_svg
from cms.models import (
    CouncilHomePage,
    FairwayIndexPage,
    NoticeIndexPage,
    NoticePage,
    ProtocolGuidancePage,
    ProtocolIndexPage,
)
from protocols.core.changes import describe_changes
from protocols.core.model import Protocol
from protocols.models import ProtocolVersion


def council_home_list(*, index: FairwayIndexPage) -> QuerySet[CouncilHomePage]:
    return (
        CouncilHomePage.objects.child_of(index)
        .live()
        .public()
        .select_related("council")
        .order_by("council__name")
    )


def council_home_of(*, page: Page) -> CouncilHomePage | None:
    """The council site a page belongs to (its nearest CouncilHomePage ancestor, or itself)."""
    return (
        CouncilHomePage.objects.ancestor_of(page, inclusive=True)
        .select_related("council")
        .order_by("-depth")
        .first()
    )


@dataclass(frozen=True)
class HomeSection:
    page: Page
    in_force: VersionLink | None
    summary: str


def council_home_sections(
    *, home: CouncilHomePage, request: HttpRequest | None = None
) -> list[HomeSection]:
    """The council site's sections; for each protocol, the version in force and its summary."""
    today = timezone.localdate()
    sections = []
    for page in home.get_children().live().public().specific().order_by("path"):
        in_force, summary = None, ""
        if isinstance(page, ProtocolIndexPage):
            links = _version_links(page, today, request)
            in_force = next((v for v in links if v.status == "in_force"), None)
            if in_force is not None:
                version = ProtocolVersion.objects.get(
                    slug=page.protocol_slug, version=in_force.version
                )
                summary = version.load().summary or ""
        sections.append(HomeSection(page=page, in_force=in_force, summary=summary))
    return sections


def search_terms(query: str) -> str:
    """Words only: quotes and brackets would be read as full-text query syntax by the database."""
    return " ".join(re.findall(r"\w+", query))[:200]


def guidance_search(*, home: CouncilHomePage, query: str) -> list[Page]:
    """Search the council's own site only: guidance, generated text and notices."""
    terms = search_terms(query)
    if not terms:
        return []
    pages = Page.objects.live().public().descendant_of(home, inclusive=True)
    return [result.specific for result in pages.search(terms)[:50]]


@dataclass(frozen=True)
class VersionLink:
    version: int
    title: str
    url: str
    effective_from: date
    effective_until: date | None
    status: str  # "in_force" | "superseded" | "future"
    effective_from_assumed: bool = False


def _status(version: ProtocolVersion, versions: list[ProtocolVersion], today: date) -> str:
    if version.effective_from > today:
        return "future"
    if version.effective_until is not None and version.effective_until < today:
        return "superseded"
    later_in_force = any(
        v.version > version.version and v.effective_from <= today for v in versions
    )
    return "superseded" if later_in_force else "in_force"


def _version_links(
    index: ProtocolIndexPage, today: date, request: HttpRequest | None
) -> list[VersionLink]:
    pages = list(
        ProtocolGuidancePage.objects.child_of(index)
        .live()
        .public()
        .select_related("protocol_version")
        .order_by("-protocol_version__version")
    )
    versions = [p.protocol_version for p in pages]
    return [
        VersionLink(
            version=p.protocol_version.version,
            title=p.title,
            url=p.get_url(request) or "",
            effective_from=p.protocol_version.effective_from,
            effective_until=p.protocol_version.effective_until,
            status=_status(p.protocol_version, versions, today),
            effective_from_assumed=p.protocol_version.effective_from_assumed,
        )
        for p in pages
    ]


@dataclass(frozen=True)
class ProtocolIndexView:
    council_home: CouncilHomePage | None
    versions: list[VersionLink]
    in_force: VersionLink | None


def protocol_index_view(
    *, page: ProtocolIndexPage, request: HttpRequest | None = None, today: date | None = None
) -> ProtocolIndexView:
    links = _version_links(page, today or timezone.localdate(), request)
    return ProtocolIndexView(
        council_home=council_home_of(page=page),
        versions=links,
        in_force=next((v for v in links if v.status == "in_force"), None),
    )


@dataclass(frozen=True)
class SectionLink:
    name: str
    title: str
    url: str
    current: bool


@dataclass(frozen=True)
class GuidanceView:
    council_home: CouncilHomePage | None
    protocol: Protocol
    version: ProtocolVersion
    status: str
    versions: list[VersionLink]
    superseded_by: VersionLink | None
    previous: ProtocolVersion | None
    changes: list[str]  # generated from the two versions' structure
    council_changes: list[str]  # the council's own words (the YAML's `changes:`)
    sections: list[SectionLink]
    index_title: str
    index_url: str
    section: str
    section_title: str
    extra: dict[str, Any]


def _section_titles() -> dict[str, str]:
    from django.utils.translation import gettext as _

    return {
        "overview": _("Overview"),
        "step_by_step": _("Step by step"),
        "timeline": _("Timeline"),
        "forms": _("Forms you will be asked for"),
        "special_routes": _("Special routes"),
    }


def _section_extra(protocol: Protocol, section: str) -> dict[str, Any]:
    """What one section of the generated guidance shows besides the common parts."""
    extra: dict[str, Any]
    if section == "step_by_step":
        extra = {
            "steps": guidance.steps(protocol),
            "endings": guidance.endings(protocol),
            "extensions": guidance.extensions(protocol),
            "requirements": guidance.requirements(protocol),
        }
    elif section == "timeline":
        timeline = guidance.timeline(protocol)
        svg: SafeString = timeline_svg(timeline, title_id="timeline-title", desc_id="timeline-desc")
        extra = {"timeline": timeline, "svg": svg}
    elif section == "forms":
        extra = {"forms": guidance.forms(protocol)}
    elif section == "special_routes":
        extra = {"routes": guidance.routes(protocol)}
    else:
        extra = {
            "summary": protocol.summary or "",
            "roles": [(r.label, r.description or "") for r in protocol.roles],
            "outcomes": guidance.outcomes(protocol),
            "sources": protocol.sources,
        }
    return extra


def guidance_view(
    *,
    page: ProtocolGuidancePage,
    section: str,
    request: HttpRequest | None = None,
    today: date | None = None,
) -> GuidanceView:
    """Everything a section of one version's guidance shows, built from the stored protocol."""
    today = today or timezone.localdate()
    version = page.protocol_version
    protocol = version.load()
    index = page.get_parent().specific
    versions = _version_links(index, today, request) if isinstance(index, ProtocolIndexPage) else []
    mine = next((v for v in versions if v.version == version.version), None)
    status = mine.status if mine else _status(version, [version], today)
    newer_in_force = [v for v in versions if v.version > version.version and v.status != "future"]
    previous = (
        ProtocolVersion.objects.filter(slug=version.slug, version__lt=version.version)
        .order_by("-version")
        .first()
    )
    # describe_changes ends with the council's own list; the page shows the two apart.
    changes = describe_changes(previous.load(), protocol) if previous is not None else []
    titles = _section_titles()
    base = page.get_url(request) or ""
    sections = [
        SectionLink(name=name, title=titles[name], url=base + sub_path, current=name == section)
        for name, sub_path, _template in page.SECTIONS
    ]
    extra = _section_extra(protocol, section)
    return GuidanceView(
        council_home=council_home_of(page=page),
        protocol=protocol,
        version=version,
        status=status,
        versions=versions,
        superseded_by=newer_in_force[-1] if status == "superseded" and newer_in_force else None,
        previous=previous,
        changes=changes[: len(changes) - len(protocol.changes)],
        council_changes=changes[len(changes) - len(protocol.changes) :],
        sections=sections,
        index_title=index.title,
        index_url=index.get_url(request) or "",
        section=section,
        section_title=titles[section],
        extra=extra,
    )


@dataclass(frozen=True)
class NoticeIndexView:
    council_home: CouncilHomePage | None
    notices: list[NoticePage]
    query: str
    include_expired: bool
    expired_count: int


def notice_index_view(
    *, index: NoticeIndexPage, query: str, include_expired: bool, today: date | None = None
) -> NoticeIndexView:
    today = today or timezone.localdate()
    notices = NoticePage.objects.child_of(index).live().public()
    current = Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    expired_count = notices.exclude(current).count()
    if not include_expired:
        notices = notices.filter(current)
    terms = search_terms(query)
    if terms:
        found = list(notices.search(terms)[:100])
        results = sorted(found, key=lambda n: n.published_on, reverse=True)
    else:
        results = list(notices.order_by("-published_on"))
    return NoticeIndexView(
        council_home=council_home_of(page=index),
        notices=results,
        query=query,
        include_expired=include_expired,
        expired_count=expired_count,
    )


HIDDEN = "c"  # the DfE's symbol for a suppressed figure, as case work publishes it


@dataclass(frozen=True)
class FigureRow:
    label: str
    cells: list[object]


@dataclass(frozen=True)
class FigureTable:
    id: str
    title: str
    row_heading: str
    columns: list[str]
    rows: list[FigureRow]
    total: FigureRow | None
    chart: SafeString | None


@dataclass(frozen=True)
class FigureYear:
    year: int
    label: str
    moves: object
    tables: list[FigureTable]


@dataclass(frozen=True)
class FairAccessView:
    council_home: CouncilHomePage | None
    published: bool
    updated_at: Any  # datetime | None
    route_label: str
    years: list[FigureYear]


def _figure_table(year: int, table: dict[str, Any]) -> FigureTable:
    from cms.charts import bar_chart

    table_id = f"figures-{year}-{table['key']}"
    rows = [FigureRow(label=str(r["label"]), cells=list(r["cells"])) for r in table["rows"]]
    total = table.get("total")
    total_row = FigureRow(label=str(total["label"]), cells=list(total["cells"])) if total else None
    chart = None
    if table.get("chart"):
        series = [int(i) for i in table["chart"]["series"]]
        groups = [(r.label, [r.cells[i] for i in series]) for r in rows] or (
            [(total_row.label, [total_row.cells[i] for i in series])] if total_row else []
        )
        chart = bar_chart(
            title=f"{table['title']}, {register_label(year)}",
            series=[str(table["columns"][i]) for i in series],
            groups=[
                (label, [v if isinstance(v, int) else HIDDEN for v in vs]) for label, vs in groups
            ],
            title_id=f"{table_id}-chart",
        )
    return FigureTable(
        id=table_id,
        title=str(table["title"]),
        row_heading=str(table["row_heading"]),
        columns=[str(c) for c in table["columns"]],
        rows=rows,
        total=total_row,
        chart=chart,
    )


def register_label(year: int) -> str:
    return f"{year}/{str(year + 1)[-2:]}"


def fair_access_view(*, page: Page) -> FairAccessView:
    """What the data page shows: the council's published figures (plain data written by case
    work), each table with its chart. Nothing here reads a case."""
    from cms.models import FairAccessData

    home = council_home_of(page=page)
    data = FairAccessData.objects.filter(council_id=home.council_id).first() if home else None
    figures = data.figures if data else {}
    return FairAccessView(
        council_home=home,
        published=data is not None,
        updated_at=data.updated_at if data else None,
        route_label=str(figures.get("route_label", "")),
        years=figure_years(figures=figures),
    )


def figure_years(*, figures: dict[str, Any]) -> list[FigureYear]:
    """Published figures (case work's snapshot) as the years, tables and charts a page shows;
    also used for the council admin's preview before publishing."""
    return [
        FigureYear(
            year=int(y["year"]),
            label=str(y["label"]),
            moves=y["moves"],
            tables=[_figure_table(int(y["year"]), t) for t in y["tables"]],
        )
        for y in figures.get("years", [])
    ]


CSV_NOTE = (
    "c: not shown, because the number is from 1 to 4, or because it would let such a number "
    "be worked out from a total"
)


def fair_access_csv(*, view: FairAccessView) -> str:
    """The published figures as one tidy CSV table (one figure a line), with the DfE's `c` for
    a hidden figure and a note column saying what it means on every such line."""
    import csv
    import io

    from tenants.exports import safe_cell

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "time_period",
            "time_identifier",
            "council",
            "table",
            "breakdown",
            "measure",
            "value",
            "note",
        ]
    )
    council = view.council_home.council.name if view.council_home else ""
    for year in view.years:
        period = f"{year.year}{str(year.year + 1)[-2:]}"
        for table in year.tables:
            for row in [*table.rows, *([table.total] if table.total else [])]:
                for column, value in zip(table.columns, row.cells, strict=True):
                    if value == "":
                        continue
                    writer.writerow(
                        [
                            safe_cell(cell if isinstance(cell, int | float) else str(cell))
                            for cell in (
                                period,
                                "Academic year",
                                council,
                                table.title,
                                row.label,
                                column,
                                value,
                                CSV_NOTE if value == HIDDEN else "",
                            )
                        ]
                    )
    return out.getvalue()


def guidance_preview_view(
    *,
    council_home: CouncilHomePage | None,
    protocol: Protocol,
    previous: ProtocolVersion,
    section: str,
    base_url: str,
) -> GuidanceView:
    """A draft's guidance as the public will see it once published, for its council's admins:
    the same sections from the draft's protocol, marked as a preview (nothing is public)."""
    version = ProtocolVersion(
        council_id=previous.council_id,
        slug=protocol.slug,
        version=protocol.version,
        title=protocol.title,
        effective_from=protocol.effective_from,
    )
    titles = _section_titles()
    changes = describe_changes(previous.load(), protocol)
    sections = [
        SectionLink(name=name, title=titles[name], url=base_url + sub_path, current=name == section)
        for name, sub_path, _template in ProtocolGuidancePage.SECTIONS
    ]
    return GuidanceView(
        council_home=council_home,
        protocol=protocol,
        version=version,
        status="preview",
        versions=[],
        superseded_by=None,
        previous=previous,
        changes=changes[: len(changes) - len(protocol.changes)],
        council_changes=changes[len(changes) - len(protocol.changes) :],
        sections=sections,
        index_title=_section_titles()["overview"],
        index_url=base_url,
        section=section,
        section_title=titles[section],
        extra=_section_extra(protocol, section),
    )
