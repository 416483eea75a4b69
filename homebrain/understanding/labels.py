"""The label schema shared by the corpus generator, the trainer and the on-device model.

The model file carries its own copy of these lists (a model trained with
custom intents has more), so this module gives the built-in defaults and the
fixed layouts of the two side inputs: the dialogue-context vector and the
vision vector. Changing a layout means a new model format version.
"""

from __future__ import annotations

from collections.abc import Sequence

from homebrain.domains import DOMAINS

FORMAT_VERSION = 1

# Intents every model knows. Custom intents from the config are appended at
# training time and travel with the model.
INTENTS: tuple[str, ...] = (
    "turn_on",
    "turn_off",
    "set_brightness",
    "set_color",
    "set_color_temp",
    "set_temperature",
    "set_mode",
    "open",
    "close",
    "stop",
    "set_position",
    "set_percentage",
    "lock",
    "unlock",
    "play",
    "pause",
    "set_volume",
    "activate_scene",
    "increase",  # brighter, warmer, louder, "up ten percent": the attribute says which
    "decrease",
    "query",  # "is the garage open?", "which lights are on?"
    "undo",
    "affirm",
    "deny",
    "cancel",
    "answer",  # a bare value or name answering a pending question
    "out_of_domain",
)

# Span types the tagger marks (BIO). Custom slots are added as "custom_<name>".
SLOT_TYPES: tuple[str, ...] = (
    "device",  # a device's name or a device word: "kitchen light", "lamp", "blinds"
    "room",  # "kitchen", "upstairs bedroom"
    "value",  # "twenty one", "50", "halfway"
    "unit",  # "degrees", "percent", "%"
    "color",  # "blue", "warm white"
    "mode",  # "heat", "cool", "auto"
    "attribute",  # "brightness", "temperature", "volume" in relative commands
    "anaphor",  # "it", "that", "them", "that one"
    "deixis",  # "here", "this", "this lamp"
    "scope",  # "all", "every", "everything", "except"
)


def bio_tags(slot_types: Sequence[str]) -> tuple[str, ...]:
    tags = ["O"]
    for slot in slot_types:
        tags.extend((f"B-{slot}", f"I-{slot}"))
    return tuple(tags)


TAGS: tuple[str, ...] = bio_tags(SLOT_TYPES)

# ---- dialogue-context vector ------------------------------------------------
PENDING_KINDS: tuple[str, ...] = ("none", "value", "which", "confirm")
PENDING_SLOTS: tuple[str, ...] = (
    "none",
    "temperature",
    "brightness",
    "position",
    "percentage",
    "volume",
    "color",
    "color_temp",
    "mode",
    "target",
)
CONTEXT_DOMAINS: tuple[str, ...] = ("none", *DOMAINS)
CONTEXT_INTENTS: tuple[str, ...] = ("none", *INTENTS, "custom")
CONTEXT_DIM = len(PENDING_KINDS) + len(PENDING_SLOTS) + len(CONTEXT_DOMAINS) + len(CONTEXT_INTENTS)

# ---- vision vector ------------------------------------------------------------
GESTURES: tuple[str, ...] = ("thumbs_up", "thumbs_down", "open_palm", "pointing", "none")
# gestures that answer a pending question on their own, and the answer each gives
GESTURE_ANSWERS: dict[str, str] = {
    "thumbs_up": "affirm",
    "thumbs_down": "deny",
    "open_palm": "cancel",
}
VISION_LAYOUT: tuple[str, ...] = (
    "people_count",  # people seen / 4, clipped to 1
    "speaker_seen",  # someone is near the site's microphone
    "zone_0",
    "zone_1",
    "zone_2",
    "zone_3",  # occupancy of up to four configured zones
    "pointing_target",  # 1 when the pointing ray hits a configured device
    "pointing_confidence",
    *(f"gesture_{g}" for g in GESTURES),
    "reserved_0",
    "reserved_1",
    "reserved_2",
)
VISION_DIM = len(VISION_LAYOUT)


def context_vector(
    pending_kind: str = "none",
    pending_slot: str = "none",
    last_domain: str = "none",
    last_intent: str = "none",
) -> list[float]:
    """One-hot blocks in a fixed order; unknown words fall back to "none"/"custom"."""

    def one_hot(options: Sequence[str], value: str, fallback: str) -> list[float]:
        chosen = value if value in options else fallback
        return [1.0 if option == chosen else 0.0 for option in options]

    return [
        *one_hot(PENDING_KINDS, pending_kind, "none"),
        *one_hot(PENDING_SLOTS, pending_slot, "none"),
        *one_hot(CONTEXT_DOMAINS, last_domain, "none"),
        *one_hot(CONTEXT_INTENTS, last_intent, "custom" if last_intent != "none" else "none"),
    ]


def vision_vector(**values: float) -> list[float]:
    """A vision vector from named entries (missing ones are 0: no camera = all zeros)."""
    unknown = set(values) - set(VISION_LAYOUT)
    if unknown:
        raise ValueError(f"unknown vision entries {sorted(unknown)}; expected {VISION_LAYOUT}")
    return [float(values.get(name, 0.0)) for name in VISION_LAYOUT]
