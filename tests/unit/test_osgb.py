"""National Grid to latitude/longitude, checked against the Ordnance Survey's worked example."""

import pytest

from tenants.osgb import grid_to_wgs84, osgb36_lat_lon


def test_os_worked_example_on_osgb36() -> None:
    # "A guide to coordinate systems in Great Britain", annex C: Caister water tower.
    lat, lon = osgb36_lat_lon(651409.903, 313177.270)
    assert lat == pytest.approx(52 + 39 / 60 + 27.2531 / 3600, abs=1e-7)
    assert lon == pytest.approx(1 + 43 / 60 + 4.5177 / 3600, abs=1e-7)


def test_wgs84_shift_is_small_and_westward_in_east_anglia() -> None:
    lat, lon = grid_to_wgs84(651409.903, 313177.270)
    # OSGB36 and WGS84 differ by about 100 metres in England.
    assert lat == pytest.approx(52.6580, abs=0.0005)
    assert lon == pytest.approx(1.7161, abs=0.0005)


def test_central_london() -> None:
    lat, lon = grid_to_wgs84(530000, 180000)
    assert lat == pytest.approx(51.504, abs=0.002)
    assert lon == pytest.approx(-0.128, abs=0.002)
