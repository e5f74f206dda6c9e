"""Back up one council and restore it into another database (`fairway backup`, `fairway restore`).

What a council holds is found by walking foreign keys, not by a list: a model belongs to councils
when one of its foreign keys points at `Council` or at a model that does, and a row belongs to a
council through the first such key in the model's field order (a case through `home_council`, a
review through its case, a history row like its record). A model added later is taken without a
change here; `tests/integration/test_backup_restore.py` fails on any concrete model that is
neither walked nor listed in GLOBAL or EXCLUDED with its reason.

The guidance pages (a Wagtail tree, not foreign keys) are taken as the pages under the council's
home page, with their sites, and restored under the target's index page with Wagtail's own API.

Rows keep their ids, so a case keeps its reference (MM-000123) and every id written inside an
answer or an audit line still means the same record. A restore therefore refuses, naming the
first, when an id is already taken in the target database. People, academy trusts, permissions
and the like are matched by a natural key (an email address, a name) and created when missing.

The file is JSON lines: a header, the matched records, the rows, the pages, the sites, and an end
line (a file without it is refused as incomplete). `.gz` files are gzip-compressed.
"""

from __future__ import annotations

import gzip
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, cast

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site

from fairway.errors import FairwayError
from tenants.models import AuditEvent, Council, Membership, Role, User
from tenants.services import audit_record

FORMAT = "fairway-council-backup"
FORMAT_VERSION = 1

# Shared by councils: written by natural key, matched (or made) in the target database.
GLOBAL: dict[str, str] = {
    "tenants.User": "a person may hold roles in several councils: matched by email address; a "
    "person new to the target database is made without a password or authenticator (they set "
    "both through 'Forgotten your password?'), so no secret is ever in a backup file",
    "tenants.Trust": "an academy trust may run schools in several councils: matched by name",
    "contenttypes.ContentType": "Django's catalogue of models, made by migrations",
    "auth.Permission": "Django's permissions, made by migrations",
    "auth.Group": "permission groups are matched by name",
    "wagtailcore.Locale": "Wagtail's languages, matched by language code",
}

# Not in a council's backup, each with the reason.
_REMADE = "remade for the council by cms.services.council_editors_ensure after a restore"
EXCLUDED: dict[str, str] = {
    "admin.LogEntry": "Django admin's own log; every change made there is copied into the audit "
    "log, which is backed up",
    "axes.AccessAttempt": "sign-in failures by address: short-lived security state",
    "axes.AccessAttemptExpiration": "sign-in failures by address: short-lived security state",
    "axes.AccessFailureLog": "sign-in failures by address: short-lived security state",
    "axes.AccessLog": "sign-ins by address: short-lived security state (the audit log keeps them)",
    "casework.CalendarFeed": "a person's private calendar address: they make a new one",
    "django_tasks_database.DBTaskResult": "queued and finished background tasks: the daily run "
    "queues them again",
    "fairway.WorkerHeartbeat": "which background workers are running now: short-lived",
    "guardian.UserObjectPermission": "Fairway keeps per-case permissions in its own tables "
    "(casework.CaseUserObjectPermission), which are backed up",
    "guardian.GroupObjectPermission": "as guardian.UserObjectPermission",
    "otp_static.StaticDevice": "two-factor secrets never leave the database: a person sets up "
    "their authenticator again",
    "otp_static.StaticToken": "two-factor secrets never leave the database",
    "otp_totp.TOTPDevice": "two-factor secrets never leave the database",
    "sessions.Session": "sign-in sessions: people sign in again",
    "taggit.Tag": "tags are not used by Fairway's pages",
    "taggit.TaggedItem": "tags are not used by Fairway's pages",
    "tenants.User_groups": "a person's Wagtail groups: a restore puts the council's admins and "
    "officers back in its remade editor groups",
    "tenants.User_user_permissions": "per-person Django permissions are not given to council "
    "staff (roles are memberships)",
    "auth.Group_permissions": "the council's editor groups are " + _REMADE,
    "wagtailadmin.Admin": "Wagtail admin's permission holder (no rows)",
    "wagtailadmin.EditingSession": "who is editing a page right now: short-lived",
    "wagtailadmin.FormState": "Wagtail admin's unsaved form state: short-lived",
    "wagtailcore.APIToken": "Wagtail API tokens are not used by Fairway",
    "wagtailcore.Collection": "the council's collection is " + _REMADE,
    "wagtailcore.CollectionViewRestriction": "not used by Fairway",
    "wagtailcore.CollectionViewRestriction_groups": "not used by Fairway",
    "wagtailcore.Comment": "editors' comments on drafts are not kept across a restore",
    "wagtailcore.CommentReply": "editors' comments on drafts are not kept across a restore",
    "wagtailcore.GroupApprovalTask": "the council's approval task is " + _REMADE,
    "wagtailcore.GroupApprovalTask_groups": "the council's approval task is " + _REMADE,
    "wagtailcore.GroupCollectionPermission": "the council's editor groups are " + _REMADE,
    "wagtailcore.GroupPagePermission": "the council's editor groups are " + _REMADE,
    "wagtailcore.GroupSitePermission": "not used by Fairway",
    "wagtailcore.ModelLogEntry": "Wagtail's own log of snippet changes (none in Fairway)",
    "wagtailcore.PageLogEntry": "Wagtail's own log of page edits; a restore logs the pages anew",
    "wagtailcore.PageSubscription": "editors' comment notifications: they subscribe again",
    "wagtailcore.PageViewRestriction": "not used by Fairway's public guidance",
    "wagtailcore.PageViewRestriction_groups": "not used by Fairway's public guidance",
    "wagtailcore.ReferenceIndex": "Wagtail rebuilds it as pages are saved",
    "wagtailcore.Revision": "each page's current content is restored and published as a new "
    "revision; earlier drafts and revisions are not kept",
    "wagtailcore.Site": "taken with the pages: the sites rooted in the council's home page",
    "wagtailcore.Task": "the council's approval task is " + _REMADE,
    "wagtailcore.TaskState": "moderation in progress is not kept across a restore",
    "wagtailcore.UploadedFile": "Wagtail admin's temporary uploads",
    "wagtailcore.Workflow": "the council's approval workflow is " + _REMADE,
    "wagtailcore.WorkflowContentType": "not used by Fairway",
    "wagtailcore.WorkflowPage": "the council's approval workflow is " + _REMADE,
    "wagtailcore.WorkflowState": "moderation in progress is not kept across a restore",
    "wagtailcore.WorkflowTask": "the council's approval workflow is " + _REMADE,
    "wagtaildocs.Document": "files live in the media store (MEDIA_ROOT): copy it with its own "
    "backup; Fairway's generated guidance uses none",
    "wagtailembeds.Embed": "a cache of embedded media, fetched again",
    "wagtailforms.FormSubmission": "no Wagtail form pages in Fairway",
    "wagtailimages.Image": "files live in the media store (MEDIA_ROOT), as documents",
    "wagtailimages.Rendition": "resized images, made again from the images",
    "wagtailredirects.Redirect": "not used by Fairway",
    "wagtailsearch.IndexEntry": "the search index, rebuilt as pages are saved",
    "wagtailsearch.SQLiteFTSIndexEntry": "the search index, rebuilt as pages are saved",
    "wagtailsearchpromotions.Query": "search statistics of the whole deployment",
    "wagtailsearchpromotions.QueryDailyHits": "search statistics of the whole deployment",
    "wagtailsearchpromotions.SearchPromotion": "not used by Fairway",
    "wagtailusers.UserProfile": "a person's Wagtail admin preferences",
}

# How a record outside the backup is found again in the target database.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "tenants.User": ("email",),
    "tenants.Trust": ("name",),
    "contenttypes.ContentType": ("app_label", "model"),
    "auth.Permission": ("content_type__app_label", "content_type__model", "codename"),
    "auth.Group": ("name",),
    "wagtailcore.Locale": ("language_code",),
    # Another council's records a council's rows point at (a cross-authority move's school).
    "tenants.Council": ("slug",),
    "tenants.School": ("urn",),
    "tenants.Partnership": ("council__slug", "slug"),
    "protocols.ProtocolVersion": ("slug", "version"),
    # A calendar of another council picked for a receiving school of a council not on Fairway.
    "protocols.CouncilCalendar": ("slug",),
}
# The fields a record missing from the target is made with (others are matched only).
MADE_WITH: dict[str, tuple[str, ...]] = {
    "tenants.User": ("email", "first_name", "last_name", "is_active", "date_joined"),
    "tenants.Trust": ("name", "companies_house_number"),
    "auth.Group": ("name",),
    "wagtailcore.Locale": ("language_code",),
}

# Page fields a restore sets itself (the tree, revisions, locks), or matches (owner, locale).
PAGE_SKIPPED = frozenset(
    {
        "id",
        "path",
        "depth",
        "numchild",
        "url_path",
        "content_type",
        "live_revision",
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "locked",
        "locked_at",
        "locked_by",
        "owner",
        "alias_of",
        "locale",
        "draft_title",
        "live",
    }
)


class BackupError(FairwayError):
    """A backup or restore that cannot be done; nothing was changed."""


def _label(model: type[models.Model]) -> str:
    return model._meta.label


def _is_page(model: type[models.Model]) -> bool:
    return issubclass(model, Page)


def _concrete_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if not m._meta.abstract and not m._meta.proxy
    ]


def _relations(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is not None
    ]


@dataclass(frozen=True)
class CouncilModel:
    model: type[models.Model]
    # The key through which a row belongs to a council (None for Council itself).
    owner: models.ForeignKey[Any, Any] | None


def council_models() -> list[CouncilModel]:
    """Every model whose rows belong to a council, parents before children."""
    candidates = [
        m
        for m in _concrete_models()
        if _label(m) not in GLOBAL and _label(m) not in EXCLUDED and not _is_page(m)
    ]
    owned: set[type[models.Model]] = {Council}
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model not in owned and any(f.related_model in owned for f in _relations(model)):
                owned.add(model)
                grew = True
    owners = {
        model: next(f for f in _relations(model) if f.related_model in owned)
        for model in owned
        if model is not Council
    }
    ordered: list[CouncilModel] = [CouncilModel(Council, None)]
    placed: set[type[models.Model]] = {Council}
    while len(ordered) < len(owned):
        ready = [m for m in owners if m not in placed and owners[m].related_model in placed]
        if not ready:
            stuck = sorted(_label(m) for m in owners if m not in placed)
            raise BackupError(f"The council's models point at each other in a circle: {stuck}")
        for model in sorted(ready, key=_label):
            if model._meta.parents:
                raise BackupError(f"{_label(model)} inherits another table: back it up by hand")
            ordered.append(CouncilModel(model, owners[model]))
            placed.add(model)
    return ordered


def council_rows(council: Council) -> dict[type[models.Model], models.QuerySet[Any]]:
    """The rows of each council model that belong to `council`, as querysets."""
    found: dict[type[models.Model], models.QuerySet[Any]] = {}
    for item in council_models():
        manager = item.model._base_manager
        if item.owner is None:
            found[item.model] = manager.filter(pk=council.pk)
        else:
            parents = found[item.owner.related_model].values(item.owner.target_field.attname)
            found[item.model] = manager.filter(**{f"{item.owner.name}__in": parents})
    return found


def _encode(value: object) -> object:
    if isinstance(value, datetime | date | time):
        return value.isoformat()  # full precision, unlike DjangoJSONEncoder
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    raise TypeError(f"cannot write {type(value).__name__} to a backup")


def _line(stream: IO[str], entry: dict[str, object]) -> None:
    stream.write(json.dumps(entry, default=_encode, ensure_ascii=False, sort_keys=True) + "\n")


def _open(path: Path, mode: str) -> IO[str]:
    if path.suffix == ".gz":
        return cast(IO[str], gzip.open(path, mode + "t", encoding="utf-8"))
    return path.open(mode, encoding="utf-8")


@dataclass
class BackupSummary:
    council: str
    backup_id: str
    rows: dict[str, int] = field(default_factory=dict)
    pages: int = 0

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _natural_key(model: type[models.Model], pks: Iterable[object]) -> dict[object, list[object]]:
    paths = NATURAL_KEYS[_label(model)]
    found: dict[object, list[object]] = {}
    for row in model._base_manager.filter(pk__in=list(pks)).values_list("pk", *paths):
        found[row[0]] = list(row[1:])
    return found


def backup_write(*, council: Council, path: Path, actor: User | None = None) -> BackupSummary:
    """Write everything `council` holds to `path`; audited in the council's log."""
    summary = BackupSummary(council=council.slug, backup_id=str(uuid.uuid4()))
    outermost = not connection.in_atomic_block
    with transaction.atomic(), _open(path, "w") as stream:
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every query of the backup, while staff go on working.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        rows = council_rows(council)
        # Which ids are in the backup, and which records outside it the rows point at.
        kept: dict[type[models.Model], set[object]] = {
            model: set(qs.values_list("pk", flat=True)) for model, qs in rows.items()
        }
        outside: dict[type[models.Model], set[object]] = defaultdict(set)
        for model, qs in rows.items():
            for relation in _relations(model):
                target = relation.related_model
                assert isinstance(target, type)
                values = set(
                    qs.exclude(**{f"{relation.attname}__isnull": True}).values_list(
                        relation.attname, flat=True
                    )
                )
                outside[target] |= values - kept.get(target, set())
        pages = _pages_of(council)
        for page in pages:
            if page.owner_id:
                outside[User].add(page.owner_id)
            outside[Locale].add(page.locale_id)
        _line(
            stream,
            {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "council": council.slug,
                "backup_id": summary.backup_id,
                "made_at": timezone.now(),
            },
        )
        for target, pks in sorted(outside.items(), key=lambda item: _label(item[0])):
            label = _label(target)
            if label not in NATURAL_KEYS:
                # Kept as it is; a restore empties it if it can (a nullable key) or refuses.
                continue
            made_with = MADE_WITH.get(label, ())
            made = {
                row["pk"]: row
                for row in target._base_manager.filter(pk__in=list(pks)).values("pk", *made_with)
            }
            for pk, key in _natural_key(target, pks).items():
                fields = {k: v for k, v in made[pk].items() if k != "pk"}
                _line(stream, {"match": label, "pk": pk, "key": key, "fields": fields})
        for model, qs in rows.items():
            attnames = [f.attname for f in model._meta.concrete_fields]
            count = 0
            for row in qs.order_by("pk").values(*attnames).iterator(chunk_size=2000):
                _line(stream, {"model": _label(model), "row": row})
                count += 1
            summary.rows[_label(model)] = count
        for page in pages:
            _line(stream, _page_entry(page, home=pages[0]))
        summary.pages = len(pages)
        page_ids = [p.pk for p in pages]
        for site in Site.objects.filter(root_page_id__in=page_ids).order_by("pk"):
            _line(
                stream,
                {
                    "site": {
                        "hostname": site.hostname,
                        "port": site.port,
                        "site_name": site.site_name,
                        "root_page": site.root_page_id,
                    }
                },
            )
        _line(stream, {"end": True, "rows": summary.total, "pages": summary.pages})
    audit_record(
        actor=actor,
        council=council,
        action=AuditEvent.Action.EXPORT,
        object_type="council_backup",
        object_id=summary.backup_id,
        summary=f"Backed up the council: {summary.total} records and {summary.pages} pages",
        actor_email="" if actor else "fairway backup",
    )
    return summary


def _pages_of(council: Council) -> list[Page]:
    from cms.models import CouncilHomePage

    home = CouncilHomePage.objects.filter(council=council).first()
    if home is None:
        return []
    return list(home.get_descendants(inclusive=True).order_by("path").specific())


def _page_entry(page: Page, *, home: Page) -> dict[str, object]:
    parent = page.get_parent() if page.pk != home.pk else None
    fields = {
        # StreamFields as their stored JSON text; the rest as values.
        f.attname: f.value_to_string(page)
        if isinstance(f, StreamField)
        else f.value_from_object(page)
        for f in type(page)._meta.concrete_fields
        if f.name not in PAGE_SKIPPED
        and not (isinstance(f, models.OneToOneField) and f.remote_field.parent_link)
    }
    return {
        "page": _label(type(page)),
        "pk": page.pk,
        "parent": parent.pk if parent is not None else None,
        "live": page.live,
        "owner": page.owner_id,
        "locale": page.locale_id,
        "fields": fields,
    }


# ---------------------------------------------------------------- restore


@dataclass
class RestoreSummary:
    council: str
    backup_id: str
    rows: int = 0
    pages: int = 0
    people_made: int = 0
    emptied: set[str] = field(default_factory=set)


def _entries(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with _open(path, "r") as stream:
            for number, text in enumerate(stream, start=1):
                try:
                    yield json.loads(text)
                except json.JSONDecodeError as exc:
                    raise BackupError(
                        f"{path}:{number}: not a line of a Fairway backup ({exc.msg})"
                    ) from None
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path}: cannot be read as a Fairway backup ({exc})") from None


@dataclass
class _Backup:
    header: dict[str, Any]
    matches: list[dict[str, Any]]
    rows: dict[str, list[dict[str, Any]]]
    pages: list[dict[str, Any]]
    sites: list[dict[str, Any]]


def _read(path: Path) -> _Backup:
    entries = iter(_entries(path))
    header = next(entries, None)
    if not header or header.get("format") != FORMAT:
        raise BackupError(f"{path}: not a Fairway council backup")
    if header.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"{path}: a backup of format version {header.get('version')}; this Fairway reads "
            f"version {FORMAT_VERSION}"
        )
    backup = _Backup(header, [], defaultdict(list), [], [])
    ended = False
    for entry in entries:
        if "match" in entry:
            backup.matches.append(entry)
        elif "model" in entry:
            backup.rows[entry["model"]].append(entry["row"])
        elif "page" in entry:
            backup.pages.append(entry)
        elif "site" in entry:
            backup.sites.append(entry["site"])
        elif entry.get("end"):
            ended = True
    if not ended:
        raise BackupError(f"{path}: the backup file is incomplete (it has no end line)")
    return backup


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%a %-d %b %Y at %H:%M")


def _resolve_matches(backup: _Backup, summary: RestoreSummary) -> dict[str, dict[object, object]]:
    """Old id -> id in this database, for every record matched by natural key."""
    mapping: dict[str, dict[object, object]] = defaultdict(dict)
    for entry in backup.matches:
        label = entry["match"]
        model = apps.get_model(label)
        paths = NATURAL_KEYS[label]
        found = model._base_manager.filter(**dict(zip(paths, entry["key"], strict=True))).first()
        if found is None and label in MADE_WITH:
            fields = {
                f.attname: f.to_python(entry["fields"][f.attname])
                for f in model._meta.concrete_fields
                if f.attname in entry["fields"]
            }
            found = model(**fields)
            if isinstance(found, User):
                found.set_unusable_password()
                summary.people_made += 1
            found.save()
        if found is not None:
            mapping[label][entry["pk"]] = found.pk
    return mapping


def _restored_row(
    model: type[models.Model],
    row: dict[str, Any],
    *,
    ids: dict[str, set[object]],
    mapping: dict[str, dict[object, object]],
    summary: RestoreSummary,
) -> models.Model:
    values: dict[str, object] = {}
    for f in model._meta.concrete_fields:
        value = row.get(f.attname)
        if isinstance(f, models.ForeignKey) and value is not None:
            target = _label(f.related_model)
            if value in ids.get(target, set()):
                pass
            elif value in mapping.get(target, {}):
                value = mapping[target][value]
            elif f.null:
                summary.emptied.add(f"{_label(model)}.{f.name}")
                value = None
            else:
                raise BackupError(
                    f"{_label(model)} {row.get(model._meta.pk.attname)}: its {f.name} ({target} {value}) is neither "
                    "in the backup nor in this database; restore that council first"
                )
        values[f.attname] = f.to_python(value) if value is not None else None
    return model(**values)


def restore_read(*, path: Path) -> RestoreSummary:
    """Load a council's backup into this database in one transaction, or change nothing."""
    backup = _read(path)
    header = backup.header
    summary = RestoreSummary(council=header["council"], backup_id=header["backup_id"])
    earlier = AuditEvent.objects.filter(
        action=AuditEvent.Action.IMPORT, object_type="council_backup", object_id=summary.backup_id
    ).first()
    if earlier is not None:
        raise BackupError(
            f"This backup of {summary.council} was already restored into this database on "
            f"{_when(earlier.occurred_at)}. Nothing was changed."
        )
    if Council.objects.filter(slug=summary.council).exists():
        raise BackupError(
            f"This database already holds the council {summary.council}: a council is restored "
            "only into a database without it. Nothing was changed."
        )
    models_in_order = council_models()
    known = {_label(item.model) for item in models_in_order}
    unknown = sorted(set(backup.rows) - known)
    if unknown:
        raise BackupError(
            f"{path}: the backup holds records this Fairway does not know ({', '.join(unknown)}); "
            "restore it with the version of Fairway that made it, or a later one"
        )
    ids = {
        label: {row[apps.get_model(label)._meta.pk.attname] for row in rows}
        for label, rows in backup.rows.items()
    }
    with transaction.atomic():
        for item in models_in_order:
            label = _label(item.model)
            taken = list(
                item.model._base_manager.filter(pk__in=list(ids.get(label, ()))).values_list(
                    "pk", flat=True
                )[:1]
            )
            if taken:
                raise BackupError(
                    f"{label} {taken[0]} is already used in this database by another record: "
                    "this backup can only be restored into a database whose records do not "
                    "share its ids (see README, 'Back up and restore one council'). "
                    "Nothing was changed."
                )
        mapping = _resolve_matches(backup, summary)
        for item in models_in_order:
            label = _label(item.model)
            objs = [
                _restored_row(item.model, row, ids=ids, mapping=mapping, summary=summary)
                for row in backup.rows.get(label, [])
            ]
            fields = list(item.model._meta.concrete_fields)
            for start in range(0, len(objs), 500):
                # raw: the stored values as they are (auto_now fields keep their dates).
                item.model._base_manager._insert(  # type: ignore[attr-defined]
                    objs[start : start + 500], fields=fields, raw=True
                )
            summary.rows += len(objs)
        statements = connection.ops.sequence_reset_sql(
            no_style(), [item.model for item in models_in_order]
        )
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        council = Council.objects.get(slug=summary.council)
        _restore_pages(backup, council=council, mapping=mapping, summary=summary)
        audit_record(
            actor=None,
            council=council,
            action=AuditEvent.Action.IMPORT,
            object_type="council_backup",
            object_id=summary.backup_id,
            summary=(
                f"Restored the council from the backup made on "
                f"{_when(datetime.fromisoformat(header['made_at']))}: {summary.rows} records "
                f"and {summary.pages} pages"
            ),
            actor_email="fairway restore",
        )
    return summary


def _restore_pages(
    backup: _Backup,
    *,
    council: Council,
    mapping: dict[str, dict[object, object]],
    summary: RestoreSummary,
) -> None:
    if not backup.pages:
        return
    from cms.models import CouncilHomePage, FairwayIndexPage
    from cms.services import council_editors_ensure

    taken = list(Page.objects.filter(pk__in=[p["pk"] for p in backup.pages]).values_list("pk"))
    if taken:
        raise BackupError(
            f"Page {taken[0][0]} is already used in this database: the council's guidance pages "
            "cannot keep their ids. Nothing was changed."
        )
    root = Page.get_first_root_node()
    if root is None:  # a database with no page at all: Wagtail's own root, as its migration makes
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    index = FairwayIndexPage.objects.first()
    made: dict[int, Page] = {}
    for entry in backup.pages:
        model = apps.get_model(entry["page"])
        values = {
            f.attname: None
            if entry["fields"][f.attname] is None
            else f.to_python(entry["fields"][f.attname])
            for f in model._meta.concrete_fields
            if f.attname in entry["fields"]
        }
        page = model(pk=entry["pk"], **values)
        page.locale_id = mapping["wagtailcore.Locale"].get(entry["locale"]) or (
            Locale.get_default().pk
        )
        page.owner_id = mapping["tenants.User"].get(entry["owner"]) if entry["owner"] else None
        page.live = entry["live"]
        parent = made.get(entry["parent"]) if entry["parent"] else (index or root)
        if parent is None:
            raise BackupError(f"Page {entry['pk']}: its parent page is not in the backup")
        parent.add_child(instance=page)
        revision = page.save_revision(user=None, log_action=False)
        if entry["live"]:
            revision.publish(log_action=False)
        made[page.pk] = page
        summary.pages += 1
    for site in backup.sites:
        if Site.objects.filter(hostname=site["hostname"], port=site["port"]).exists():
            raise BackupError(
                f"The site {site['hostname']}:{site['port']} already exists in this database. "
                "Nothing was changed."
            )
        Site.objects.create(
            hostname=site["hostname"],
            port=site["port"],
            site_name=site["site_name"],
            root_page=made[site["root_page"]],
        )
    home = CouncilHomePage.objects.get(council=council)
    editors = council_editors_ensure(council=council, home=home)
    # As when the site was set up: council admins moderate and publish, officers draft.
    for membership in Membership.objects.filter(council=council).select_related("user"):
        if membership.role == Role.COUNCIL_ADMIN:
            membership.user.groups.add(editors.moderators)
        elif membership.role == Role.COUNCIL_OFFICER:
            membership.user.groups.add(editors.editors)
