"""Ordnance Survey National Grid eastings and northings to WGS84 latitude and longitude.

GIAS gives each school's position as Easting/Northing (OSGB36). This follows the Ordnance
Survey's "A guide to coordinate systems in Great Britain": the inverse transverse Mercator
projection on the Airy 1830 ellipsoid, then a Helmert transformation to WGS84. The Helmert
step is good to a few metres, far finer than "which schools are nearest" needs.
"""

from math import atan2, cos, degrees, radians, sin, sqrt, tan

# Airy 1830 ellipsoid and the National Grid's true origin.
AIRY_A, AIRY_B = 6377563.396, 6356256.909
F0 = 0.9996012717
LAT0, LON0 = radians(49.0), radians(-2.0)
N0, E0 = -100000.0, 400000.0
# WGS84 ellipsoid.
WGS_A, WGS_B = 6378137.000, 6356752.3142
# OSGB36 -> WGS84 Helmert parameters (metres, parts per million, arc-seconds).
TX, TY, TZ = 446.448, -125.157, 542.060
S_PPM = -20.4894
RX, RY, RZ = (radians(v / 3600) for v in (0.1502, 0.2470, 0.8421))


def _meridional_arc(lat: float, b: float, n: float) -> float:
    d, s = lat - LAT0, lat + LAT0
    return (
        b
        * F0
        * (
            (1 + n + 5 / 4 * n**2 + 5 / 4 * n**3) * d
            - (3 * n + 3 * n**2 + 21 / 8 * n**3) * sin(d) * cos(s)
            + (15 / 8 * n**2 + 15 / 8 * n**3) * sin(2 * d) * cos(2 * s)
            - 35 / 24 * n**3 * sin(3 * d) * cos(3 * s)
        )
    )


def osgb36_lat_lon(easting: float, northing: float) -> tuple[float, float]:
    """Latitude and longitude in radians on OSGB36 (Airy 1830)."""
    a, b = AIRY_A, AIRY_B
    e2 = 1 - b**2 / a**2
    n = (a - b) / (a + b)
    lat, m = LAT0, 0.0
    while True:
        lat = (northing - N0 - m) / (a * F0) + lat
        m = _meridional_arc(lat, b, n)
        if abs(northing - N0 - m) < 0.00001:
            break
    nu = a * F0 / sqrt(1 - e2 * sin(lat) ** 2)
    rho = a * F0 * (1 - e2) / (1 - e2 * sin(lat) ** 2) ** 1.5
    eta2 = nu / rho - 1
    t = tan(lat)
    sec = 1 / cos(lat)
    vii = t / (2 * rho * nu)
    viii = t / (24 * rho * nu**3) * (5 + 3 * t**2 + eta2 - 9 * t**2 * eta2)
    ix = t / (720 * rho * nu**5) * (61 + 90 * t**2 + 45 * t**4)
    x = sec / nu
    xi = sec / (6 * nu**3) * (nu / rho + 2 * t**2)
    xii = sec / (120 * nu**5) * (5 + 28 * t**2 + 24 * t**4)
    xiia = sec / (5040 * nu**7) * (61 + 662 * t**2 + 1320 * t**4 + 720 * t**6)
    de = easting - E0
    return (
        lat - vii * de**2 + viii * de**4 - ix * de**6,
        LON0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7,
    )


def _to_cartesian(lat: float, lon: float, a: float, b: float) -> tuple[float, float, float]:
    e2 = 1 - b**2 / a**2
    nu = a / sqrt(1 - e2 * sin(lat) ** 2)
    return nu * cos(lat) * cos(lon), nu * cos(lat) * sin(lon), (1 - e2) * nu * sin(lat)


def _from_cartesian(x: float, y: float, z: float, a: float, b: float) -> tuple[float, float]:
    e2 = 1 - b**2 / a**2
    p = sqrt(x**2 + y**2)
    lat = atan2(z, p * (1 - e2))
    for _ in range(10):
        nu = a / sqrt(1 - e2 * sin(lat) ** 2)
        lat = atan2(z + e2 * nu * sin(lat), p)
    return lat, atan2(y, x)


def grid_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """WGS84 latitude and longitude in degrees for a National Grid easting and northing."""
    lat, lon = osgb36_lat_lon(easting, northing)
    x, y, z = _to_cartesian(lat, lon, AIRY_A, AIRY_B)
    s = S_PPM * 1e-6
    x2 = TX + (1 + s) * x - RZ * y + RY * z
    y2 = TY + RZ * x + (1 + s) * y - RX * z
    z2 = TZ - RY * x + RX * y + (1 + s) * z
    lat_w, lon_w = _from_cartesian(x2, y2, z2, WGS_A, WGS_B)
    return degrees(lat_w), degrees(lon_w)
