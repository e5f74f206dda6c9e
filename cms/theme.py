"""A council's colours as CSS, with a text colour that keeps WCAG 2.2 AA contrast."""

from __future__ import annotations

import re

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
BLACK = "#0b0c0c"
WHITE = "#ffffff"
DEFAULT_COLOUR = "#1d70b8"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(background: str) -> str:
    """White or near-black, whichever reads better on the council's colour."""
    return (
        WHITE if contrast_ratio(background, WHITE) >= contrast_ratio(background, BLACK) else BLACK
    )


def council_theme_css(brand_colour: str) -> str:
    colour = brand_colour if _HEX.match(brand_colour or "") else DEFAULT_COLOUR
    text = text_colour_on(colour)
    return (
        f".fairway-council-header {{ background-color: {colour}; border-bottom-color: {colour}; }}\n"
        f".fairway-council-header .govuk-header__link, .fairway-council-header .govuk-header__link:visited,"
        f" .fairway-council-header .govuk-header__logotype-text {{ color: {text}; }}\n"
        f".fairway-council-header .govuk-header__link:focus {{ color: {BLACK}; }}\n"
        f".fairway-council-rule {{ border-top: 5px solid {colour}; }}\n"
    )
