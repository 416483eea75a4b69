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

    def audio(self, site: str) -> str:
        """Audio chunks from a satellite: raw 16 kHz mono s16le PCM, or a whole WAV."""
        return f"{self.prefix}/{site}/audio"

    def listen(self, site: str) -> str:
        """Push-to-talk: listen now, without the wake word."""
        return f"{self.prefix}/{site}/listen"

    def speech(self, site: str) -> str:
        """The spoken answer as a WAV (speech.speak.output: mqtt)."""
        return f"{self.prefix}/{site}/speech"

    def presence(self, camera: str) -> str:
        """Who a camera sees (retained JSON: people, zones, since when; never an image)."""
        return f"{self.prefix}/{camera}/presence"

    def site_of(self, topic: str, leaf: str) -> str | None:
        """('homebrain/kitchen/text', 'text') → 'kitchen'; another topic → None."""
        head, tail = f"{self.prefix}/", f"/{leaf}"
        if not topic.startswith(head) or not topic.endswith(tail):
            return None
        site = topic[len(head) : -len(tail)]
        return site if site and "/" not in site else None

    def site_of_text(self, topic: str) -> str | None:
        """'homebrain/kitchen/text' → 'kitchen'; anything else → None."""
        return self.site_of(topic, "text")
