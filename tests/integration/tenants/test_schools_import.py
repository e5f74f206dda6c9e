"""`fairway schools import`: a whole GIAS file or nothing, errors as FILE:ROW:COLUMN: message."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tenants.models import AuditEvent, Council, School, Trust
from tests.factories import CouncilFactory, PartnershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent.parent / "data"
GOOD = DATA / "gias_norfolk_sample.csv"
BROKEN = DATA / "gias_norfolk_broken.csv"
MISSING = DATA / "gias_missing_column.csv"


def run(path: Path, slug: str = "norfolk") -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("schools_import", str(path), "--council", slug, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_good_file_imports_every_school(council_a: Council) -> None:
    code, out, _err = run(GOOD)
    assert code == 0
    assert out.strip() == "Norfolk County Council: 6 created, 0 updated, 0 unchanged."
    academy = School.objects.get(urn=990102)
    assert (academy.name, academy.kind, academy.phase) == (
        "Yare Fields Academy",
        "academy",
        "secondary",
    )
    assert academy.trust == Trust.objects.get(name="Broadland Learning Trust")
    # GIAS's address columns, one a line, for the notice of an off-site direction.
    assert (academy.address, academy.postcode) == ("Yarmouth Road\nNorwich", "NR7 0EB")
    assert School.objects.get(urn=990104).kind == School.Kind.SPECIAL
    assert School.objects.get(urn=990105).kind == School.Kind.ALTERNATIVE_PROVISION
    assert School.objects.get(urn=990106).number_on_roll is None
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, council=council_a).count() == 1
    )


def test_reimport_updates_by_urn_and_keeps_partnership(council_a: Council, tmp_path: Path) -> None:
    run(GOOD)
    seip = PartnershipFactory(council=council_a)
    School.objects.filter(urn=990101).update(partnership=seip)
    changed = tmp_path / "changed.csv"
    changed.write_text(
        GOOD.read_text()
        .replace("Wensum Valley High School", "Wensum Valley Academy")
        .replace(",1032,", ",1040,")
    )
    code, out, _ = run(changed)
    assert code == 0
    assert out.strip() == "Norfolk County Council: 0 created, 1 updated, 5 unchanged."
    school = School.objects.get(urn=990101)
    assert (school.name, school.number_on_roll, school.partnership) == (
        "Wensum Valley Academy",
        1040,
        seip,
    )


def test_broken_file_reports_every_row_and_imports_nothing(council_a: Council) -> None:
    code, _out, err = run(BROKEN)
    assert code == 1
    f = str(BROKEN)
    assert err.splitlines() == [
        f"{f}:3:URN: '99O202' is not a whole number",
        f"{f}:4:PhaseOfEducation (name): 'Primary school' is not a GIAS phase of education",
        f"{f}:5:URN: URN 990201 is also on row 2",
        f"{f}:6:LA (name): 'Suffolk' is not Norfolk County Council; import each council's schools separately",
        f"{f}:7:TypeOfEstablishment (name): 'Independent school' is not a type of school Fairway places pupils in",
        f"{f}:8:NumberOfPupils: 'about 300' is not a whole number (leave it blank if unknown)",
        f"{f}:9:Postcode: 'NR18 OAB' is not a UK postcode",
        "7 problem(s); nothing was imported.",
    ]
    assert not School.objects.exists()


def test_missing_column_is_named(council_a: Council) -> None:
    code, _out, err = run(MISSING)
    assert code == 1
    assert f"{MISSING}:1:PhaseOfEducation (name): required column is missing" in err.splitlines()


def test_urn_of_another_council_is_refused(council_a: Council) -> None:
    SchoolFactory(urn=990103, council=CouncilFactory(name="Suffolk County Council", slug="suffolk"))
    code, _out, err = run(GOOD)
    assert code == 1
    assert f"{GOOD}:4:URN: URN 990103 is already a school of Suffolk County Council" in err
    assert School.objects.filter(council=council_a).count() == 0


def test_unknown_council_and_file(council_a: Council, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no council 'atlantis'"):
        run(GOOD, slug="atlantis")
    code, _out, err = run(tmp_path / "nope.csv")
    assert code == 1 and "cannot read the file" in err


def test_windows_1252_export(council_a: Council, tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    path.write_bytes(GOOD.read_text().replace("St Edmund's", "St Edmund\u2019s").encode("cp1252"))
    assert run(path)[0] == 0
    assert School.objects.get(urn=990103).name.startswith("St Edmund\u2019s")


def test_eastings_and_northings_become_latitude_and_longitude(council_a: Council) -> None:
    run(GOOD)
    school = School.objects.get(urn=990101)  # near Costessey, west of Norwich
    assert school.latitude is not None and school.longitude is not None
    assert abs(float(school.latitude) - 52.64) < 0.02 and abs(float(school.longitude) - 1.22) < 0.02
