"""The Snips/Hermes MQTT protocol: text in on hermes/nlu/query, intents out on hermes/intent/#.

Rhasspy and the skills written for Snips speak it, so with ``hermes.enabled``
homebrain can be their natural-language part: every understood intent is also
published in Hermes' JSON shape, and a Hermes NLU query is handled like a
sentence on ``homebrain/<site>/text``. Only the shape is translated here; what
a sentence means is decided by the same pipeline as every other input.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from homebrain.understanding.intent import OUT_OF_DOMAIN, Intent

MAX_QUERY_PAYLOAD = 64 * 1024
_SITE = re.compile(r"^[^/+#\s]{1,64}$")  # a siteId must be usable as a topic level

# Hermes' entity for each built-in slot; custom intents' slots are their own entity.
_ENTITIES = {
    "name": "device",
    "room": "room",
    "device": "device_word",
    "domain": "domain",
    "value": "snips/number",
    "unit": "unit",
    "color": "color",
    "color_temp": "snips/number",
    "mode": "mode",
    "attribute": "attribute",
    "ordinal": "snips/ordinal",
    "ref": "reference",
    "except_names": "device",
    "except_rooms": "room",
}
# List slots, published as one Hermes slot per element under their singular name.
_LISTS = {
    "names": "name",
    "rooms": "room",
    "except_names": "except_name",
    "except_rooms": "except_room",
}
# Internal notes of the recogniser, not something a skill should see.
_HIDDEN = frozenset({"low_confidence"})


class HermesError(ValueError):
    """A hermes/nlu/query payload that is not a query (logged and skipped)."""


@dataclass(frozen=True)
class HermesQuery:
    """One hermes/nlu/query: the text, where it was heard, and the ids to answer with."""

    text: str
    site: str | None
    session_id: str | None = None
    request_id: str | None = None
    custom_data: Any = None


def parse_query(payload: bytes) -> HermesQuery:
    """Read a hermes/nlu/query payload ({input, siteId?, sessionId?, id?}); HermesError if bad."""
    if len(payload) > MAX_QUERY_PAYLOAD:
        raise HermesError(f"payload of {len(payload)} bytes is too long")
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HermesError(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise HermesError(f"expected a JSON object, got {type(data).__name__}")
    text = data.get("input")
    if not isinstance(text, str) or not text.strip():
        raise HermesError("missing 'input' (the sentence)")
    site = data.get("siteId")
    if not (isinstance(site, str) and _SITE.match(site)):
        site = None  # missing or unusable as a topic level: the default site
    return HermesQuery(
        text=text,
        site=site,
        session_id=_text_or_none(data.get("sessionId")),
        request_id=_text_or_none(data.get("id")),
        custom_data=data.get("customData"),
    )


def understood(intent: Intent | None) -> bool:
    return intent is not None and intent.name != OUT_OF_DOMAIN


def intent_payload(
    intent: Intent,
    text: str,
    site: str,
    session_id: str | None = None,
    query: HermesQuery | None = None,
) -> dict[str, Any]:
    """The hermes/intent/<name> message for ``intent`` as Snips/Rhasspy skills read it."""
    return {
        **not_recognized_payload(text, site, session_id, query),
        "intent": {"intentName": intent.name, "confidenceScore": round(intent.confidence, 3)},
        "slots": hermes_slots(intent.slots, text),
    }


def not_recognized_payload(
    text: str, site: str, session_id: str | None = None, query: HermesQuery | None = None
) -> dict[str, Any]:
    """hermes/nlu/intentNotRecognized: the answer to a query that is no intent of ours.

    Also the fields every intent message starts with (``intent_payload`` adds to it).
    """
    payload: dict[str, Any] = {
        "input": text,
        "siteId": site,
        "sessionId": session_id or (query.session_id if query else None) or new_session_id(),
        "customData": query.custom_data if query else None,
    }
    if query is not None and query.request_id is not None:
        payload["id"] = query.request_id
    return payload


def hermes_slots(slots: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """Slots as Hermes lists them: slotName, rawValue, value {kind, value}, entity, range.

    Numbers are of kind Number, everything else Custom. ``rawValue`` and
    ``range`` are the words of the input when the value is found there (names
    and rooms usually are; a number heard as "twenty one" is not, so it has no
    range). Flags such as "plural" are not slots in Hermes' sense and are left out.
    """
    out: list[dict[str, Any]] = []
    listed = {_LISTS[k] for k in _LISTS if k in slots}
    for key, value in slots.items():
        if key in _HIDDEN or key in listed:
            continue
        name = _LISTS.get(key, key)
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            slot = _slot(name, item, text, _ENTITIES.get(key, key))
            if slot is not None:
                out.append(slot)
    return out


def _slot(name: str, value: Any, text: str, entity: str) -> dict[str, Any] | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    number = not isinstance(value, str)
    slot: dict[str, Any] = {
        "slotName": name,
        "rawValue": str(value),
        "value": {"kind": "Number" if number else "Custom", "value": value},
        "entity": entity,
    }
    found = _find(text, str(value))
    if found is not None:
        start, end = found
        slot["rawValue"] = text[start:end]
        slot["range"] = {"start": start, "end": end}
    return slot


def _find(text: str, value: str) -> tuple[int, int] | None:
    """Where ``value`` (or its words, "living_room" → "living room") stands in ``text``."""
    lowered = text.lower()
    for form in dict.fromkeys((value.lower(), value.lower().replace("_", " "))):
        if not form.strip():
            continue
        match = re.search(rf"(?<!\w){re.escape(form)}(?!\w)", lowered)
        if match:
            return match.start(), match.end()
    return None


def new_session_id() -> str:
    return str(uuid.uuid4())


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
