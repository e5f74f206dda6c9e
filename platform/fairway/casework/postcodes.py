"""Where a pupil lives, roughly: bundled centroids of the postcode districts the demo uses.

Fairway does not hold a national postcode file. For the demo these are approximate centres of
each postcode district (the part before the space), good enough to rank the nearest schools; a
council would load the ONS Postcode Directory instead. Unknown districts give None, and the
school options then say so rather than guess.
"""

from __future__ import annotations

import math

# Approximate district centroids (latitude, longitude), for the demo only.
DISTRICTS: dict[str, tuple[float, float]] = {
    # Norfolk
    "NR1": (52.622, 1.305),
    "NR2": (52.630, 1.278),
    "NR3": (52.645, 1.292),
    "NR4": (52.610, 1.258),
    "NR5": (52.640, 1.230),
    "NR6": (52.660, 1.280),
    "NR7": (52.645, 1.330),
    "NR30": (52.610, 1.725),
    "NR31": (52.575, 1.720),
    "PE30": (52.755, 0.405),
    "PE38": (52.600, 0.380),
    # Leicestershire and Leicester
    "LE1": (52.636, -1.133),
    "LE2": (52.610, -1.115),
    "LE3": (52.630, -1.180),
    "LE4": (52.665, -1.130),
    "LE5": (52.640, -1.080),
    "LE8": (52.575, -1.165),
    "LE10": (52.540, -1.372),
    "LE11": (52.770, -1.205),
    "LE12": (52.780, -1.250),
    "LE13": (52.765, -0.885),
    "LE16": (52.478, -0.920),
    "LE18": (52.585, -1.110),
    "LE65": (52.745, -1.475),
    "LE67": (52.720, -1.370),
    "CV13": (52.620, -1.400),
    # Southwark
    "SE1": (51.500, -0.095),
    "SE5": (51.475, -0.090),
    "SE15": (51.470, -0.065),
    "SE16": (51.495, -0.050),
    "SE17": (51.488, -0.095),
    "SE21": (51.440, -0.087),
    "SE22": (51.455, -0.070),
}


def postcode_location(postcode: str) -> tuple[float, float] | None:
    district = postcode.strip().upper().split(" ")[0] if postcode.strip() else ""
    if " " not in postcode.strip() and len(district) > 4:
        district = district[:-3]  # "NR23AB" -> "NR2"
    return DISTRICTS.get(district)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))
