"""The abstract device-command contract of DESIGN.md, in one place.

Every stage speaks these protocol-free fields; only profiles know how an
ecosystem spells them. Keeping the table as data lets the config checker, the
recogniser, the profiles and the tests agree on exactly one definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class CommandError(ValueError):
    """An abstract command that does not fit the contract table."""


@dataclass(frozen=True)
class FieldSpec:
    """One command field: either a closed set of words or a numeric range."""

    kind: str  # "enum" | "int" | "float" | "str" | "bool"
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""

    def coerce(self, value: Any) -> Any:
        """Return the canonical value, or raise CommandError saying what was expected."""
        if self.kind == "enum":
            word = str(value).strip().lower()
            if word not in self.choices:
                raise CommandError(f"expected one of {', '.join(self.choices)}, got {value!r}")
            return word
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            if str(value).lower() in ("true", "1", "yes", "on"):
                return True
            raise CommandError(f"expected true, got {value!r}")
        if self.kind == "str":
            if not isinstance(value, str) or not value.strip():
                raise CommandError(f"expected a non-empty name, got {value!r}")
            return value.strip().lower()
        if isinstance(value, bool):
            raise CommandError(f"expected a number, got {value!r}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise CommandError(f"expected a number, got {value!r}") from None
        if number != number:  # NaN
            raise CommandError(f"expected a number, got {value!r}")
        if self.minimum is not None and number < self.minimum:
            raise CommandError(f"expected at least {self.minimum:g}, got {value!r}")
        if self.maximum is not None and number > self.maximum:
            raise CommandError(f"expected at most {self.maximum:g}, got {value!r}")
        if self.kind == "int":
            return round(number)
        return round(number, 1)


ON_OFF = FieldSpec("enum", ("on", "off"))
PERCENT = FieldSpec("int", minimum=0, maximum=100, unit="%")

DOMAINS: dict[str, dict[str, FieldSpec]] = {
    "light": {
        "state": ON_OFF,
        "brightness": PERCENT,
        "color": FieldSpec("str"),
        # mireds, as Zigbee2MQTT and Home Assistant use them (153 cold .. 500 warm)
        "color_temp": FieldSpec("int", minimum=150, maximum=500, unit="mired"),
    },
    "switch": {"state": ON_OFF},
    "fan": {"state": ON_OFF, "percentage": PERCENT},
    "cover": {
        "state": FieldSpec("enum", ("open", "close", "stop")),
        "position": PERCENT,
    },
    "climate": {
        "temperature": FieldSpec("float", minimum=5, maximum=35, unit="°C"),
        "mode": FieldSpec("enum", ("off", "heat", "cool", "auto")),
    },
    "lock": {"state": FieldSpec("enum", ("locked", "unlocked"))},
    "media_player": {
        "state": FieldSpec("enum", ("on", "off", "play", "pause")),
        "volume": PERCENT,
    },
    "scene": {"activate": FieldSpec("bool")},
}

# Fields that only report state (never commanded) but that profiles may parse
# back into the mirror, e.g. a thermostat's measured temperature.
STATE_ONLY_FIELDS: dict[str, dict[str, FieldSpec]] = {
    "climate": {"current_temperature": FieldSpec("float", minimum=-50, maximum=100)},
    "cover": {"state": FieldSpec("enum", ("open", "closed", "opening", "closing", "stopped"))},
}

# Colour words the recogniser and the simulator both understand (CSS names subset).
COLOR_NAMES: tuple[str, ...] = (
    "red",
    "green",
    "blue",
    "yellow",
    "orange",
    "purple",
    "pink",
    "white",
    "warm white",
    "cyan",
    "magenta",
    "violet",
    "turquoise",
    "gold",
    "lime",
    "teal",
    "indigo",
    "amber",
)


def validate_command(domain: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Canonicalise an abstract command, raising CommandError naming the bad field."""
    spec = DOMAINS.get(domain)
    if spec is None:
        raise CommandError(f"unknown domain {domain!r}; expected one of {', '.join(DOMAINS)}")
    if not fields:
        raise CommandError(f"empty command for {domain}")
    out: dict[str, Any] = {}
    for name, value in fields.items():
        field = spec.get(name)
        if field is None:
            raise CommandError(f"{domain} has no field {name!r}; expected one of {', '.join(spec)}")
        try:
            out[name] = field.coerce(value)
        except CommandError as exc:
            raise CommandError(f"{domain}.{name}: {exc}") from None
    return out


def validate_state_field(domain: str, name: str, value: Any) -> Any:
    """Canonicalise one parsed state field; raise CommandError if it makes no sense."""
    spec = STATE_ONLY_FIELDS.get(domain, {}).get(name) or DOMAINS.get(domain, {}).get(name)
    if spec is None:
        raise CommandError(f"{domain} has no state field {name!r}")
    if domain == "cover" and name == "state":
        word = str(value).strip().lower()
        word = {"close": "closed", "stop": "stopped"}.get(word, word)
        return STATE_ONLY_FIELDS["cover"]["state"].coerce(word)
    return spec.coerce(value)
