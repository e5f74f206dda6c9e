"""Demo councils, partnerships, schools and one login per role per council.

Every school below is INVENTED for the demo: the names, URNs (88xxxx, outside the range the DfE
has issued) and head counts are made up; the postcodes are real districts in the right area and
the coordinates are approximate. The one demo password is for the demo only.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .models import Council, Membership, Partnership, Role, School, Trust, User

DEMO_PASSWORD = "managed-moves-demo"
SUPERUSER_EMAIL = "superuser@fairway.example"
TRUST_NAME = "Soar Valley Learning Trust"  # invented; runs academies in the county and the city


@dataclass(frozen=True)
class DemoSchool:
    urn: int
    name: str
    phase: School.Phase
    kind: School.Kind
    postcode: str
    lat: str
    lon: str
    on_roll: int
    partnership: str = ""  # a partnership slug
    trust: bool = False


@dataclass(frozen=True)
class DemoCouncil:
    slug: str
    name: str
    colour: str
    partnerships: list[tuple[str, str, Partnership.Kind]]  # slug, name, kind
    schools: list[DemoSchool]
    people: dict[Role, tuple[str, str]]  # first and last name of each demo login


P, S, M = School.Phase.PRIMARY, School.Phase.SECONDARY, School.Phase.NOT_APPLICABLE
MAINT, ACAD, FREE = School.Kind.MAINTAINED, School.Kind.ACADEMY, School.Kind.FREE_SCHOOL
SPEC, AP = School.Kind.SPECIAL, School.Kind.ALTERNATIVE_PROVISION
SEIP, FAP, LOC = (
    Partnership.Kind.SEIP,
    Partnership.Kind.FAIR_ACCESS_PANEL,
    Partnership.Kind.LOCALITY,
)

COUNCILS = [
    DemoCouncil(
        slug="norfolk",
        name="Norfolk County Council",
        colour="#00466e",
        partnerships=[
            ("fair-access-panel", "Norfolk Fair Access Panel", FAP),
            ("norwich", "Norwich locality", LOC),
            ("west-norfolk", "West Norfolk locality", LOC),
            ("great-yarmouth", "Great Yarmouth and Waveney Edge locality", LOC),
        ],
        schools=[
            DemoSchool(
                880101,
                "Wensum Park Academy",
                S,
                ACAD,
                "NR2 4TA",
                "52.6368",
                "1.2796",
                1180,
                "norwich",
            ),
            DemoSchool(
                880102,
                "Catton Grove High School",
                S,
                MAINT,
                "NR3 3TS",
                "52.6542",
                "1.2884",
                960,
                "norwich",
            ),
            DemoSchool(
                880103,
                "Eaton Rise Community School",
                S,
                MAINT,
                "NR4 6PN",
                "52.6151",
                "1.2622",
                1040,
                "norwich",
            ),
            DemoSchool(
                880104,
                "Gaywood Marsh Academy",
                S,
                ACAD,
                "PE30 4QJ",
                "52.7601",
                "0.4256",
                1310,
                "west-norfolk",
            ),
            DemoSchool(
                880105,
                "Downham Fen High School",
                S,
                MAINT,
                "PE38 9DN",
                "52.5843",
                "0.3812",
                820,
                "west-norfolk",
            ),
            DemoSchool(
                880106,
                "Gorleston Cliffs Academy",
                S,
                ACAD,
                "NR31 7BQ",
                "52.5695",
                "1.7301",
                1105,
                "great-yarmouth",
            ),
            DemoSchool(
                880107,
                "Caister Dunes High School",
                S,
                FREE,
                "NR30 5JU",
                "52.6465",
                "1.7261",
                640,
                "great-yarmouth",
            ),
            DemoSchool(
                880108,
                "Heartsease Primary School",
                P,
                MAINT,
                "NR7 9UE",
                "52.6388",
                "1.3340",
                410,
                "norwich",
            ),
            DemoSchool(
                880109,
                "Lakenham Bridge Special School",
                M,
                SPEC,
                "NR1 2HL",
                "52.6175",
                "1.2960",
                120,
            ),
            DemoSchool(
                880110,
                "Norfolk Harbour Short Stay School",
                M,
                AP,
                "NR6 6AN",
                "52.6616",
                "1.2733",
                64,
            ),
        ],
        people={
            Role.COUNCIL_ADMIN: ("Hannah", "Bloomfield"),
            Role.COUNCIL_OFFICER: ("Marcus", "Ellwood"),
            Role.INCLUSION_ADVISER: ("Joanne", "Peckover"),
            Role.PARTNERSHIP_OFFICER: ("Dev", "Mistry"),
            Role.HEAD_TEACHER: ("Claire", "Henstridge"),
            Role.SCHOOL_STAFF: ("Tom", "Aldous"),
        },
    ),
    DemoCouncil(
        slug="leicestershire",
        name="Leicestershire County Council",
        colour="#005b96",
        partnerships=[
            ("charnwood-seip", "Charnwood SEIP", SEIP),
            ("hinckley-and-bosworth-seip", "Hinckley and Bosworth SEIP", SEIP),
            ("harborough-and-melton-seip", "Harborough and Melton SEIP", SEIP),
            ("south-leicestershire-seip", "South Leicestershire SEIP", SEIP),
            ("nw-leicestershire-fap", "NW Leicestershire Fair Access Panel", FAP),
        ],
        schools=[
            DemoSchool(
                880201,
                "Loughborough Brookfield Academy",
                S,
                ACAD,
                "LE11 4SQ",
                "52.7786",
                "-1.2176",
                1250,
                "charnwood-seip",
                True,
            ),
            DemoSchool(
                880202,
                "Shepshed Outwoods High School",
                S,
                MAINT,
                "LE12 9DA",
                "52.7680",
                "-1.2951",
                880,
                "charnwood-seip",
            ),
            DemoSchool(
                880203,
                "Hinckley Burbage Academy",
                S,
                ACAD,
                "LE10 0PH",
                "52.5366",
                "-1.3652",
                1130,
                "hinckley-and-bosworth-seip",
            ),
            DemoSchool(
                880204,
                "Market Bosworth Field School",
                S,
                ACAD,
                "CV13 0JS",
                "52.6231",
                "-1.4030",
                760,
                "hinckley-and-bosworth-seip",
            ),
            DemoSchool(
                880205,
                "Welland Park Community College",
                S,
                MAINT,
                "LE16 7AZ",
                "52.4757",
                "-0.9311",
                1020,
                "harborough-and-melton-seip",
            ),
            DemoSchool(
                880206,
                "Melton Wreake Academy",
                S,
                ACAD,
                "LE13 1HX",
                "52.7647",
                "-0.8786",
                940,
                "harborough-and-melton-seip",
                True,
            ),
            DemoSchool(
                880207,
                "Blaby Soar Meadows High School",
                S,
                MAINT,
                "LE8 4GP",
                "52.5761",
                "-1.1640",
                870,
                "south-leicestershire-seip",
            ),
            DemoSchool(
                880208,
                "Wigston Grange Academy",
                S,
                ACAD,
                "LE18 2DS",
                "52.5853",
                "-1.1004",
                1190,
                "south-leicestershire-seip",
            ),
            DemoSchool(
                880209,
                "Coalville Bardon Hill Academy",
                S,
                ACAD,
                "LE67 3PB",
                "52.7231",
                "-1.3651",
                1015,
                "nw-leicestershire-fap",
            ),
            DemoSchool(
                880210,
                "Ashby Ivanhoe Community School",
                S,
                MAINT,
                "LE65 2HB",
                "52.7470",
                "-1.4744",
                990,
                "nw-leicestershire-fap",
            ),
            DemoSchool(
                880211,
                "Charnwood Forest Special School",
                M,
                SPEC,
                "LE12 8DY",
                "52.7414",
                "-1.2003",
                140,
            ),
        ],
        people={
            Role.COUNCIL_ADMIN: ("Sunita", "Lakhani"),
            Role.COUNCIL_OFFICER: ("Gareth", "Pell"),
            Role.INCLUSION_ADVISER: ("Rebecca", "Thorpe"),
            Role.PARTNERSHIP_OFFICER: ("Ian", "Moseley"),
            Role.HEAD_TEACHER: ("Andrew", "Castledine"),
            Role.SCHOOL_STAFF: ("Leanne", "Buckby"),
        },
    ),
    DemoCouncil(
        slug="southwark",
        name="Southwark Council",
        colour="#0b4f6c",
        partnerships=[
            ("fair-access-panel", "Southwark Fair Access Panel", FAP),
            ("north-southwark", "North Southwark locality", LOC),
            ("south-southwark", "South Southwark locality", LOC),
        ],
        schools=[
            DemoSchool(
                880301,
                "Bermondsey Tanners Academy",
                S,
                ACAD,
                "SE16 3RW",
                "51.4946",
                "-0.0618",
                1150,
                "north-southwark",
            ),
            DemoSchool(
                880302,
                "Borough Market Street School",
                S,
                MAINT,
                "SE1 1JA",
                "51.5033",
                "-0.0911",
                870,
                "north-southwark",
            ),
            DemoSchool(
                880303,
                "Rotherhithe Docks Academy",
                S,
                ACAD,
                "SE16 6AT",
                "51.4985",
                "-0.0472",
                980,
                "north-southwark",
            ),
            DemoSchool(
                880304,
                "Peckham Rye Academy",
                S,
                ACAD,
                "SE15 4QX",
                "51.4669",
                "-0.0664",
                1240,
                "south-southwark",
            ),
            DemoSchool(
                880305,
                "Camberwell Grove School",
                S,
                MAINT,
                "SE5 8RB",
                "51.4710",
                "-0.0880",
                910,
                "south-southwark",
            ),
            DemoSchool(
                880306,
                "Dulwich Wood Free School",
                S,
                FREE,
                "SE21 7BG",
                "51.4420",
                "-0.0852",
                720,
                "south-southwark",
            ),
            DemoSchool(
                880307,
                "Nunhead Cemetery Gate Primary",
                P,
                MAINT,
                "SE15 3QZ",
                "51.4627",
                "-0.0535",
                420,
                "south-southwark",
            ),
            DemoSchool(
                880308,
                "Walworth Road Special School",
                M,
                SPEC,
                "SE17 1RX",
                "51.4873",
                "-0.0932",
                110,
            ),
            DemoSchool(
                880309,
                "Southwark Bridge Alternative Provision",
                M,
                AP,
                "SE1 0LN",
                "51.5031",
                "-0.1033",
                58,
            ),
        ],
        people={
            Role.COUNCIL_ADMIN: ("Adaeze", "Okafor"),
            Role.COUNCIL_OFFICER: ("Liam", "Doherty"),
            Role.INCLUSION_ADVISER: ("Fatima", "Rahman"),
            Role.PARTNERSHIP_OFFICER: ("Kwame", "Mensah"),
            Role.HEAD_TEACHER: ("Rachel", "Greenwood"),
            Role.SCHOOL_STAFF: ("Jamal", "Ahmed"),
        },
    ),
    DemoCouncil(
        slug="leicester-city",
        name="Leicester City Council",
        colour="#00605a",
        partnerships=[("city-partnership", "Leicester City Partnership", LOC)],
        schools=[
            DemoSchool(
                880401,
                "Belgrave Soar Academy",
                S,
                ACAD,
                "LE4 5PW",
                "52.6556",
                "-1.1251",
                1300,
                "city-partnership",
                True,
            ),
            DemoSchool(
                880402,
                "Highfields Spinney Academy",
                S,
                ACAD,
                "LE2 1LE",
                "52.6279",
                "-1.1148",
                1080,
                "city-partnership",
            ),
            DemoSchool(
                880403,
                "Braunstone Frith Community College",
                S,
                MAINT,
                "LE3 1QP",
                "52.6286",
                "-1.1813",
                950,
                "city-partnership",
            ),
            DemoSchool(
                880404,
                "Beaumont Leys Academy",
                S,
                ACAD,
                "LE4 0AR",
                "52.6682",
                "-1.1558",
                1170,
                "city-partnership",
                True,
            ),
            DemoSchool(
                880405,
                "Evington Park School",
                S,
                MAINT,
                "LE5 6LN",
                "52.6236",
                "-1.0837",
                860,
                "city-partnership",
            ),
            DemoSchool(
                880406,
                "Aylestone Meadows Academy",
                S,
                ACAD,
                "LE2 8LX",
                "52.6043",
                "-1.1490",
                1010,
                "city-partnership",
            ),
            DemoSchool(
                880407,
                "Rushey Mead Primary School",
                P,
                MAINT,
                "LE4 7ZS",
                "52.6675",
                "-1.1091",
                630,
                "city-partnership",
            ),
            DemoSchool(
                880408,
                "Leicester Clock Tower Learning Centre",
                M,
                AP,
                "LE1 3AA",
                "52.6364",
                "-1.1327",
                72,
            ),
        ],
        people={
            Role.COUNCIL_ADMIN: ("Harjit", "Sandhu"),
            Role.COUNCIL_OFFICER: ("Anna", "Whitcombe"),
            Role.INCLUSION_ADVISER: ("Yusuf", "Patel"),
            Role.PARTNERSHIP_OFFICER: ("Mandeep", "Gill"),
            Role.HEAD_TEACHER: ("Stephen", "Oakley"),
            Role.SCHOOL_STAFF: ("Chloe", "Barnes"),
        },
    ),
]

# A council that is not on Fairway: its schools are there (as the GIAS import brings every
# council's), nobody works in it, so a move to one of its schools is recorded by the home council
# alone. The school is INVENTED like the others.
OUTSIDE_FAIRWAY = DemoCouncil(
    slug="lambeth",
    name="Lambeth Council",
    colour="#1d70b8",
    partnerships=[],
    schools=[
        DemoSchool(
            880501,
            "Kennington Vale Academy",
            S,
            ACAD,
            "SE11 4QY",
            "51.4870",
            "-0.1100",
            1050,
        ),
    ],
    people={},
)

# How each role's demo address starts: admin@norfolk.example, partnership-officer@...
ADDRESS = {
    Role.COUNCIL_ADMIN: "admin",
    Role.COUNCIL_OFFICER: "officer",
    Role.INCLUSION_ADVISER: "inclusion-adviser",
    Role.PARTNERSHIP_OFFICER: "partnership-officer",
    Role.HEAD_TEACHER: "head-teacher",
    Role.SCHOOL_STAFF: "school-staff",
}


def demo_email(role: Role, council_slug: str) -> str:
    return f"{ADDRESS[role]}@{council_slug}.example"


def _person(email: str, first: str, last: str, **extra: bool) -> User:
    user, _ = User.objects.update_or_create(
        email=email, defaults={"first_name": first, "last_name": last, "is_active": True, **extra}
    )
    validate_password(DEMO_PASSWORD, user)
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


def _member(
    user: User,
    role: Role,
    council: Council,
    *,
    partnership: Partnership | None = None,
    school: School | None = None,
) -> None:
    Membership.objects.get_or_create(
        user=user, role=role, council=council, partnership=partnership, school=school
    )


@transaction.atomic
def load_demo() -> None:
    """Create or refresh the demo councils, partnerships, schools and logins (idempotent)."""
    trust, _ = Trust.objects.get_or_create(name=TRUST_NAME)
    trust_schools: dict[str, School] = {}
    for spec in COUNCILS:
        council, _ = Council.objects.update_or_create(
            slug=spec.slug, defaults={"name": spec.name, "brand_colour": spec.colour}
        )
        partnerships = {
            slug: Partnership.objects.update_or_create(
                council=council, slug=slug, defaults={"name": name, "kind": kind}
            )[0]
            for slug, name, kind in spec.partnerships
        }
        schools = []
        for s in spec.schools:
            school, _ = School.objects.update_or_create(
                urn=s.urn,
                defaults={
                    "name": s.name,
                    "phase": s.phase,
                    "kind": s.kind,
                    "council": council,
                    "partnership": partnerships.get(s.partnership),
                    "trust": trust if s.trust else None,
                    "postcode": s.postcode,
                    "latitude": Decimal(s.lat),
                    "longitude": Decimal(s.lon),
                    "number_on_roll": s.on_roll,
                },
            )
            schools.append(school)
            if s.trust and spec.slug not in trust_schools:
                trust_schools[spec.slug] = school
        home_school = schools[0]  # the named demo school of the head teacher and school staff
        first_partnership = partnerships[spec.partnerships[0][0]]
        for role, (first, last) in spec.people.items():
            user = _person(demo_email(role, spec.slug), first, last)
            if role == Role.PARTNERSHIP_OFFICER:
                _member(user, role, council, partnership=first_partnership)
            elif role in (Role.HEAD_TEACHER, Role.SCHOOL_STAFF):
                _member(user, role, council, school=home_school)
            else:
                _member(user, role, council)

    outside, _ = Council.objects.update_or_create(
        slug=OUTSIDE_FAIRWAY.slug,
        defaults={"name": OUTSIDE_FAIRWAY.name, "brand_colour": OUTSIDE_FAIRWAY.colour},
    )
    for s in OUTSIDE_FAIRWAY.schools:
        School.objects.update_or_create(
            urn=s.urn,
            defaults={
                "name": s.name,
                "phase": s.phase,
                "kind": s.kind,
                "council": outside,
                "postcode": s.postcode,
                "latitude": Decimal(s.lat),
                "longitude": Decimal(s.lon),
                "number_on_roll": s.on_roll,
            },
        )

    # An academy trust officer works with the trust's academies on both sides of the border.
    officer = _person("trust-officer@leicestershire.example", "Priya", "Chauhan")
    for slug in ("leicestershire", "leicester-city"):
        school = trust_schools[slug]
        _member(officer, Role.SCHOOL_STAFF, school.council, school=school)

    _person(SUPERUSER_EMAIL, "Fairway", "Superuser", is_staff=True, is_superuser=True)
