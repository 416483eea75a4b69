""" "No, the mezzanine", "I meant the other one": the last command was meant for another device.

A person who hears the wrong device move says only the device they meant,
usually after a word that takes something back. Read so, the turn puts the
wrong device back as it was and gives the meant one the last command: one
turn, as a person would expect, instead of an "undo" and a repeat.

It is read so only where nothing else fits: the words take something back,
name a target, and say no command of their own ("no, turn off the
mezzanine" is a new command, not a correction). Anything the words leave
open (which device in the room, a sensitive device on either side) is left
to the ordinary path, which asks.
"""

from __future__ import annotations

from collections.abc import Sequence

# first words that take the last turn back: "no, the mezzanine", "sorry, the parlour one"
_TAKING_BACK_FIRST = frozenset({"no", "nope", "nah", "sorry", "oops", "actually", "wait"})
# anywhere: "I meant the mezzanine", "wrong one, the festoon", "the parlour one instead"
_TAKING_BACK_ANY = frozenset({"meant", "mean", "instead", "wrong"})
# "no, the kitchen light too": one more, not another instead
_ADDING = frozenset({"too", "also", "well", "both", "and", "plus"})
# Verbs that make the turn a command of its own, whatever it takes back.
_COMMAND_VERBS = frozenset(
    {"turn", "set", "put", "open", "close", "shut", "dim", "brighten", "raise", "lower",
     "lock", "unlock", "start", "stop", "play", "pause", "mute", "unmute", "activate",
     "increase", "decrease", "reduce", "boost", "kill", "make", "leave", "undo", "cancel"}
)  # fmt: skip


def corrects_target(tokens: Sequence[str]) -> bool:
    """Whether the words take the last turn back without being a command of their own."""
    if not tokens or set(tokens) & (_COMMAND_VERBS | _ADDING):
        return False
    return tokens[0] in _TAKING_BACK_FIRST or bool(set(tokens) & _TAKING_BACK_ANY)
