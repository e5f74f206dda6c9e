"""StreamField blocks editors use around the generated guidance (GOV.UK Frontend markup)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    size = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))],
        default="h2",
        label=_("Size"),
    )

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"


class ParagraphBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"], label=_("Text"))

    class Meta:
        icon = "pilcrow"
        template = "cms/blocks/paragraph.html"


class InsetTextBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=["bold", "link"], label=_("Text"))

    class Meta:
        icon = "openquote"
        label = _("Inset text")
        template = "cms/blocks/inset.html"


class WarningTextBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Warning"), max_length=500)

    class Meta:
        icon = "warning"
        label = _("Warning text")
        template = "cms/blocks/warning.html"


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(label=_("Summary"), max_length=200)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"], label=_("Text"))

    class Meta:
        icon = "arrow-down"
        label = _("Details (show and hide)")
        template = "cms/blocks/details.html"


class StepBlock(blocks.StructBlock):
    """A step the council adds to its own explanation, with who does it."""

    title = blocks.CharBlock(label=_("Step"), max_length=200)
    who = blocks.CharBlock(label=_("Who does it"), max_length=200, required=False)
    text = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"], label=_("What happens")
    )

    class Meta:
        icon = "list-ol"
        template = "cms/blocks/step.html"


class ContactBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Team or person"), max_length=200)
    email = blocks.EmailBlock(label=_("Email"), required=False)
    phone = blocks.CharBlock(label=_("Phone"), max_length=40, required=False)

    class Meta:
        icon = "mail"
        template = "cms/blocks/contact.html"


class GuidanceStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    inset = InsetTextBlock()
    warning = WarningTextBlock()
    details = DetailsBlock()
    step = StepBlock()
    contact = ContactBlock()
