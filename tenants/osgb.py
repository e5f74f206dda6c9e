"""National Grid (OSGB36 eastings and northings, EPSG:27700) to latitude and longitude, by pyproj.

GIAS exports give each school's location as `Easting` and `Northing`; Fairway keeps WGS84
(EPSG:4326) for distances between postcodes and schools. pyproj's Helmert transformation is
accurate to a few metres, ample for "the nearest schools"; the test checks it against the
Ordnance Survey's worked example.
"""

from __future__ import annotations

from functools import cache

from pyproj import Transformer


@cache
def _transformer(target: str) -> Transformer:
    # always_xy: (easting, northing) in, (longitude, latitude) out, whatever the CRS's axis order.
    return Transformer.from_crs("EPSG:27700", target, always_xy=True)


def osgb36_lat_lon(easting: float, northing: float) -> tuple[float, float]:
    """Latitude and longitude in degrees on the OSGB36 datum (EPSG:4277), as the OS guide gives."""
    lon, lat = _transformer("EPSG:4277").transform(easting, northing)
    return lat, lon


def grid_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """Latitude and longitude in degrees on WGS84."""
    lon, lat = _transformer("EPSG:4326").transform(easting, northing)
    return lat, lon
