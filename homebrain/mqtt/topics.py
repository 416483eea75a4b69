"""homebrain's own topics (DESIGN.md contract): one place builds and parses them.

The Hermes topics (Snips' protocol, spoken by Rhasspy and its skills) are fixed
by that protocol: no prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

HERMES_NLU_QUERY = "hermes/nlu/query"
HERMES_NOT_RECOGNIZED = "hermes/nlu/intentNotRecognized"


def hermes_intent(name: str) -> str:
    """hermes/intent/<intentName>: where a Hermes skill listens for one intent."""
    return f"hermes/intent/{name}"


@dataclass(frozen=True)
class Topics:
    prefix: str = "homebrain"

    @property
    def status(self) -> str:
        return f"{self.prefix}/status"

    @property
    def state(self) -> str:
        return f"{self.prefix}/state"

    @property
    def text_in(self) -> str:
        return f"{self.prefix}/+/text"

    def text(self, site: str) -> str:
        return f"{self.prefix}/{site}/text"

    def response(self, site: str) -> str:
        return f"{self.prefix}/{site}/response"

    def intent(self, site: str) -> str:
        return f"{self.prefix}/{site}/intent"

    def site_of_text(self, topic: str) -> str | None:
        """'homebrain/kitchen/text' → 'kitchen'; anything else → None."""
        head = f"{self.prefix}/"
        if not topic.startswith(head) or not topic.endswith("/text"):
            return None
        site = topic[len(head) : -len("/text")]
        return site if site and "/" not in site else None
