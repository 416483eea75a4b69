"""Small vector helpers shared by the gesture and pointing rules."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def smoothstep(x: float, low: float, high: float) -> float:
    """0 below ``low``, 1 above ``high``, smooth between: rules that fade, not flip."""
    t = min(max((x - low) / (high - low), 0.0), 1.0)
    return t * t * (3 - 2 * t)


def angle(a: FloatArray, b: FloatArray, degenerate: float) -> float:
    """Angle between two vectors in radians; ``degenerate`` when either has no length
    (what that means differs: no bend for a finger, no direction for a ray)."""
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na < 1e-12 or nb < 1e-12:
        return degenerate
    return math.acos(min(max(float(a.dot(b)) / (na * nb), -1.0), 1.0))
