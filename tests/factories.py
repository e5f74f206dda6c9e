"""Small factories for tests. Each app adds its own; these cover councils, schools and people."""

import factory
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from tenants.models import Council, Membership, Partnership, Role, School, Trust, User

TEST_PASSWORD = "correct-horse-battery-staple"


class CouncilFactory(DjangoModelFactory[Council]):
    class Meta:
        model = Council
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Testshire {n} County Council")
    slug = factory.Sequence(lambda n: f"testshire-{n}")


class PartnershipFactory(DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Riverside SEIP {n}")
    slug = factory.Sequence(lambda n: f"riverside-seip-{n}")
    kind = Partnership.Kind.SEIP


class TrustFactory(DjangoModelFactory[Trust]):
    class Meta:
        model = Trust

    name = factory.Sequence(lambda n: f"Meadow Learning Trust {n}")


class SchoolFactory(DjangoModelFactory[School]):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: 900000 + n)
    name = factory.Sequence(lambda n: f"Oakfield Academy {n}")
    phase = School.Phase.SECONDARY
    kind = School.Kind.MAINTAINED
    council = factory.SubFactory(CouncilFactory)
    postcode = "NR1 2DH"
    number_on_roll = 900


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Taylor{n}")
    password = factory.django.Password(TEST_PASSWORD)


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.COUNCIL_OFFICER
    council = factory.SubFactory(CouncilFactory)


def person_with_role(
    *,
    role: Role,
    council: Council,
    partnership: Partnership | None = None,
    school: School | None = None,
    email: str | None = None,
) -> User:
    """A person holding one role, placed at a partnership or school of `council` when the role needs one."""
    if role == Role.PARTNERSHIP_OFFICER and partnership is None:
        partnership = PartnershipFactory(council=council)
    if role in (Role.HEAD_TEACHER, Role.SCHOOL_STAFF) and school is None:
        school = SchoolFactory(council=council)
    user = UserFactory(**({"email": email} if email else {}))
    MembershipFactory(user=user, role=role, council=council, partnership=partnership, school=school)
    return user


def sign_in(client: Client, user: User, *, verified: bool = True) -> None:
    """Sign `user` in on the test client; `verified` also passes two-factor with a TOTP device."""
    client.force_login(user)
    if verified:
        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
            user=user, name="default", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def wagtail_default_locale() -> None:
    """Wagtail's default locale, made by its migrations. A transactional test (browser, worker
    and concurrency tests) flushes every table when it ends, this row with them, and a later test
    in the same process that publishes a page needs it again."""
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale

    Locale.objects.get_or_create(language_code=get_supported_content_language_variant("en-gb"))
