"""The milestone timeline as an accessible SVG: week numbers are written, shapes are not colour alone."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cms.guidance import TimelineView

WIDTH = 640
HEADER = 56
ROW = 60
PAD = 8
INK = "#0b0c0c"
MARK = "#1d70b8"
GRID = "#b1b4b6"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = 16,
    bold: bool = False,
    fill: str = INK,
) -> str:
    weight = ' font-weight="700"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{weight} fill="{fill}">'
        f"{escape(text)}</text>"
    )


def timeline_svg(view: TimelineView, *, title_id: str, desc_id: str) -> SafeString:
    weeks = view.weeks or (0,)
    column = (WIDTH - 2 * PAD) / len(weeks)
    height = HEADER + ROW * len(view.plan.placed) + PAD

    def centre(week: int) -> float:
        return PAD + column * (weeks.index(week) + 0.5)

    parts = [
        f'<svg class="fairway-timeline__svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(_("Milestones by school week, from the first day"))}</title>',
        f'<desc id="{desc_id}">{escape(view.summary)}</desc>',
        _text(PAD, 18, _("School week"), bold=True, size=15),
    ]
    for week in weeks:
        x = centre(week)
        label = _("Before") if week == 0 else str(week)
        parts.append(_text(x, 44, label, anchor="middle", size=13 if week == 0 else 15, bold=True))
        parts.append(
            f'<line x1="{x:.1f}" y1="{HEADER - 4}" x2="{x:.1f}" y2="{height - PAD}" stroke="{GRID}" '
            f'stroke-width="1" stroke-dasharray="2 4"/>'
        )
    for index, placed in enumerate(view.plan.placed):
        top = HEADER + ROW * index
        label = placed.label + (" " + _("(legal requirement)") if placed.statutory else "")
        parts.append(_text(PAD, top + 18, label, size=15))
        y = top + 40
        for week in sorted(set(placed.weeks)):
            x = centre(week)
            if placed.statutory:
                # A diamond marks a legal requirement; the label says so too.
                parts.append(
                    f'<polygon points="{x:.1f},{y - 11} {x + 11:.1f},{y} {x:.1f},{y + 11} {x - 11:.1f},{y}" '
                    f'fill="{INK}"/>'
                )
            else:
                parts.append(f'<circle cx="{x:.1f}" cy="{y}" r="10" fill="{MARK}"/>')
        if placed.extendable_by_weeks and placed.weeks:
            last = max(placed.weeks)
            first_extra, last_extra = last + 1, last + placed.extendable_by_weeks
            if first_extra in weeks and last_extra in weeks:
                left = centre(first_extra) - column / 2 + 2
                right = centre(last_extra) + column / 2 - 2
                parts.append(
                    f'<rect x="{left:.1f}" y="{y - 12}" width="{right - left:.1f}" height="24" fill="none" '
                    f'stroke="{INK}" stroke-width="2" stroke-dasharray="6 4"/>'
                )
                parts.append(
                    _text(
                        (left + right) / 2,
                        y + 5,
                        _("possible extension: up to %(n)s weeks")
                        % {"n": placed.extendable_by_weeks},
                        anchor="middle",
                        size=14,
                    )
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
