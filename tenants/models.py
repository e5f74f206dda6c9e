"""Councils (tenants), partnerships, schools, people and their roles, and the audit log."""

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A staff account. People sign in with their email address; there is no username."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # and six hex digits."))


class Council(models.Model):
    """A local authority: the tenant. Every record Fairway holds belongs to one or two of these."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    # A key of the `holidays` package's UK subdivisions: England and Wales share one list.
    bank_holiday_region = models.CharField(
        _("bank holiday region"), max_length=40, default="england-and-wales"
    )
    brand_colour = models.CharField(
        _("brand colour"), max_length=7, default="#1d70b8", validators=[hex_colour]
    )
    # How long a closed case keeps the pupil's details; then the daily run anonymises it (the
    # council's own policy; six years after closure, as for attendance registers, by default).
    closed_case_retention_years = models.PositiveSmallIntegerField(
        _("years a closed case is kept"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    """A group of schools inside a council that brokers moves: a SEIP, a Fair Access Panel, a locality."""

    class Kind(models.TextChoices):
        SEIP = "seip", _("Secondary Education and Inclusion Partnership")
        FAIR_ACCESS_PANEL = "fair_access_panel", _("Fair Access Panel")
        LOCALITY = "locality", _("Locality")

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("council")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "slug"], name="partnership_slug_per_council"
            ),
            models.UniqueConstraint(
                fields=["council", "name"], name="partnership_name_per_council"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Trust(models.Model):
    """An academy trust. A trust may run academies in more than one council."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    companies_house_number = models.CharField(_("Companies House number"), max_length=8, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("academy trust")
        verbose_name_plural = _("academy trusts")

    def __str__(self) -> str:
        return self.name


uk_postcode = RegexValidator(
    r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", _("Enter a UK postcode, such as NR1 2DH.")
)


class School(models.Model):
    """A school or setting, identified by its DfE unique reference number (URN)."""

    class Phase(models.TextChoices):
        NURSERY = "nursery", _("Nursery")
        PRIMARY = "primary", _("Primary")
        MIDDLE = "middle", _("Middle")
        SECONDARY = "secondary", _("Secondary")
        ALL_THROUGH = "all_through", _("All-through")
        SIXTEEN_PLUS = "16_plus", _("16 plus")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    class Kind(models.TextChoices):
        MAINTAINED = "maintained", _("Maintained school")
        ACADEMY = "academy", _("Academy")
        FREE_SCHOOL = "free_school", _("Free school")
        SPECIAL = "special", _("Special school")
        ALTERNATIVE_PROVISION = "alternative_provision", _("Alternative provision")

    urn = models.PositiveIntegerField(_("URN"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    trust = models.ForeignKey(
        Trust,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schools",
        verbose_name=_("academy trust"),
    )
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="schools", verbose_name=_("council")
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schools",
        verbose_name=_("partnership"),
    )
    # Street, locality and town as GIAS gives them, one a line; the notice of an off-site
    # direction states the receiving school's address (SI 2010/1156 reg 3(4)).
    address = models.TextField(_("address"), blank=True, max_length=500)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True, validators=[uk_postcode])
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    number_on_roll = models.PositiveIntegerField(_("number on roll"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        indexes = [models.Index(fields=["council", "name"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.partnership is not None and self.partnership.council_id != self.council_id:
            raise ValidationError(
                {"partnership": _("The partnership must belong to the school's council.")}
            )


class Role(models.TextChoices):
    COUNCIL_ADMIN = "council_admin", _("Council admin")
    COUNCIL_OFFICER = "council_officer", _("Council officer (fair access / inclusion)")
    INCLUSION_ADVISER = "inclusion_adviser", _("Inclusion adviser")
    PARTNERSHIP_OFFICER = "partnership_officer", _("Partnership officer")
    HEAD_TEACHER = "head_teacher", _("Head teacher")
    SCHOOL_STAFF = "school_staff", _("School staff")


# Where each role is held. Two-factor sign-in is required for the council and partnership roles.
COUNCIL_ROLES = frozenset({Role.COUNCIL_ADMIN, Role.COUNCIL_OFFICER, Role.INCLUSION_ADVISER})
PARTNERSHIP_ROLES = frozenset({Role.PARTNERSHIP_OFFICER})
SCHOOL_ROLES = frozenset({Role.HEAD_TEACHER, Role.SCHOOL_STAFF})
TWO_FACTOR_ROLES = COUNCIL_ROLES | PARTNERSHIP_ROLES


class Membership(models.Model):
    """One role one person holds at a council, or at a partnership or school inside it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    # Always set, even for partnership and school roles, so isolation is one indexed filter.
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("council")
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("partnership"),
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("school"),
    )
    created_at = models.DateTimeField(_("granted at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "role", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # NULLs are distinct in unique constraints, so one constraint per place a role is held.
            models.UniqueConstraint(
                fields=["user", "role", "council"],
                condition=models.Q(partnership__isnull=True, school__isnull=True),
                name="membership_unique_at_council",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "partnership"],
                condition=models.Q(partnership__isnull=False),
                name="membership_unique_at_partnership",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=models.Q(school__isnull=False),
                name="membership_unique_at_school",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        role__in=sorted(COUNCIL_ROLES),
                        partnership__isnull=True,
                        school__isnull=True,
                    )
                    | models.Q(
                        role__in=sorted(PARTNERSHIP_ROLES),
                        partnership__isnull=False,
                        school__isnull=True,
                    )
                    | models.Q(
                        role__in=sorted(SCHOOL_ROLES),
                        partnership__isnull=True,
                        school__isnull=False,
                    )
                ),
                name="membership_role_matches_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.place}"

    @property
    def place(self) -> "Council | Partnership | School":
        if self.school_id:
            return self.school  # type: ignore[return-value]
        if self.partnership_id:
            return self.partnership  # type: ignore[return-value]
        return self.council

    def clean(self) -> None:
        role = Role(self.role)
        if role in PARTNERSHIP_ROLES and not self.partnership_id:
            raise ValidationError({"partnership": _("Choose the partnership for this role.")})
        if role in SCHOOL_ROLES and not self.school_id:
            raise ValidationError({"school": _("Choose the school for this role.")})
        if self.partnership is not None and self.partnership.council_id != self.council_id:
            raise ValidationError(
                {"partnership": _("The partnership must belong to the same council.")}
            )
        if self.school is not None and self.school.council_id != self.council_id:
            raise ValidationError({"school": _("The school must belong to the same council.")})


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One line of the append-only audit log: who did what, when, to which record, from where."""

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        SIGN_OUT = "sign_out", _("Signed out")
        LOCKED_OUT = "locked_out", _("Locked out")
        UNLOCKED = "unlocked", _("Unlocked")
        PASSWORD_RESET = "password_reset", _("Password reset asked for")
        PASSWORD_RESET_THROTTLED = "password_reset_throttled", _("Password reset held back")
        ROLE_GRANTED = "role_granted", _("Role granted")
        ROLE_REVOKED = "role_revoked", _("Role revoked")
        PERMISSION_GRANTED = "permission_granted", _("Permission granted")
        PERMISSION_REVOKED = "permission_revoked", _("Permission revoked")
        RECORD_VIEWED = "record_viewed", _("Record viewed")
        RECORD_CREATED = "record_created", _("Record created")
        RECORD_CHANGED = "record_changed", _("Record changed")
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")

    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # Kept as text too, so the log still says who after an account is removed.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_email = models.CharField(_("who (email)"), max_length=254, blank=True)
    # The council whose log this line belongs to (whose record it is).
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("council"),
    )
    # The council the person acted from; differs from `council` on cross-border cases.
    actor_council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from council"),
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=60, blank=True)
    object_id = models.CharField(_("record id"), max_length=60, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["council", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")
