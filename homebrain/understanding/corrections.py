"""A sentence that corrects itself: what comes after "I mean" replaces what came before.

"heating to twenty two, actually make that twenty one", "turn off the dragonfly
lamp, sorry, I mean the bar cart light": people fix a slip in the same breath,
and the model tags both the slip and the fix. The fix wins; the slip is
dropped before the slots are filled, so nothing is done to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from homebrain.understanding.spans import SpanLike

# words that take back what was just said
_CUES: tuple[tuple[str, ...], ...] = tuple(
    tuple(cue.split())
    for cue in (
        "i mean", "i meant", "actually", "sorry", "no wait", "or rather", "make that",
        "scratch that", "correction",
    )
)  # fmt: skip
# "the lamp, actually the fan too": more, not instead
_ADDING = frozenset({"too", "also", "well", "both", "and", "plus"})
# what a fix replaces: the same kind of span said again
_REPLACED: dict[str, tuple[str, ...]] = {
    "value": ("value", "unit"),
    "device": ("device",),
    "color": ("color",),
    "mode": ("mode",),
}


def corrected(spans: Sequence[SpanLike], tokens: Sequence[str]) -> list[SpanLike]:
    """``spans`` without those a later correction in ``tokens`` replaces."""
    cue = _last_cue(tokens)
    if cue is None or set(tokens[cue:]) & _ADDING:
        return list(spans)
    dropped: set[int] = set()
    for kind, replaced in _REPLACED.items():
        after = [s for s in spans if s.slot_type == kind and s.start >= cue]
        before = [i for i, s in enumerate(spans) if s.slot_type in replaced and s.end <= cue]
        if after and any(spans[i].slot_type == kind for i in before):
            dropped.update(before)
    return [s for i, s in enumerate(spans) if i not in dropped]


def _last_cue(tokens: Sequence[str]) -> int | None:
    found = [
        i for i in range(1, len(tokens)) for cue in _CUES if tuple(tokens[i : i + len(cue)]) == cue
    ]
    return max(found) if found else None
