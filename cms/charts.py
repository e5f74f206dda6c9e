"""Bar charts of published figures as server-rendered SVG: every bar carries its label and its
number in text (so colour is never the only cue), and a hidden figure is written "c", not drawn.
The same figures are in the table beside each chart."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 640
LABEL = 230  # width of the series labels
BAR_LEFT = LABEL + 10
BAR_MAX = WIDTH - BAR_LEFT - 60  # room for the number after the longest bar
BAR = 16
LINE = 24
GROUP_HEAD = 28
INK = "#0b0c0c"
SECONDARY_INK = "#505a5f"
# GOV.UK colours, each at least 3:1 against white (WCAG 1.4.11, non-text contrast).
COLOURS = ("#1d70b8", "#28a197", "#d4351c", "#505a5f", "#4c2c92", "#f47738")


def _text(x: float, y: float, text: str, *, anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="700"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="15"{weight} '
        f'fill="{INK}">{escape(text)}</text>'
    )


def bar_chart(
    *,
    title: str,
    series: Sequence[str],
    groups: Sequence[tuple[str, Sequence[int | str]]],
    title_id: str,
) -> SafeString:
    """Horizontal bars: for each group (a table row), one bar per series (a table column)."""
    numbers = [v for _label, values in groups for v in values if isinstance(v, int)]
    top = max(numbers, default=0) or 1
    height = len(groups) * (GROUP_HEAD + LINE * len(series)) + 10
    parts = [
        f'<svg class="fairway-chart__svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
    y = 0.0
    for label, values in groups:
        y += GROUP_HEAD
        if len(groups) > 1:
            parts.append(_text(0, y - 8, label, bold=True))
        for index, name in enumerate(series):
            value = values[index]
            middle = y + LINE / 2
            parts.append(_text(LABEL, middle + 5, name, anchor="end"))
            if isinstance(value, int):
                length = BAR_MAX * value / top
                if value:
                    parts.append(
                        f'<rect x="{BAR_LEFT}" y="{middle - BAR / 2:.1f}" width="{length:.1f}" '
                        f'height="{BAR}" fill="{COLOURS[index % len(COLOURS)]}"/>'
                    )
                parts.append(_text(BAR_LEFT + length + 6, middle + 5, str(value), bold=True))
            else:
                parts.append(
                    f'<text x="{BAR_LEFT}" y="{middle + 5:.1f}" font-size="15" '
                    f'fill="{SECONDARY_INK}">{escape(_("c (not shown)"))}</text>'
                )
            y += LINE
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
