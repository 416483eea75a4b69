"""The configured speech recogniser for a home, built from its config.

Separate from the engines so that each engine stays ignorant of configs: it
takes sentences, names and options; this module knows where those come from.
"""

from __future__ import annotations

import logging
import time

from homebrain.config.schema import HomebrainConfig
from homebrain.speech.engine import ENGINES, AsrEngine
from homebrain.speech.listener import Gate, Listener, endpoint_settings
from homebrain.speech.sentences import home_names, language_sentences

log = logging.getLogger("homebrain.speech")


def build_engine(config: HomebrainConfig, sentences: list[str] | None = None) -> AsrEngine:
    """A recogniser that expects this home's sentences (about a second for pocketsphinx).

    ``sentences`` (``language_sentences``) can be given when several engines are built
    for one config: one per listening source, since a decoder hears one stream.
    """
    started = time.perf_counter()
    speech = config.speech
    if sentences is None:
        sentences = language_sentences(config, size=speech.sentences)
    engine = ENGINES[speech.engine](sentences, None, names=home_names(config), **speech.options)
    log.info(
        "speech recogniser %s ready in %.1f s (%d sentences)",
        speech.engine,
        time.perf_counter() - started,
        len(sentences),
    )
    return engine


def build_listener(
    config: HomebrainConfig, gate: Gate | None = None, sentences: list[str] | None = None
) -> Listener:
    """The listener the daemon, `homebrain listen` and `homebrain eval` all hear through."""
    engine = build_engine(config, sentences)
    return Listener(engine, endpoint_settings(config.speech.endpoint), gate=gate)
