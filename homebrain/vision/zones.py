"""Which configured zones people are in.

A zone is a box in one camera's picture, so "in the zone" has to be decided by a single
image point per person, and the point that stays put while the body moves is where the
person meets the floor or the seat: the feet (ankles, heels, toes) when they are seen,
the hips when the legs are hidden (sitting behind a table, cut off by the frame's
bottom edge), and the middle of the person's box when neither is visible. Zones should
therefore be drawn around the floor or seat area a person stands or sits on, not around
the furniture's whole outline. Zones may overlap; a person counts in each one.
"""

from __future__ import annotations

import numpy as np

from homebrain.vision.types import Person, Zone

FEET = (27, 28, 29, 30, 31, 32)  # ankles, heels, foot index
HIPS = (23, 24)
VISIBLE = 0.5


def anchor(person: Person) -> tuple[float, float] | None:
    """The image point that decides the person's zone (see the module docstring)."""
    landmarks = np.asarray(person.landmarks, dtype=np.float64)
    if landmarks.ndim == 2 and landmarks.shape[0] >= 33 and landmarks.shape[1] >= 2:
        for group in (FEET, HIPS):
            rows = landmarks[list(group)]
            seen = np.all(np.isfinite(rows[:, :2]), axis=1)
            if rows.shape[1] > 3:
                seen &= rows[:, 3] >= VISIBLE
            if seen.any():
                x, y = rows[seen, :2].mean(axis=0)
                return (float(x), float(y))
    x0, y0, x1, y1 = person.box
    center = ((x0 + x1) / 2, (y0 + y1) / 2)
    if not all(np.isfinite(center)):
        return None
    return (float(center[0]), float(center[1]))


def _inside(point: tuple[float, float], zone: Zone) -> bool:
    x0, y0, x1, y1 = zone.box
    return min(x0, x1) <= point[0] <= max(x0, x1) and min(y0, y1) <= point[1] <= max(y0, y1)


def zones_of(person: Person, zones: list[Zone]) -> list[str]:
    """Names of the zones the person is in, in the configured order."""
    point = anchor(person)
    if point is None:
        return []
    return [zone.name for zone in zones if _inside(point, zone)]


def count_by_zone(people: list[Person], zones: list[Zone]) -> dict[str, int]:
    """People per zone; every configured zone is present, empty ones with 0."""
    counts = {zone.name: 0 for zone in zones}
    for person in people:
        for name in set(zones_of(person, zones)):
            counts[name] += 1
    return counts
