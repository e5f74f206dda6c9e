"""Writes for councils, partnerships, schools, people and the audit log (HackSoft services)."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from axes.utils import reset as axes_reset
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from fairway.errors import FairwayError

from . import access, lockout
from .gias import SchoolRow
from .models import AuditEvent, Council, Membership, Partnership, Role, School, Trust, User


class TenantsError(FairwayError):
    """A council-admin step refused in plain words (fairway.errors shows it)."""


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # The same address axes counts failures against (the real client behind a trusted proxy).
    from .lockout import client_ip

    return client_ip(request)


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    council: Council | None,
    action: AuditEvent.Action,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    request: HttpRequest | None = None,
    actor_email: str = "",
    actor_council: Council | None = None,
) -> AuditEvent:
    """Append one line to the audit log. Other apps call this for every view or change of a record.

    `council` is the council whose log shows the line (whose record it is); `actor_council` is
    where the person acted from, worked out from their memberships when not given.
    """
    person = actor if isinstance(actor, User) else None
    if actor_council is None and person is not None:
        ids = access.council_ids_for(person)
        if council is not None and council.pk in ids:
            actor_council = council
        elif len(ids) == 1:
            actor_council = next(m.council for m in access.memberships_for(person))
    return AuditEvent.objects.create(
        actor=person,
        actor_email=actor_email or (person.email if person else ""),
        council=council,
        actor_council=actor_council,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary,
        ip_address=_client_ip(request),
    )


def audit_record_for_person(
    *,
    person: User | None,
    action: AuditEvent.Action,
    summary: str = "",
    request: HttpRequest | None = None,
    actor_email: str = "",
) -> list[AuditEvent]:
    """Record an event about a person's account (a sign-in) in the log of each of their councils."""
    members_of = {m.council for m in access.memberships_for(person)} if person else set()
    councils: list[Council | None] = [*sorted(members_of, key=lambda c: c.pk)] or [None]
    return [
        audit_record(
            actor=person,
            council=council,
            actor_council=council,
            action=action,
            object_type="user",
            object_id=person.pk if person else "",
            summary=summary,
            request=request,
            actor_email=actor_email,
        )
        for council in councils
    ]


def _full_clean(instance: models.Model) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise TenantsError(
            " ".join(messages), field=None if field == "__all__" else field
        ) from error


@transaction.atomic
def person_get_or_create(
    *, created_by: User, email: str, first_name: str, last_name: str
) -> tuple[User, bool]:
    """Find the account for an address, or open one with no password (see person_invite)."""
    email = User.objects.normalize_email(email).lower()
    person = User.objects.filter(email__iexact=email).first()
    if person is not None:
        return person, False
    person = User(email=email, first_name=first_name, last_name=last_name)
    person.set_unusable_password()
    _full_clean(person)
    person.save()
    return person, True


def person_invite(
    *, person: User, invited_by: User, council: Council, request: HttpRequest
) -> None:
    """Email a new account a one-time link to set its password (Django's reset token)."""
    context = {
        "invited_by": invited_by.get_full_name() or invited_by.email,
        "council": council,
        "protocol": "https" if request.is_secure() else "http",
        "domain": request.get_host(),
        "uid": urlsafe_base64_encode(force_bytes(person.pk)),
        "token": default_token_generator.make_token(person),
    }
    subject = "".join(
        render_to_string("tenants/emails/invitation_subject.txt", context).splitlines()
    )
    body = render_to_string("tenants/emails/invitation.txt", context)
    send_mail(subject, body, None, [person.email])


@transaction.atomic
def membership_grant(
    *,
    granted_by: User,
    user: User,
    role: Role,
    council: Council,
    partnership: Partnership | None = None,
    school: School | None = None,
    request: HttpRequest | None = None,
) -> Membership:
    if Membership.objects.filter(
        user=user, role=role, council=council, partnership=partnership, school=school
    ).exists():
        raise TenantsError(_("This person already holds that role there."))
    membership = Membership(
        user=user, role=role, council=council, partnership=partnership, school=school
    )
    _full_clean(membership)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as error:
        raise TenantsError(_("This person already holds that role there.")) from error
    access.forget_memberships(user)
    audit_record(
        actor=granted_by,
        council=council,
        action=AuditEvent.Action.ROLE_GRANTED,
        object_type="membership",
        object_id=membership.pk,
        summary=_("%(person)s: %(role)s at %(place)s")
        % {"person": user.email, "role": membership.get_role_display(), "place": membership.place},
        request=request,
    )
    return membership


@transaction.atomic
def person_add_with_role(
    *,
    added_by: User,
    email: str,
    first_name: str,
    last_name: str,
    role: Role,
    council: Council,
    partnership: Partnership | None = None,
    school: School | None = None,
    request: HttpRequest | None = None,
) -> tuple[User, bool]:
    """Give a role to the person with this email, opening their account if need be; all or nothing."""
    person, created = person_get_or_create(
        created_by=added_by, email=email, first_name=first_name, last_name=last_name
    )
    membership_grant(
        granted_by=added_by,
        user=person,
        role=role,
        council=council,
        partnership=partnership,
        school=school,
        request=request,
    )
    return person, created


@transaction.atomic
def membership_revoke(
    *, revoked_by: User, membership: Membership, request: HttpRequest | None = None
) -> None:
    if (
        membership.role == Role.COUNCIL_ADMIN
        and not Membership.objects.filter(council=membership.council, role=Role.COUNCIL_ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise TenantsError(_("A council must keep at least one council admin."))
    audit_record(
        actor=revoked_by,
        council=membership.council,
        action=AuditEvent.Action.ROLE_REVOKED,
        object_type="membership",
        object_id=membership.pk,
        summary=_("%(person)s: %(role)s at %(place)s")
        % {
            "person": membership.user.email,
            "role": membership.get_role_display(),
            "place": membership.place,
        },
        request=request,
    )
    membership.delete()
    access.forget_memberships(membership.user)


@transaction.atomic
def person_unlock(
    *, unlocked_by: User, person: User, council: Council, request: HttpRequest | None = None
) -> int:
    """Lift a sign-in lockout before its 15 minutes are up; returns the failed attempts cleared.

    Clears axes' failure counts for the person's username from every address (axes' own reset),
    so the right password works again at once.
    """
    if not Membership.objects.filter(user=person, council=council).exists():
        raise TenantsError(
            _("%(person)s holds no role at %(council)s.")
            % {"person": person.email, "council": council}
        )
    username = lockout.username_of(person)
    # An empty username would make axes' reset clear every lockout of every account.
    if not username or username not in lockout.locked_out_usernames(usernames=[username]):
        raise TenantsError(_("%(person)s is not locked out.") % {"person": person.email})
    cleared: int = axes_reset(username=username)
    audit_record(
        actor=unlocked_by,
        council=council,
        action=AuditEvent.Action.UNLOCKED,
        object_type="user",
        object_id=person.pk,
        summary=_("%(person)s may sign in again") % {"person": person.email},
        request=request,
    )
    return cleared


# Reset emails sent in the last hour, at most, per email address and per client address.
PASSWORD_RESETS_PER_EMAIL = 3
PASSWORD_RESETS_PER_ADDRESS = 10
PASSWORD_RESET_WINDOW = timedelta(hours=1)


def password_reset_key(email: str) -> str:
    """The email address as the audit log keeps it for reset requests: a keyed hash, not the text."""
    digest = salted_hmac(
        "fairway.password-reset", email.strip().lower(), algorithm="sha256"
    ).hexdigest()
    return digest[:40]


@transaction.atomic
def password_reset_request(*, email: str, request: HttpRequest | None = None) -> bool:
    """Whether a reset link may be emailed for `email` now (True), or is held back (False).

    Held back when the last hour already sent PASSWORD_RESETS_PER_EMAIL for this email, or
    PASSWORD_RESETS_PER_ADDRESS from this client address, whether or not the email has an
    account. Counted in the audit log (one line per request, the email only as a keyed hash),
    so every gunicorn worker sees the same counts. Held-back requests are logged but not counted:
    the person still has the links sent within the hour.
    """
    key = password_reset_key(email)
    address = _client_ip(request)
    sent = AuditEvent.objects.filter(
        action=AuditEvent.Action.PASSWORD_RESET,
        occurred_at__gte=timezone.now() - PASSWORD_RESET_WINDOW,
    )
    allowed = sent.filter(object_id=key).count() < PASSWORD_RESETS_PER_EMAIL and (
        address is None or sent.filter(ip_address=address).count() < PASSWORD_RESETS_PER_ADDRESS
    )
    audit_record(
        actor=None,
        council=None,
        action=(
            AuditEvent.Action.PASSWORD_RESET
            if allowed
            else AuditEvent.Action.PASSWORD_RESET_THROTTLED
        ),
        object_type="password_reset",
        object_id=key,
        summary=(
            _("Password reset link asked for")
            if allowed
            else _("Password reset link held back: too many asked for in an hour")
        ),
        request=request,
    )
    return allowed


@transaction.atomic
def partnership_create(
    *,
    created_by: User,
    council: Council,
    name: str,
    kind: Partnership.Kind,
    request: HttpRequest | None = None,
) -> Partnership:
    name = name.strip()
    if Partnership.objects.filter(council=council, name__iexact=name).exists():
        raise TenantsError(
            _("%(council)s already has a partnership with that name.") % {"council": council},
            field="name",
        )
    base = slugify(name)[:70] or "partnership"
    slug, n = base, 2
    while Partnership.objects.filter(council=council, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    partnership = Partnership(council=council, name=name, slug=slug, kind=kind)
    _full_clean(partnership)
    partnership.save()
    audit_record(
        actor=created_by,
        council=council,
        action=AuditEvent.Action.RECORD_CREATED,
        object_type="partnership",
        object_id=partnership.pk,
        summary=_("Partnership %(name)s (%(kind)s)")
        % {"name": name, "kind": partnership.get_kind_display()},
        request=request,
    )
    return partnership


@dataclass(frozen=True)
class SchoolChanges:
    """The fields a council admin may edit on a school."""

    name: str
    phase: School.Phase
    kind: School.Kind
    partnership: Partnership | None
    trust: Trust | None
    postcode: str
    number_on_roll: int | None
    latitude: Decimal | None = None
    address: str = ""
    longitude: Decimal | None = None


@transaction.atomic
def school_update(
    *, changed_by: User, school: School, changes: SchoolChanges, request: HttpRequest | None = None
) -> School:
    if changes.partnership is not None and changes.partnership.council_id != school.council_id:
        raise TenantsError(
            _("The partnership must belong to the school's council."), field="partnership"
        )
    changed: list[str] = []
    for field, value in vars(changes).items():
        if field == "postcode":
            value = normalise_postcode(value)
        if getattr(school, field) != value:
            setattr(school, field, value)
            changed.append(field)
    if not changed:
        return school
    _full_clean(school)
    school.save()
    audit_record(
        actor=changed_by,
        council=school.council,
        action=AuditEvent.Action.RECORD_CHANGED,
        object_type="school",
        object_id=school.pk,
        summary=_("%(school)s (URN %(urn)s): %(fields)s changed")
        % {"school": school.name, "urn": school.urn, "fields": ", ".join(changed)},
        request=request,
    )
    return school


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code: 'nr12dh' -> 'NR1 2DH'."""
    compact = "".join(value.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


@transaction.atomic
def object_permission_grant(
    *,
    granted_by: User | None,
    user: User,
    permission: str,
    obj: models.Model,
    council: Council,
    request: HttpRequest | None = None,
) -> None:
    """Give one person a guardian object permission (for example on a case) and log it."""
    assign_perm(permission, user, obj)
    audit_record(
        actor=granted_by,
        council=council,
        action=AuditEvent.Action.PERMISSION_GRANTED,
        object_type=obj._meta.model_name or "",
        object_id=obj.pk,
        summary=_("%(person)s: %(permission)s") % {"person": user.email, "permission": permission},
        request=request,
    )


@transaction.atomic
def object_permission_revoke(
    *,
    revoked_by: User | None,
    user: User,
    permission: str,
    obj: models.Model,
    council: Council,
    request: HttpRequest | None = None,
) -> None:
    remove_perm(permission, user, obj)
    audit_record(
        actor=revoked_by,
        council=council,
        action=AuditEvent.Action.PERMISSION_REVOKED,
        object_type=obj._meta.model_name or "",
        object_id=obj.pk,
        summary=_("%(person)s: %(permission)s") % {"person": user.email, "permission": permission},
        request=request,
    )


@dataclass(frozen=True)
class SchoolsImportCounts:
    created: int
    updated: int
    unchanged: int


class SchoolsImportError(FairwayError):
    """A schools file refused: each problem at FILE:ROW:COLUMN, and nothing imported."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@transaction.atomic
def schools_import(
    *,
    council: Council,
    rows: list[SchoolRow],
    source: str,
    imported_by: User | None = None,
) -> SchoolsImportCounts:
    """Create or update the council's schools by URN, all or nothing.

    Partnerships are Fairway's own grouping, not GIAS's, so an update keeps a school's partnership.
    """
    elsewhere = {
        s.urn: s.council.name
        for s in School.objects.filter(urn__in=[r.urn for r in rows])
        .exclude(council=council)
        .select_related("council")
    }
    if elsewhere:
        raise SchoolsImportError(
            [
                f"{source}:{r.row}:URN: URN {r.urn} is already a school of {elsewhere[r.urn]}"
                for r in rows
                if r.urn in elsewhere
            ]
        )
    existing = {s.urn: s for s in School.objects.select_for_update().filter(council=council)}
    trusts = {t.name: t for t in Trust.objects.filter(name__in={r.trust_name for r in rows})}
    created = updated = unchanged = 0
    for row in rows:
        trust = None
        if row.trust_name:
            trust = trusts.get(row.trust_name)
            if trust is None:
                trust = trusts[row.trust_name] = Trust.objects.create(name=row.trust_name)
        values: dict[str, object] = {
            "name": row.name,
            "phase": row.phase,
            "kind": row.kind,
            "postcode": row.postcode,
            "address": row.address,
            "number_on_roll": row.number_on_roll,
            "trust": trust,
        }
        if row.latitude is not None and row.longitude is not None:
            values |= {"latitude": row.latitude, "longitude": row.longitude}
        school = existing.get(row.urn)
        if school is None:
            School.objects.create(urn=row.urn, council=council, **values)
            created += 1
            continue
        changed = [f for f, v in values.items() if getattr(school, f) != v]
        if not changed:
            unchanged += 1
            continue
        for field in changed:
            setattr(school, field, values[field])
        school.save()
        updated += 1
    counts = SchoolsImportCounts(created=created, updated=updated, unchanged=unchanged)
    audit_record(
        actor=imported_by,
        council=council,
        action=AuditEvent.Action.IMPORT,
        object_type="school",
        summary=_("Schools imported from %(source)s: %(created)s created, %(updated)s updated")
        % {"source": Path(source).name, "created": created, "updated": updated},
    )
    return counts


def council_retention_set(
    *, council: Council, years: int, changed_by: User, request: HttpRequest | None = None
) -> Council:
    """How many years a closed case keeps the pupil's details (the daily run anonymises later)."""
    before = council.closed_case_retention_years
    council.closed_case_retention_years = years
    _full_clean(council)
    council.save(update_fields=["closed_case_retention_years"])
    audit_record(
        actor=changed_by,
        council=council,
        action=AuditEvent.Action.RECORD_CHANGED,
        object_type="council",
        object_id=council.pk,
        summary=_("Closed cases kept for %(years)s years after closure (was %(before)s)")
        % {"years": years, "before": before},
        request=request,
    )
    return council
