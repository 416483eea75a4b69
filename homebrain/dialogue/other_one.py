""" "And the other one too", "the other fan as well": the one device like the last that it wasn't.

People name a second device by what it is not: the heater they did not just
change. It is only read so where exactly one device fits: of the same kind as
the ones just talked about (or the kind said, "the other fan"), not one of them,
in the same room when that room has another, otherwise in the whole home.
Anything else is left to the resolver, which asks; a correction ("no, I meant
the other lamp") is read by target_correction, which asks this module with
``correcting``.
"""

from __future__ import annotations

from collections.abc import Sequence

from homebrain.home import Entity, Home
from homebrain.understanding import vocabulary as V

_ONE_WORDS = frozenset({"one", "ones"})


def the_other_one(
    home: Home, referents: Sequence[str], tokens: Sequence[str], *, correcting: bool = False
) -> Entity | None:
    """``correcting``: the caller reads the turn as taking the last command back (see
    target_correction), so words that take back do not rule the other one out."""
    said = _kind_after_the_other(tokens)
    if said is None or not referents or (_takes_back(tokens) and not correcting):
        return None
    domains = {r.split(".", 1)[0] for r in referents}
    if said in _ONE_WORDS:
        if len(domains) != 1:
            return None
        domain = next(iter(domains))
    else:
        domain = V.DEVICE_WORDS[said].domain
    rooms = {e.room for r in referents if (e := home.entities.get(r)) is not None}
    others = [
        e for e in home.entities.values() if e.domain == domain and e.entity_id not in referents
    ]
    nearby = [e for e in others if e.room in rooms]
    for choice in (nearby, others):
        if len(choice) == 1:
            return choice[0]
    return None


def _takes_back(tokens: Sequence[str]) -> bool:
    """ "no, I meant the other lamp" takes the last command back: more than a new target."""
    return bool(set(tokens) & _TAKING_BACK) or tokens[:1] == ["no"]


_TAKING_BACK = frozenset({"meant", "mean", "not", "instead", "wrong"})


def _kind_after_the_other(tokens: Sequence[str]) -> str | None:
    """ "the other one" -> "one", "the other fan" -> "fan"; None where "the other" is not said."""
    for i in range(len(tokens) - 2):
        if tokens[i] == "the" and tokens[i + 1] == "other":
            word = tokens[i + 2]
            if word in _ONE_WORDS or word in V.DEVICE_WORDS:
                return word
    return None
