"""Published protocol versions and council calendars, stored so that cases never lose theirs.

A published protocol version is immutable: its YAML (with every part it includes) is stored
with a digest, and a case points at the version it started under. Calendars can be replaced by
a council admin (a provisional calendar by the council's real dates); history is kept.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from protocols.core.calendar import Closure, SchoolCalendar
from protocols.core.loader import load_calendar_text, load_protocol
from protocols.core.model import Protocol


def bundle_digest(files: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()


@lru_cache(maxsize=64)
def _load_protocol_bundle(main: str, files_json: str) -> Protocol:
    files: dict[str, str] = json.loads(files_json)
    with tempfile.TemporaryDirectory(prefix="fairway-protocol-") as tmp:
        for name, text in files.items():
            target = Path(tmp, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        protocol = load_protocol(str(Path(tmp, main)))
    # Paths in the loaded protocol should name the stored file, not the temporary copy.
    from dataclasses import replace

    return replace(protocol, path=main)


@lru_cache(maxsize=32)
def _load_calendar_text(slug: str, text: str) -> SchoolCalendar:
    return load_calendar_text(text, path=f"{slug}.yaml")


# Parsed versions by (id, digest, main file). Published versions are immutable, and a process
# serves a few dozen of them at most (each council's versions), so this is never pruned.
_PARSED_VERSIONS: dict[tuple[int | None, str, str], Protocol] = {}


class ProtocolVersion(models.Model):
    council = models.ForeignKey(
        "tenants.Council", on_delete=models.PROTECT, related_name="protocol_versions"
    )
    slug = models.SlugField(_("protocol"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    effective_from = models.DateField(_("in force from"))
    effective_until = models.DateField(_("in force until"), null=True, blank=True)
    main_file = models.CharField(_("main file"), max_length=300)
    files = models.JSONField(
        _("YAML files"), help_text=_("The protocol file and every part it includes, by path.")
    )
    digest = models.CharField(_("SHA-256"), max_length=64)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        ordering = ["council__name", "slug", "version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="protocol_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    @property
    def reference(self) -> str:
        return f"{self.slug}@{self.version}"

    def load(self) -> Protocol:
        """The validated protocol, cached per process (versions never change once published).

        Found by the version's id and digest first, so a page listing many cases neither pulls
        each version's YAML (lists defer `files`) nor encodes it again to find the cached one;
        a version loaded with `files` deferred reads them once, the first time."""
        key = (self.pk, self.digest, self.main_file)
        found = _PARSED_VERSIONS.get(key)
        if found is None:
            if "files" in self.get_deferred_fields():
                files = ProtocolVersion.objects.values_list("files", flat=True).get(pk=self.pk)
            else:
                files = self.files
            found = _load_protocol_bundle(self.main_file, json.dumps(files, sort_keys=True))
            if self.pk is not None:
                _PARSED_VERSIONS[key] = found
        return found

    @property
    def effective_from_assumed(self) -> bool:
        """No source gives the date this version took effect: `effective_from` is assumed."""
        return self.load().effective_from_assumed

    @property
    def effective_from_note(self) -> str:
        return self.load().effective_from_note or ""


class CouncilCalendar(models.Model):
    """A council's term calendar (YAML). Replacing it keeps the old text in its history."""

    council = models.ForeignKey(
        "tenants.Council", on_delete=models.PROTECT, related_name="calendars"
    )
    slug = models.SlugField(_("calendar"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    provisional = models.BooleanField(_("provisional"), default=False)
    provisional_reason = models.TextField(_("why provisional"), blank=True)
    yaml_text = models.TextField(_("YAML"))
    first_day = models.DateField(_("first day covered"))
    last_day = models.DateField(_("last day covered"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "slug"]

    def __str__(self) -> str:
        return self.title

    def load(self) -> SchoolCalendar:
        return _load_calendar_text(self.slug, self.yaml_text)


class SchoolClosure(models.Model):
    """A school's own closure (an INSET day) on top of its council's calendar."""

    school = models.ForeignKey("tenants.School", on_delete=models.CASCADE, related_name="closures")
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.name} ({self.start} to {self.end})"

    def as_closure(self) -> Closure:
        return Closure(self.name, self.start, self.end)


class ProtocolDraft(models.Model):
    """A council's next version of one of its protocols, drafted in the browser.

    The draft holds only the council's own file; Fairway's shared parts (the legal floor, the
    common forms) are added from `protocols/bundled/shared/` when it is checked and published.
    A draft with problems cannot be approved; changing an approved draft withdraws the approval;
    a published draft keeps the version it became, which never changes.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    council = models.ForeignKey(
        "tenants.Council", on_delete=models.PROTECT, related_name="protocol_drafts"
    )
    slug = models.SlugField(_("protocol"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    based_on = models.ForeignKey(
        ProtocolVersion,
        on_delete=models.PROTECT,
        related_name="drafts",
        verbose_name=_("started from"),
    )
    main_file = models.CharField(_("file"), max_length=300)
    yaml_text = models.TextField(_("YAML"))
    # As the last check found them: [{"path", "line", "column", "message"}], in file order.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_version = models.OneToOneField(
        ProtocolVersion,
        on_delete=models.PROTECT,
        related_name="draft",
        null=True,
        blank=True,
        verbose_name=_("published as"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.slug} version {self.version} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.PUBLISHED
