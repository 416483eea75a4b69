"""What homebrain says back, as short spoken-style templates.

Templates live in one table so users can reword (or translate) them from the
config's ``responses:`` mapping without touching code, and so the config
checker can point at a misspelt key or placeholder before the daemon starts.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from typing import Any

DEFAULTS: dict[str, str] = {
    # refusals and not understanding
    "unknown": "I don't know that one.",
    "rejected_empty": "I didn't catch anything.",
    "rejected_too_long": "That was too long for me. Please keep it short.",
    "rejected_binary": "I can't read that.",
    "rejected_markup": "That looks like markup, not something said to me.",
    "not_sure": "Sorry, I'm not sure I understood. Please say that again.",
    "held_back_negated": "Okay, I'll leave it.",
    "held_back_later": "I can only do that now, not later. Say it again when you want it.",
    "held_back_question": "I can't answer that one. Ask me to do it if you want it done.",
    "held_back_remark": "Okay.",
    "expired": "Sorry, I stopped waiting for an answer. Please say the whole command again.",
    # conversation
    "ok": "Okay.",
    "cancelled": "Okay, cancelled.",
    "nothing_to_confirm": "There's nothing to confirm.",
    "ask_again": "Sorry, I didn't get that. {question}",
    "ask_which": "Which {kind}: {options}?",
    "ask_target": "Which device do you mean?",
    "ask_temperature": "To what temperature?",
    "ask_brightness": "To what brightness?",
    "ask_position": "To what position?",
    "ask_percentage": "To what speed?",
    "ask_volume": "To what volume?",
    "ask_color": "What colour?",
    "ask_color_temp": "How warm or cool?",
    "ask_mode": "Which mode: heat, cool, auto or off?",
    "ask_slot": "Which {what}: {options}?",  # a custom intent's missing slot
    "ask_slot_open": "Which {what}?",  # ... with too many values to list
    # confirmations for sensitive devices
    "confirm_unlock": "Are you sure you want to unlock the {name}?",
    "confirm_lock": "Are you sure you want to lock the {name}?",
    "confirm_open": "Are you sure you want to open the {name}?",
    "confirm_close": "Are you sure you want to close the {name}?",
    "confirm_action": "Are you sure you want to change the {name}?",
    # done
    "done_on": "Turning on the {name}.",
    "done_off": "Turning off the {name}.",
    "done_brightness": "Setting the {name} to {value} percent.",
    "done_color": "Making the {name} {color}.",
    "done_color_temp": "Setting the {name} to {value} mireds.",
    "done_temperature": "Setting the {name} to {value} degrees.",
    "done_mode": "Setting the {name} to {mode}.",
    "done_open": "Opening the {name}.",
    "done_close": "Closing the {name}.",
    "done_stop": "Stopping the {name}.",
    "done_position": "Setting the {name} to {value} percent open.",
    "done_percentage": "Setting the {name} to {value} percent.",
    "done_lock": "Locking the {name}.",
    "done_unlock": "Unlocking the {name}.",
    "done_play": "Playing the {name}.",
    "done_pause": "Pausing the {name}.",
    "done_volume": "Setting the {name} volume to {value}.",
    "done_scene": "Activating {name}.",
    "done_custom": "OK, {name}.",  # a custom intent without its own response; name: "order coffee"
    # undo ("put it back"): the last command's targets as the mirror had them before it
    "undone": "Done, the {name} is back as it was.",
    "undone_many": "Done, the {name} are back as they were.",
    # a correction ("no, I meant the mezzanine"): the wrong device back, then the done_* line
    "put_back": "Sorry, the {name} is back as it was.",
    "put_back_many": "Sorry, the {name} are back as they were.",
    "nothing_to_undo": "There's nothing to undo.",
    "cannot_undo": "Sorry, I can't put the {name} back: I don't know how it was before.",
    # queries, answered from the devices' mirrored state; {name} of several reads
    # "kitchen light and the reading lamp", {state} is on/off/open/closed/locked/...
    "query_what": "What would you like to know about?",
    "query_unknown": "I don't know the state of the {name} yet.",
    "query_no_state": "I can't tell whether {name} is on.",
    "query_on": "The {name} is on.",
    "query_off": "The {name} is off.",
    "query_on_level": "The {name} is on at {value} percent.",
    "query_open": "The {name} is open.",
    "query_closed": "The {name} is closed.",
    "query_position": "The {name} is {value} percent open.",
    "query_locked": "The {name} is locked.",
    "query_unlocked": "The {name} is unlocked.",
    "query_state": "The {name} is {state}.",
    "query_volume": "The {name} volume is at {value}.",
    "query_color": "The {name} is {color}.",
    "query_temperature": "The {name} is set to {value} degrees.",
    "query_temperature_current": (
        "The {name} is set to {value} degrees; it's {current} degrees now."
    ),
    "query_current_temperature": "The {name} reads {current} degrees.",
    "query_climate_off_current": "The {name} is off; it's {current} degrees now.",
    "query_list": "The {name} are {state}.",
    "query_list_one": "The {name} is {state}.",
    "query_list_none": "No {kind} are {state}.",
    # cannot do
    "not_found": "I couldn't find a {kind}.",
    "not_found_in_room": "There's no {kind} in the {room}.",
    "incompatible": "The {name} can't do that.",
    "cannot_do": "Sorry, I couldn't send that to the {name}.",
    "not_sent": "I couldn't reach the {name}: {reason}.",
    "not_sent_custom": "I couldn't {name}: {reason}.",  # a custom action the broker never took
    "failed_custom": "Sorry, I couldn't {name}: {reason}.",  # its payload did not render
    "range_temperature": "I can only set the temperature between {min} and {max} degrees.",
    "range_percent": "I can only set the {what} between {min} and {max} percent.",
    "range_color_temp": "I can only set the colour temperature between {min} and {max} mireds.",
}


def placeholders(template: str) -> set[str]:
    """Names used as {name} in ``template``; raises ValueError on a malformed template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


class Responses:
    """The default templates with a config's overrides applied."""

    def __init__(self, overrides: Mapping[str, Any] | None = None) -> None:
        overrides = dict(overrides or {})
        problems = self.validate_overrides(overrides)
        if problems:
            raise ValueError("invalid responses: " + "; ".join(problems))
        self.templates: dict[str, str] = {**DEFAULTS, **overrides}

    @staticmethod
    def keys() -> Iterable[str]:
        return DEFAULTS.keys()

    @staticmethod
    def validate_overrides(overrides: Mapping[Any, Any]) -> list[str]:
        """Every problem with a ``responses:`` mapping, one sentence each (empty if fine)."""
        problems: list[str] = []
        unknown = [str(k) for k in overrides if k not in DEFAULTS]
        if unknown:
            problems.append(
                f"unknown response key(s) {', '.join(sorted(unknown))}; "
                f"valid keys: {', '.join(sorted(DEFAULTS))}"
            )
        for key, template in overrides.items():
            if key not in DEFAULTS:
                continue
            if not isinstance(template, str) or not template.strip():
                problems.append(f"{key}: expected a non-empty text, got {template!r}")
                continue
            try:
                used = placeholders(template)
            except ValueError as exc:
                problems.append(f"{key}: malformed template ({exc}); write {{{{ for a brace")
                continue
            allowed = placeholders(DEFAULTS[key])
            extra = sorted(n for n in used if n not in allowed)
            if extra:
                offer = ", ".join("{" + a + "}" for a in sorted(allowed)) or "none"
                problems.append(
                    f"{key}: unknown placeholder(s) {', '.join('{' + e + '}' for e in extra)}; "
                    f"this response can use: {offer}"
                )
        return problems

    def render(self, key: str, **fields: Any) -> str:
        """The response ``key`` filled with ``fields`` (same as ``say``)."""
        return self.say(key, **fields)

    def say(self, key: str, **fields: Any) -> str:
        """The response ``key`` filled with ``fields``; falls back to the default on a bad fill."""
        template = self.templates.get(key, DEFAULTS.get(key, key))
        try:
            return template.format(**fields)
        except (KeyError, IndexError, ValueError):
            try:
                return DEFAULTS[key].format(**fields)
            except (KeyError, IndexError, ValueError):
                return DEFAULTS["unknown"]
