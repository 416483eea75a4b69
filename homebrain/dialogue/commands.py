"""Intent + target entity → the abstract device command of DESIGN.md's table.

One function per question the dialogue asks ("what does this intent send to
that device?", "what value is still missing?", "what do I say?") so the rules
are data-like and testable without a conversation around them.
"""

from __future__ import annotations

from typing import Any

from homebrain.domains import DOMAINS, CommandError, validate_command
from homebrain.home import Entity
from homebrain.understanding.numbers import FAHRENHEIT
from homebrain.understanding.resolve import VALUE_INTENTS

# What a value intent cannot do without, and the question that asks for it.
REQUIRED_SLOT: dict[str, tuple[str, str]] = {
    "set_temperature": ("value", "ask_temperature"),
    "set_brightness": ("value", "ask_brightness"),
    "set_position": ("value", "ask_position"),
    "set_percentage": ("value", "ask_percentage"),
    "set_volume": ("value", "ask_volume"),
    "set_color": ("color", "ask_color"),
    "set_color_temp": ("color_temp", "ask_color_temp"),
    "set_mode": ("mode", "ask_mode"),
}

# Spoken name of a value, for "I can only set the {what} between ...".
_WHAT = {
    "brightness": "brightness",
    "percentage": "speed",
    "position": "position",
    "volume": "volume",
}


class OutOfRange(Exception):
    """A value the device cannot take; carries what the refusal needs to say."""

    def __init__(self, field: str, minimum: float, maximum: float) -> None:
        super().__init__(f"{field} must be between {minimum:g} and {maximum:g}")
        self.field = field
        self.minimum = minimum
        self.maximum = maximum

    @property
    def response_key(self) -> str:
        if self.field == "temperature":
            return "range_temperature"
        if self.field == "color_temp":
            return "range_color_temp"
        return "range_percent"

    @property
    def fields(self) -> dict[str, Any]:
        return {
            "min": f"{self.minimum:g}",
            "max": f"{self.maximum:g}",
            "what": _WHAT.get(self.field, self.field),
        }


class Unsupported(Exception):
    """The intent means nothing for this kind of device."""


def effective_intent(intent_name: str, slots: dict[str, Any], domain: str) -> str:
    """A number without an attribute word is the device's main value ("set the fan to 50")."""
    if intent_name in VALUE_INTENTS.values() and "attribute" not in slots:
        return VALUE_INTENTS.get(domain, intent_name)
    return intent_name


def missing(intent_name: str, slots: dict[str, Any]) -> str | None:
    """The ask_* response key when the intent still lacks its value; None if complete."""
    need = REQUIRED_SLOT.get(intent_name)
    if need is None or slots.get(need[0]) is not None:
        return None
    return need[1]


def _number(slots: dict[str, Any]) -> float:
    value = float(slots["value"])
    if slots.get("unit") == FAHRENHEIT:
        value = (value - 32) * 5 / 9
    return value


def _checked(domain: str, name: str, value: float) -> float:
    spec = DOMAINS[domain][name]
    lo, hi = spec.minimum, spec.maximum
    if lo is not None and hi is not None and not lo <= value <= hi:
        raise OutOfRange(name, lo, hi)
    return value


# Relative changes ("warmer", "up ten percent"): the field each kind of device changes,
# and the step when no amount is said (a degree, or ten points of a percentage).
RELATIVE_FIELD: dict[str, str] = {
    "light": "brightness",
    "climate": "temperature",
    "media_player": "volume",
    "fan": "percentage",
    "cover": "position",
}
# a colour-temperature step is about a tenth of a bulb's range (153–500 mireds)
DEFAULT_STEP: dict[str, float] = {"temperature": 1.0, "color_temp": 40.0}
# the attributes of "warmer"/"cooler": heat for a thermostat, the white of a light
_WARMTH_ATTRIBUTES = frozenset({"set_temperature", "set_color_temp"})
DEFAULT_PERCENT_STEP = 10.0


def fields_for(
    intent_name: str,
    entity: Entity,
    slots: dict[str, Any],
    current: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The validated abstract fields ``intent_name`` sends to ``entity``.

    ``current`` is the entity's mirrored state, which a relative change
    ("brighter", "two degrees warmer") starts from. Raises OutOfRange for a
    value the device cannot take and Unsupported when the intent makes no
    sense for the device's domain.
    """
    domain = entity.domain
    if intent_name in ("increase", "decrease"):
        return validate_command(domain, relative_fields(intent_name, domain, slots, current or {}))
    fields = _raw_fields(intent_name, domain, slots)
    if fields is None:
        raise Unsupported(f"{intent_name} on {domain}")
    return validate_command(domain, fields)


def relative_fields(
    intent: str, domain: str, slots: dict[str, Any], current: dict[str, Any]
) -> dict[str, Any]:
    """The new value after a relative change, from the mirrored one, clamped to the range.

    A change past the end stops at it ("louder" at 100 stays 100) rather than
    being refused: people say "brighter" without knowing how bright it is.
    With ``to_level`` ("drop the lamp to thirty percent") the value said is
    where it ends, not how far it moves; with ``factor`` ("double it") the
    value is multiplied.
    """
    name = RELATIVE_FIELD.get(domain)
    # "a shade warmer" said of a light: its white moves, in mireds, by the default step
    # only (an amount, factor or level said goes with brightness)
    white = domain == "light" and slots.get("attribute") in _WARMTH_ATTRIBUTES
    if white:
        name = "color_temp"
    if name is None:
        raise Unsupported(f"{intent} on {domain}")
    spec = DOMAINS[domain][name]
    lo = spec.minimum if spec.minimum is not None else 0.0
    hi = spec.maximum if spec.maximum is not None else 100.0
    step = DEFAULT_STEP.get(name, DEFAULT_PERCENT_STEP)
    if slots.get("value") is not None and not white:
        step = abs(float(slots["value"]))
        if name == "temperature" and slots.get("unit") == FAHRENHEIT:
            step = step * 5 / 9
    now = _current(domain, name, current, lo, hi)
    value = now + step if intent == "increase" else now - step
    factor = _number_of(slots.get("factor"))
    if factor is not None and factor > 0 and not white:
        value = now * factor  # "double the volume", "halve it"
    if slots.get("to_level") and slots.get("value") is not None and not white:
        value = _number(slots) if name == "temperature" else float(slots["value"])
    value = round(float(min(max(value, lo), hi)), 1)
    if value.is_integer():
        value = float(int(value))
    if domain in ("light", "fan"):
        return {"state": "off"} if value == 0 else {"state": "on", name: value}
    return {name: value}


def _current(domain: str, name: str, state: dict[str, Any], lo: float, hi: float) -> float:
    """The mirrored value; an off light or fan counts from 0, an unknown one from the middle."""
    if domain in ("light", "fan") and state.get("state") == "off" and name != "color_temp":
        return lo
    value = _number_of(state.get(name))
    if value is not None:
        return value
    if domain == "cover" and state.get("state") in ("open", "close", "closed"):
        return hi if state.get("state") == "open" else lo
    return 20.0 if name == "temperature" else (lo + hi) / 2


def _number_of(value: Any) -> float | None:
    """A mirrored number as a float; None for anything else (True is not 1 here)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _raw_fields(intent: str, domain: str, slots: dict[str, Any]) -> dict[str, Any] | None:
    on_off = domain in ("light", "switch", "fan", "media_player")
    if intent == "turn_on":
        if on_off:
            return {"state": "on"}
        # "get some cooling going": the mode said, else heating (what "on" means for most)
        mode = slots.get("mode") if slots.get("mode") in ("heat", "cool", "auto") else "heat"
        turn_on: dict[str, dict[str, Any]] = {
            "climate": {"mode": mode},
            "cover": {"state": "open"},
            "scene": {"activate": True},
        }
        return turn_on.get(domain)
    if intent == "turn_off":
        if on_off:
            return {"state": "off"}
        return {"climate": {"mode": "off"}, "cover": {"state": "close"}}.get(domain)
    if intent == "open":
        return {"cover": {"state": "open"}, "lock": {"state": "unlocked"}}.get(domain)
    if intent == "close":
        return {"cover": {"state": "close"}, "lock": {"state": "locked"}}.get(domain)
    if intent == "stop":
        if domain in ("fan", "switch"):
            return {"state": "off"}  # "the punkah can stop now": a fan stops by going off
        return {"cover": {"state": "stop"}, "media_player": {"state": "pause"}}.get(domain)
    if intent in ("lock", "unlock") and domain == "lock":
        return {"state": "locked" if intent == "lock" else "unlocked"}
    if intent in ("play", "pause") and domain == "media_player":
        return {"state": intent}
    if intent == "activate_scene" and domain == "scene":
        return {"activate": True}
    if intent == "set_color" and domain == "light":
        return {"state": "on", "color": slots["color"]}
    if intent == "set_color_temp" and domain == "light":
        return {
            "state": "on",
            "color_temp": _checked(domain, "color_temp", float(slots["color_temp"])),
        }
    if intent == "set_mode" and domain == "climate":
        return {"mode": slots["mode"]}
    if intent == "set_temperature" and domain == "climate":
        return {"temperature": _checked(domain, "temperature", _number(slots))}
    if intent == "set_brightness" and domain == "light":
        value = _checked(domain, "brightness", _number(slots))
        return {"state": "off"} if value == 0 else {"state": "on", "brightness": value}
    if intent == "set_percentage" and domain == "fan":
        value = _checked(domain, "percentage", _number(slots))
        return {"state": "off"} if value == 0 else {"state": "on", "percentage": value}
    if intent == "set_position" and domain == "cover":
        return {"position": _checked(domain, "position", _number(slots))}
    if intent == "set_volume" and domain == "media_player":
        return {"volume": _checked(domain, "volume", _number(slots))}
    return None


def done_key(fields: dict[str, Any], domain: str) -> str:
    """The done_* response for what was actually sent."""
    state = fields.get("state")
    if domain == "scene":
        return "done_scene"
    for name, key in (
        ("brightness", "done_brightness"),
        ("color", "done_color"),
        ("color_temp", "done_color_temp"),
        ("temperature", "done_temperature"),
        ("percentage", "done_percentage"),
        ("position", "done_position"),
        ("volume", "done_volume"),
        ("mode", "done_mode"),
    ):
        if name in fields:
            if name == "mode" and fields["mode"] == "off":
                return "done_off"
            return key
    return {
        "on": "done_on",
        "off": "done_off",
        "open": "done_open",
        "close": "done_close",
        "stop": "done_stop",
        "locked": "done_lock",
        "unlocked": "done_unlock",
        "play": "done_play",
        "pause": "done_pause",
    }.get(str(state), "done_on")


def confirm_key(fields: dict[str, Any]) -> str:
    """The confirm_* question for a command to a sensitive device."""
    state = fields.get("state")
    if state == "unlocked":
        return "confirm_unlock"
    if state == "locked":
        return "confirm_lock"
    if state == "open" or (fields.get("position") or 0) > 0:
        return "confirm_open"
    if state == "close" or fields.get("position") == 0:
        return "confirm_close"
    return "confirm_action"


def value_text(fields: dict[str, Any]) -> Any:
    """The number to speak in a done_* response."""
    for name in ("brightness", "percentage", "position", "volume", "temperature", "color_temp"):
        if name in fields:
            value = fields[name]
            return int(value) if float(value).is_integer() else value
    return ""


def restore_fields(
    domain: str, sent: dict[str, Any], before: dict[str, Any]
) -> dict[str, Any] | None:
    """The command that puts back what ``sent`` changed, from the mirrored state before it.

    Only the fields the command touched are restored (undoing "make it red" must
    not also reset the brightness someone changed by hand since). A light or fan
    that was off goes back off, whatever its other values were; a cover goes
    back to its position, said as open/close at the ends so that covers which
    only open and close can be put back too. None when the mirror did not know
    the earlier value of anything that was changed (or the device has no state
    to go back to, like a scene): undo cannot guess.
    """
    if domain not in DOMAINS or domain == "scene":
        return None
    was = before.get("state")
    if domain in ("light", "fan") and was == "off":
        return {"state": "off"}
    out: dict[str, Any] = {}
    if domain == "cover":
        if "state" in sent or "position" in sent:
            position = _number_of(before.get("position"))
            if position is not None and 0 < position < 100:
                out["position"] = position
            elif (position is not None and position >= 100) or was == "open":
                out["state"] = "open"
            elif (position is not None and position <= 0) or was == "closed":
                out["state"] = "close"
    else:
        for name in sent:
            if name in DOMAINS[domain] and before.get(name) is not None:
                out[name] = before[name]
        if domain in ("light", "fan") and out and was == "on":
            out = {"state": "on", **out}
    if not out:
        return None
    try:
        return validate_command(domain, out)
    except CommandError:
        return None
