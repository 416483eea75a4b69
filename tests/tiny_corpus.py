"""A tiny synthetic corpus and a tiny model bundle, for the model tests.

Not the real corpus generator (homebrain.training.corpus): a few hundred
examples over eight intents plus out-of-domain, four slot types, and the
no-words gesture cases (thumbs-up while a confirmation is pending → affirm).
Held-out sentences use device and room names the training part never saw.

``build_tiny_bundle`` trains and exports the model that
tests/fixtures/tiny_model holds; regenerate that with
``/tmp/trainvenv/bin/python bench/make_tiny_model.py`` (needs the train extra).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from homebrain.training.examples import Example
from homebrain.understanding.tokenizer import words

FIXTURE = Path(__file__).parent / "fixtures" / "tiny_model"
TINY_BUCKETS, TINY_DIM, TINY_MAX_LEN = 1024, 16, 12

DEVICES = ["lamp", "ceiling light", "reading lamp", "lights", "desk lamp", "floor lamp", "fan"]
DEVICES += ["heater", "kettle", "tv", "radio", "light strip", "spotlights", "chandelier"]
COVERS = ["blinds", "curtains", "shutters", "garage door", "shades", "roller blind"]
ROOMS = ["kitchen", "bedroom", "living room", "office", "hall", "bathroom", "garage", "study"]
ROOMS += ["nursery", "attic", "dining room", "landing"]
# held out: never in training sentences
NEW_DEVICES = ["porch lamp", "sconce", "bedside light", "uplighter", "fairy lights"]
NEW_COVERS = ["skylight blind", "drapes", "awning"]
NEW_ROOMS = ["conservatory", "veranda", "pantry", "loft", "cellar"]
NUMBERS = ["10", "20", "25", "30", "40", "50", "60", "75", "80", "90", "100"]
NUMBERS += ["twenty", "thirty", "fifty", "seventy", "forty five", "sixty"]
TEMPS = ["18", "19", "20", "21", "22", "23", "eighteen", "nineteen", "twenty one", "twenty two"]

TEMPLATES: dict[str, list[str]] = {
    "turn_on": [
        "turn on the {room} {device}",
        "switch on the {device}",
        "{device} on please",
        "could you turn the {device} in the {room} on",
        "turn the {device} on",
        "please switch the {room} {device} on",
    ],
    "turn_off": [
        "turn off the {room} {device}",
        "switch off the {device}",
        "{device} off",
        "kill the {device} in the {room}",
        "turn the {device} off please",
        "shut off the {room} {device}",
    ],
    "set_brightness": [
        "set the {device} to {number} {pct}",
        "dim the {room} {device} to {number} {pct}",
        "{device} brightness {number} {pct}",
        "brightness of the {device} in the {room} to {number}",
    ],
    "set_temperature": [
        "set the heating to {temp} {deg}",
        "make it {temp} {deg} in the {room}",
        "set the {room} thermostat to {temp}",
        "i want {temp} {deg} please",
    ],
    "open": [
        "open the {room} {cover}",
        "open the {cover}",
        "raise the {cover} in the {room}",
        "could you open the {cover} please",
    ],
    "close": [
        "close the {cover}",
        "shut the {room} {cover}",
        "lower the {cover}",
        "close the {cover} in the {room} please",
    ],
}
CONFIRM_CONTEXT = {
    "pending_kind": "confirm",
    "pending_slot": "target",
    "last_domain": "lock",
    "last_intent": "unlock",
}
REPLIES = {
    "affirm": ["yes", "yes please", "sure", "do it", "okay", "yeah go ahead"],
    "deny": ["no", "no thanks", "don't", "nope", "no do not"],
}
OOD = [
    "what's the weather like",
    "tell me a joke",
    "who won the game last night",
    "how tall is mount everest",
    "what time is it in tokyo",
    "how do you spell necessary",
    "i like turtles",
    "what's the capital of france",
    "remind me about the dentist",
    "how many ounces in a pound",
    "sing me a song",
    "where are my keys",
    "is it going to rain tomorrow",
    "translate hello into spanish",
    "what is the meaning of life",
]
SLOT_OF = {"device": "device", "cover": "device", "room": "room", "number": "value"}
SLOT_OF |= {"temp": "value", "pct": "unit", "deg": "unit"}


def _fill(template: str, values: dict[str, str]) -> tuple[list[str], list[str], str]:
    tokens: list[str] = []
    tags: list[str] = []
    for i, part in enumerate(template.replace("}", "{").split("{")):
        if i % 2 == 0:  # literal text
            piece = words(part)
            tokens += piece
            tags += ["O"] * len(piece)
        else:
            piece = words(values[part])
            tokens += piece
            slot = SLOT_OF[part]
            tags += [f"B-{slot}"] + [f"I-{slot}"] * (len(piece) - 1)
    text = template.format(**values)
    return tokens, tags, text


def _sentences(rng: random.Random, n: int, held_out: bool) -> list[Example]:
    devices = NEW_DEVICES if held_out else DEVICES
    covers = NEW_COVERS if held_out else COVERS
    rooms = NEW_ROOMS if held_out else ROOMS
    out: list[Example] = []
    intents = list(TEMPLATES)
    for _ in range(n):
        intent = rng.choice(intents)
        template = rng.choice(TEMPLATES[intent])
        values = {
            "device": rng.choice(devices),
            "cover": rng.choice(covers),
            "room": rng.choice(rooms),
            "number": rng.choice(NUMBERS),
            "temp": rng.choice(TEMPS),
            "pct": rng.choice(["percent", "%"]),
            "deg": rng.choice(["degrees", "degrees celsius"]),
        }
        tokens, tags, text = _fill(template, values)
        out.append(Example(tokens, tags, intent, text=text, source=f"tiny:{intent}"))
    return out


def _replies_and_gestures(rng: random.Random, n: int) -> list[Example]:
    out: list[Example] = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.45:
            intent = rng.choice(["affirm", "deny"])
            text = rng.choice(REPLIES[intent])
            tokens = words(text)
            out.append(
                Example(tokens, ["O"] * len(tokens), intent, dict(CONFIRM_CONTEXT), text=text)
            )
        elif kind < 0.75:
            # no words, a gesture while a confirmation is pending
            gesture, intent = rng.choice([("thumbs_up", "affirm"), ("thumbs_down", "deny")])
            vision: dict[str, float] = {
                f"gesture_{gesture}": round(rng.uniform(0.7, 1.0), 2),
                "speaker_seen": 1.0,
                "people_count": 0.25,
            }
            out.append(
                Example([], [], intent, dict(CONFIRM_CONTEXT), vision, source="tiny:gesture")
            )
        else:
            # no words, nothing pending (a gesture or not): not for us
            vision = {"gesture_thumbs_up": 1.0} if rng.random() < 0.5 else {}
            out.append(Example([], [], "out_of_domain", {}, vision, source="tiny:empty"))
    return out


def _ood(rng: random.Random, n: int) -> list[Example]:
    out = []
    for _ in range(n):
        text = rng.choice(OOD)
        tokens = words(text)
        out.append(Example(tokens, ["O"] * len(tokens), "out_of_domain", text=text, source="ood"))
    return out


def tiny_corpus(seed: int = 0) -> tuple[list[Example], list[Example], list[Example]]:
    """(train, validation, held-out test); the test set uses unseen device/room names."""
    rng = random.Random(seed)

    def part(n_sent: int, n_reply: int, n_ood: int, held_out: bool) -> list[Example]:
        items = _sentences(rng, n_sent, held_out) + _replies_and_gestures(rng, n_reply)
        items += _ood(rng, n_ood)
        rng.shuffle(items)
        return items

    return part(420, 90, 60, False), part(90, 20, 15, False), part(120, 20, 20, True)


def thumbs_up_pending() -> tuple[list[str], dict[str, str], dict[str, float]]:
    """No words, a thumbs-up, a confirmation pending: must be affirm."""
    return [], dict(CONFIRM_CONTEXT), {"gesture_thumbs_up": 0.95, "speaker_seen": 1.0}


def build_tiny_bundle(out_dir: Path, seed: int = 0, progress: bool = False) -> dict[str, Any]:
    """Train the tiny model and export it to ``out_dir`` (needs torch + litert-torch)."""
    from homebrain.training.export import export_bundle
    from homebrain.training.train import train

    train_set, val_set, test_set = tiny_corpus(seed)
    result = train(
        train_set,
        val_set,
        seed=seed,
        epochs=40,
        batch_size=32,
        patience=4,
        progress=progress,
        learning_rate=1e-2,
        buckets=TINY_BUCKETS,
        dim=TINY_DIM,
        hidden=TINY_DIM // 2,
        max_len=TINY_MAX_LEN,
        feature_dropout=0.2,
    )
    report = export_bundle(result, out_dir, val_set + test_set)
    return {"result": result, "report": report, "test": test_set, "val": val_set}
