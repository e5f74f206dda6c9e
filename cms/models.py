"""Public guidance sites: one Wagtail Site per council, pages generated from its protocol versions.

The tree is  FairwayIndexPage (the default site: lists councils)
               -> CouncilHomePage (root of a council's own Site; also reachable as /<council>/)
                    -> ProtocolIndexPage (/managed-moves/: every version of one protocol)
                         -> ProtocolGuidancePage (/v1/, /v2/: one stored ProtocolVersion each)
                    -> NoticeIndexPage -> NoticePage
                    -> FairAccessDataPage (/managed-moves/data/: under the protocol's page, or
                       under the home page when the council has no protocol)
Generated parts are rendered from the stored protocol at request time; editors write their own
StreamField content around them, with Wagtail's revisions and per-council moderation.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import GuidanceStreamBlock


class FairwayIndexPage(Page):
    """The default site's home: a list of the councils' guidance sites, by path prefix."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.CouncilHomePage"]
    max_count = 1
    template = "cms/fairway_index_page.html"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms.selectors import council_home_list

        context = super().get_context(request, *args, **kwargs)
        context["council_homes"] = council_home_list(index=self)
        return context


class CouncilHomePage(RoutablePageMixin, Page):
    """The root of one council's guidance site, in the council's name and colours."""

    council = models.OneToOneField(
        "tenants.Council",
        on_delete=models.PROTECT,
        related_name="guidance_home",
        verbose_name=_("council"),
    )
    intro = StreamField(GuidanceStreamBlock(), blank=True, verbose_name=_("introduction"))

    # The council is fixed when the site is set up (cms.services): an editor must never move a
    # site to another council.
    content_panels = [
        *Page.content_panels,
        FieldPanel("council", read_only=True),
        FieldPanel("intro"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page", "cms.FairwayIndexPage"]
    subpage_types = ["cms.ProtocolIndexPage", "cms.NoticeIndexPage", "cms.FairAccessDataPage"]
    template = "cms/council_home_page.html"
    is_creatable = False  # made by cms.services.council_site_ensure, with its Site and editors

    class Meta:
        verbose_name = _("council home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms.selectors import council_home_sections

        context = super().get_context(request, *args, **kwargs)
        context["council_home"] = self
        context["sections"] = council_home_sections(home=self, request=request)
        return context

    @path("")
    def home(self, request: HttpRequest) -> HttpResponse:
        return self.render(request)

    @path("search/", name="search")
    def search(self, request: HttpRequest) -> HttpResponse:
        from cms.selectors import guidance_search

        query = request.GET.get("q", "").strip()[:200]
        context = self.get_context(request)
        context["query"] = query
        context["results"] = guidance_search(home=self, query=query) if query else []
        return TemplateResponse(request, "cms/search.html", context)

    @path("theme/", name="theme")
    def theme(self, request: HttpRequest) -> HttpResponse:
        """The council's colours as a stylesheet (the CSP forbids inline styles)."""
        from cms.theme import council_theme_css

        response = HttpResponse(
            council_theme_css(self.council.brand_colour), content_type="text/css"
        )
        response["Cache-Control"] = "public, max-age=300"
        return response

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list[dict[str, Any]]:
        urls: list[dict[str, Any]] = super().get_sitemap_urls(request)
        urls.append(
            {"location": self.get_full_url(request) + self.reverse_subpage("search").lstrip("/")}
        )
        return urls


class ProtocolIndexPage(Page):
    """Every published version of one protocol, at a stable address such as /managed-moves/."""

    protocol_slug = models.SlugField(
        _("protocol"),
        max_length=80,
        help_text=_("The protocol's slug, e.g. norfolk-managed-moves."),
    )
    intro = StreamField(GuidanceStreamBlock(), blank=True, verbose_name=_("introduction"))

    content_panels = [*Page.content_panels, FieldPanel("protocol_slug"), FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["cms.CouncilHomePage"]
    subpage_types = ["cms.ProtocolGuidancePage", "cms.FairAccessDataPage"]
    template = "cms/protocol_index_page.html"

    class Meta:
        verbose_name = _("protocol versions page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms.selectors import protocol_index_view

        context = super().get_context(request, *args, **kwargs)
        context["view"] = protocol_index_view(page=self, request=request)
        context["council_home"] = context["view"].council_home
        return context


class ProtocolGuidancePage(RoutablePageMixin, Page):
    """Guidance generated from one stored protocol version, with the council's own content around it."""

    protocol_version = models.ForeignKey(
        "protocols.ProtocolVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("protocol version"),
    )
    body_before = StreamField(
        GuidanceStreamBlock(),
        blank=True,
        verbose_name=_("content before the generated guidance"),
    )
    body_after = StreamField(
        GuidanceStreamBlock(),
        blank=True,
        verbose_name=_("content after the generated guidance"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("protocol_version", read_only=True),
        MultiFieldPanel(
            [FieldPanel("body_before"), FieldPanel("body_after")],
            heading=_("The council's own content (the rest is generated from the protocol)"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("body_before"),
        index.SearchField("body_after"),
        index.SearchField("generated_text"),
    ]
    parent_page_types = ["cms.ProtocolIndexPage"]
    subpage_types: list[str] = []
    is_creatable = False  # one per published version, made by cms.services.protocol_guidance_ensure

    # (route name, path, template): the generated sections of one version.
    SECTIONS = (
        ("overview", "", "cms/guidance/overview.html"),
        ("step_by_step", "step-by-step/", "cms/guidance/step_by_step.html"),
        ("timeline", "timeline/", "cms/guidance/timeline.html"),
        ("forms", "forms/", "cms/guidance/forms.html"),
        ("special_routes", "special-routes/", "cms/guidance/special_routes.html"),
    )

    class Meta:
        verbose_name = _("protocol guidance page")

    def clean(self) -> None:
        super().clean()
        parent = self.get_parent()
        index = parent.specific if parent is not None else None
        if isinstance(index, ProtocolIndexPage) and self.protocol_version_id:
            version = self.protocol_version
            home = index.get_parent().specific
            if version.slug != index.protocol_slug or (
                isinstance(home, CouncilHomePage) and version.council_id != home.council_id
            ):
                raise ValidationError(
                    {
                        "protocol_version": _(
                            "Choose a version of this council's protocol %(slug)s."
                        )
                        % {"slug": index.protocol_slug}
                    }
                )

    def generated_text(self) -> str:
        """The generated guidance as plain text, so site search finds it."""
        from cms.guidance import protocol_plain_text

        return protocol_plain_text(self.protocol_version.load())

    def _section(self, request: HttpRequest, name: str) -> HttpResponse:
        from cms.selectors import guidance_view

        template = next(t for n, _p, t in self.SECTIONS if n == name)
        context = self.get_context(request)
        context["view"] = guidance_view(page=self, section=name, request=request)
        context["council_home"] = context["view"].council_home
        return TemplateResponse(request, template, context)

    @path("", name="overview")
    def overview(self, request: HttpRequest) -> HttpResponse:
        return self._section(request, "overview")

    @path("step-by-step/", name="step_by_step")
    def step_by_step(self, request: HttpRequest) -> HttpResponse:
        return self._section(request, "step_by_step")

    @path("timeline/", name="timeline")
    def timeline(self, request: HttpRequest) -> HttpResponse:
        return self._section(request, "timeline")

    @path("forms/", name="forms")
    def forms(self, request: HttpRequest) -> HttpResponse:
        return self._section(request, "forms")

    @path("special-routes/", name="special_routes")
    def special_routes(self, request: HttpRequest) -> HttpResponse:
        return self._section(request, "special_routes")

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list[dict[str, Any]]:
        urls: list[dict[str, Any]] = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        urls += [
            {"location": base + sub_path, "lastmod": self.last_published_at}
            for _name, sub_path, _t in self.SECTIONS
            if sub_path
        ]
        return urls


class NoticeIndexPage(Page):
    """A council's notices: management information sheets and procedure-change notices."""

    intro = StreamField(GuidanceStreamBlock(), blank=True, verbose_name=_("introduction"))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.CouncilHomePage"]
    subpage_types = ["cms.NoticePage"]
    template = "cms/notice_index_page.html"

    class Meta:
        verbose_name = _("notices page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms.selectors import notice_index_view

        context = super().get_context(request, *args, **kwargs)
        view = notice_index_view(
            index=self,
            query=request.GET.get("q", "").strip()[:200],
            include_expired=request.GET.get("expired") == "1",
        )
        context["view"] = view
        context["council_home"] = view.council_home
        return context


class NoticePage(Page):
    reference = models.CharField(
        _("reference"), max_length=40, blank=True, help_text=_("For example MI Sheet 67/23.")
    )
    audience = models.CharField(
        _("audience"), max_length=200, help_text=_("Who the notice is for.")
    )
    published_on = models.DateField(_("publication date"))
    reply_by = models.DateField(_("reply by"), null=True, blank=True)
    expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=_("After this date the notice is listed as expired."),
    )
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    body = StreamField(GuidanceStreamBlock(), verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("reference"),
                FieldPanel("audience"),
                FieldPanel("published_on"),
                FieldPanel("reply_by"),
                FieldPanel("expires_on"),
                FieldPanel("contact"),
            ],
            heading=_("About the notice"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("reference"),
        index.SearchField("audience"),
        index.SearchField("body"),
        index.FilterField("published_on"),
        index.FilterField("expires_on"),
    ]
    parent_page_types = ["cms.NoticeIndexPage"]
    subpage_types: list[str] = []
    template = "cms/notice_page.html"

    class Meta:
        verbose_name = _("notice")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms.selectors import council_home_of

        context = super().get_context(request, *args, **kwargs)
        context["council_home"] = council_home_of(page=self)
        return context


class FairAccessData(models.Model):
    """A council's published Fair Access figures: aggregate counts, already suppressed, as plain
    JSON. Case work computes and writes them (cms never reads case data); cms only renders them.
    There is a row only once a council admin has published the figures."""

    council = models.OneToOneField(
        "tenants.Council",
        on_delete=models.CASCADE,
        related_name="fair_access_data",
        verbose_name=_("council"),
    )
    figures = models.JSONField(_("published figures"), default=dict)
    first_published_at = models.DateTimeField(_("first published at"))
    updated_at = models.DateTimeField(_("last updated at"))

    class Meta:
        verbose_name = _("published Fair Access figures")
        verbose_name_plural = _("published Fair Access figures")

    def __str__(self) -> str:
        return str(_("Fair Access figures of %(council)s") % {"council": self.council})


class FairAccessDataPage(RoutablePageMixin, Page):
    """The council's published Fair Access data: one section per academic year, each figure as
    a chart and a table, and a CSV download. The figures come from `FairAccessData`."""

    intro = StreamField(GuidanceStreamBlock(), blank=True, verbose_name=_("introduction"))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.ProtocolIndexPage", "cms.CouncilHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    is_creatable = False  # made when a council admin publishes the figures (case work)
    template = "cms/fair_access_data_page.html"

    class Meta:
        verbose_name = _("Fair Access data page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms.selectors import fair_access_view

        context = super().get_context(request, *args, **kwargs)
        context["view"] = fair_access_view(page=self)
        context["council_home"] = context["view"].council_home
        return context

    @path("")
    def figures(self, request: HttpRequest) -> HttpResponse:
        return self.render(request)

    @path("csv/", name="csv")
    def csv(self, request: HttpRequest) -> HttpResponse:
        from cms.selectors import fair_access_csv, fair_access_view

        view = fair_access_view(page=self)
        response = HttpResponse(fair_access_csv(view=view), content_type="text/csv; charset=utf-8")
        slug = view.council_home.council.slug if view.council_home else "council"
        response["Content-Disposition"] = f'attachment; filename="{slug}-fair-access-data.csv"'
        return response
