"""Council text is data: Markdown is sanitised; colours keep contrast; the diagram escapes labels."""

from dataclasses import replace
from pathlib import Path

import pytest

from cms.diagram import timeline_svg
from cms.guidance import due_in_words, render_markdown, timeline
from cms.theme import BLACK, WHITE, contrast_ratio, council_theme_css, text_colour_on
from protocols.core.loader import load_protocol
from protocols.core.model import Protocol

NORFOLK_V1 = (
    Path(__file__).resolve().parents[3]
    / "protocols/bundled/norfolk/managed-moves-v1-behaviour-trial.yaml"
)


@pytest.fixture(scope="module")
def norfolk_v1() -> Protocol:
    return load_protocol(str(NORFOLK_V1))


def test_markdown_is_sanitised_and_given_govuk_classes() -> None:
    html = render_markdown(
        "Hello **there** <script>alert(1)</script> [x](javascript:alert(1)) "
        "<img src=x onerror=alert(1)>\n\n- one\n- two"
    )
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert '<p class="govuk-body">Hello <strong>there</strong>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html


@pytest.mark.parametrize(
    "colour", ["#ffdd00", "#00558c", "#009a44", "#c8102e", "#1d70b8", "#ffffff", "#000000"]
)
def test_header_text_always_meets_aa_contrast(colour: str) -> None:
    assert contrast_ratio(colour, text_colour_on(colour)) >= 4.5


def test_a_bad_colour_falls_back_to_govuk_blue() -> None:
    css = council_theme_css("red; } body { display: none")
    assert "display: none" not in css and "#1d70b8" in css
    assert text_colour_on("#1d70b8") == WHITE and text_colour_on("#ffdd00") == BLACK


def test_rules_read_in_words(norfolk_v1: Protocol) -> None:
    assert due_in_words(norfolk_v1, "2 school days before start") == (
        "2 school days before the first day at the receiving school"
    )
    assert due_in_words(norfolk_v1, "5 school days after outcome_decided") == (
        "5 school days after the decision on the outcome"
    )
    assert due_in_words(norfolk_v1, "every 1 school weeks from start until trial_end") == (
        "every week until the end of the trial"
    )
    assert due_in_words(norfolk_v1, "every 2 school weeks from start until trial_end") == (
        "every 2 school weeks until the end of the trial"
    )


def test_diagram_escapes_labels_and_names_weeks(norfolk_v1: Protocol) -> None:
    review = norfolk_v1.milestone("review")
    hostile = replace(
        norfolk_v1,
        milestones=tuple(
            replace(m, label="<b>Review</b> & more") if m.key == "review" else m
            for m in norfolk_v1.milestones
        ),
    )
    svg = timeline_svg(timeline(hostile), title_id="t", desc_id="d")
    assert "<b>" not in svg and "&lt;b&gt;Review&lt;/b&gt; &amp; more" in svg
    assert 'aria-labelledby="t d"' in svg and ">Before<" in svg and ">14<" in svg
    assert review.label == "Review meeting"
