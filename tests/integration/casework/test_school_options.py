from datetime import date
from decimal import Decimal

from fairway.casework import selectors
from fairway.casework.models import Case
from tests.factories import SchoolFactory

from .conftest import Place, agree, open_case


def test_four_nearest_schools_with_moves_in_and_out(norfolk: Place) -> None:
    # Pupil in NR2 (Norwich); five schools at growing distances, one far away in King's Lynn.
    places = [("52.631", "1.280"), ("52.645", "1.292"), ("52.610", "1.258"), ("52.660", "1.280")]
    near = [
        SchoolFactory(council=norfolk.council, latitude=Decimal(lat), longitude=Decimal(lon))
        for lat, lon in places
    ]
    SchoolFactory(council=norfolk.council, latitude=Decimal("52.755"), longitude=Decimal("0.405"))
    moved = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    Case.objects.filter(pk=moved.pk).update(receiving_school=near[0])
    case = open_case(norfolk, home_postcode="NR2 3AB")
    result = selectors.school_options(case=case, today=date(2026, 11, 23))
    assert result.located
    assert [o.school for o in result.options] == near
    assert result.options[0].moves_in == 1
    assert result.options[0].distance_km < result.options[3].distance_km


def test_unknown_postcode_district_says_so(norfolk: Place) -> None:
    case = open_case(norfolk, home_postcode="ZZ9 9ZZ")
    assert not selectors.school_options(case=case).located
