"""Commands said but not wanted now: negated, wondered about, or for later (and real ones)."""

from __future__ import annotations

from functools import cache

import pytest
from conftest import ROOT
from test_spans import spans_of

from homebrain.config.loader import load_config
from homebrain.home import Home
from homebrain.understanding.complements import set_reading
from homebrain.understanding.holdback import LATER, NEGATED, QUESTION, REMARK, held_back
from homebrain.understanding.model_recogniser import DialogueState, ModelRecogniser
from homebrain.understanding.spans import SlotFiller

CASES = [
    # negated, forbidden or only wondered about, before the device is named
    ("leave the punkah alone", {"punkah": "device"}, NEGATED),
    ("no, leave the festoon lights as they are", {"festoon lights": "device"}, NEGATED),
    ("don't turn the beamer on", {"beamer": "device"}, NEGATED),
    ("nobody touch the wall stat", {"wall stat": "device"}, NEGATED),
    ("hold off on the heating for now", {"heating": "device"}, NEGATED),
    ("I'm wondering whether to switch the heating to auto", {"heating": "device"}, NEGATED),
    ("I wonder if I should turn the aga off", {"aga": "device"}, NEGATED),
    ("she made me switch the bottle warmer off", {"bottle warmer": "device"}, REMARK),
    ("they say you should turn the wall stat down", {"wall stat": "device"}, REMARK),
    # wondering aloud whether *you* would: a request, however hedged
    ("I wonder if you could turn the aga off", {"aga": "device"}, None),
    ("I was wondering whether you'd open the drapes", {"drapes": "device"}, None),
    ("should I open the drapes", {"drapes": "device"}, NEGATED),
    ("don't turn it off", {"it": "anaphor"}, NEGATED),
    ("there's no need to turn the radiogram down", {"radiogram": "device"}, NEGATED),
    ("let's not bother with hygge tonight", {"hygge": "device"}, NEGATED),
    ("not now, the beamer can wait", {"beamer": "device"}, NEGATED),
    ("there's no point switching the aga off", {"aga": "device"}, NEGATED),
    # for later: homebrain has no schedules
    ("could you dim the dragonfly lamp in about an hour", {"dragonfly lamp": "device"}, LATER),
    ("switch the festoon on in twenty minutes", {"festoon": "device"}, LATER),
    ("as soon as the match kicks off, turn the beamer on", {"beamer": "device"}, LATER),
    ("on Saturday open the sun sail first thing", {"sun sail": "device"}, LATER),
    ("put the radiogram on at 8 pm", {"radiogram": "device"}, LATER),
    ("open the drapes tomorrow morning", {"drapes": "device"}, LATER),
    ("friday night the aga goes off", {"aga": "device"}, LATER),
    ("put it on the list, aga off", {"aga": "device"}, LATER),
    ("for saturday switch the punkah on", {"punkah": "device"}, LATER),
    ("we'll switch the aga off the night before", {"aga": "device"}, LATER),
    ("when the film finishes, switch off the big screen", {"big screen": "device"}, LATER),
    ("switch off the big screen when the film's over", {"big screen": "device"}, LATER),
    ("if it gets chilly bump up the wall stat", {"wall stat": "device"}, LATER),
    ("should it rain, close the shade sail", {"shade sail": "device"}, LATER),
    ("once the guests are here, start sundowners", {"sundowners": "device"}, LATER),
    ("turn the aga off before we leave for our holiday", {"aga": "device"}, LATER),
    ("bring the shade sail in before the storm", {"shade sail": "device"}, None),
    ("remember to get candles for hygge evening", {"hygge evening": "device"}, LATER),
    # questions about a device, not requests
    ("has anyone closed the starry blind", {"starry blind": "device"}, QUESTION),
    ("what's a good film to watch on the big screen", {"big screen": "device"}, QUESTION),
    ("oh did you turn off the aga", {"aga": "device"}, QUESTION),
    ("how about the festoon", {"festoon": "device"}, None),
    ("could you open the drapes", {"drapes": "device"}, None),
    # commands, reasons and all
    ("turn the lamp off, I don't need it", {"lamp": "device"}, None),
    ("no need for the bistro lights any more", {"bistro lights": "device"}, None),
    ("we won't need the range cooker any more today", {"range cooker": "device"}, None),
    ("we're up early tomorrow, lights off", {"lights": "device"}, None),
    ("it's sundowner o'clock", {"sundowner": "device"}, None),
    ("set the volume at 8", {"volume": "attribute"}, None),
    # "leave it as it is" said with the state: nothing to do (as "no, leave it shut" in
    # the dialogue sets); with a value, or after a command, it is a command
    ("leave the hall light on", {"hall light": "device"}, NEGATED),
    ("just leave the blind open", {"blind": "device"}, NEGATED),
    ("leave the heating on twenty", {"heating": "device"}, None),
    ("turn the fan off and leave the lamp on", {"fan": "device", "lamp": "device"}, None),
    ("turn the heating up, I can't feel my toes", {"heating": "device"}, None),
    ("turn the lamp on when you get a chance", {"lamp": "device"}, None),
    ("if you could put the fan on", {"fan": "device"}, None),
    ("if it's no trouble, the hall light on", {"hall light": "device"}, None),
    ("turn the fan up once more", {"fan": "device"}, None),
    # advice, what might have been, what used to be: nothing wanted now
    ("I wouldn't open the sun sail in this wind", {"sun sail": "device"}, NEGATED),
    ("I wouldn't mind the festoon on", {"festoon": "device"}, None),
    ("never mind that, the lamp on please", {"lamp": "device"}, None),
    ("I'd have switched the shaving light off if I'd noticed", {"shaving light": "device"}, REMARK),
    ("we used to put the festoon on every night", {"festoon": "device"}, REMARK),
    ("I think the bulb in the plate rack light is going", {"plate rack light": "device"}, REMARK),
    # said to someone in the room
    ("Juniper, stop fiddling with the lamp and go to sleep", {"lamp": "device"}, REMARK),
    # somewhere else: the car, the hob, the pub; but where the speaker is is a reason
    ("turn the heating up in the car", {"heating": "device"}, REMARK),
    ("turn the heat down on that pan, it's spitting", {"heat": "device"}, REMARK),
    # a busy cook's command: the pan is where the speaker is, said before the command
    ("onions in the pan, turn the radiogram on", {"radiogram": "device"}, None),
    ("the telly was much too loud at the pub", {"telly": "device"}, REMARK),
    ("turn the wireless off, I'm on the phone", {"wireless": "device"}, None),
    ("open the carriage doors, I'm bringing the car round", {"carriage doors": "device"}, None),
    # minutes said short, and sums
    ("lights out in five", {"lights": "device"}, LATER),
    ("convert twenty five degrees to fahrenheit", {"twenty five": "value"}, QUESTION),
]


@pytest.mark.parametrize(("text", "marks", "expected"), CASES)
def test_held_back(text: str, marks: dict[str, str], expected: str | None) -> None:
    spans, tokens = spans_of(text, marks)
    assert held_back(tokens, spans) == expected


def test_a_place_the_home_has_is_no_place_elsewhere() -> None:
    """ "the office" is somewhere else unless the home names a room or device with it."""
    spans, tokens = spans_of("turn the heating up in the office", {"heating": "device"})
    assert held_back(tokens, spans) == REMARK
    assert held_back(tokens, spans, known=frozenset({"office"})) is None


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("put the radiogram on at eight for the shipping forecast", "turn_on", LATER),
        ("open the drapes at seven", "open", LATER),
        ("keep the heating at eighteen", "set_temperature", None),  # a level, not an hour
        # no one sets seven degrees: "at seven" with a temperature is the hour too
        ("put the heating on at seven", "set_temperature", LATER),
        ("set the heating to twenty at six", "set_temperature", LATER),
        ("keep the heating at 10 degrees", "set_temperature", None),
        ("set the lamp at seven", "set_brightness", None),  # a level: seven percent
        ("turn the fan on at ten percent", "turn_on", None),
        ("put the radiogram on", "turn_on", None),
    ],
)
def test_at_an_hour_is_later_for_a_switch(text: str, intent: str, expected: str | None) -> None:
    device = "radiogram" if "radiogram" in text else text.split()[2]
    spans, tokens = spans_of(text, {device: "device"})
    assert held_back(tokens, spans, intent) == expected


@pytest.mark.parametrize(
    ("text", "marks", "expected"),
    [
        ("hygge is a Danish word", {"hygge": "device"}, REMARK),
        ("juniper's bedtime was late again", {"juniper's bedtime": "device"}, REMARK),
        ("hygge time", {"hygge": "device"}, None),
        ("hygge evenings are my favourite", {"hygge": "device"}, REMARK),
        (
            "sundowners in the orangery is the best part of a friday",
            {"sundowners": "device", "orangery": "room"},
            REMARK,
        ),
        ("sundowners in the orangery please", {"sundowners": "device", "orangery": "room"}, None),
        ("start the lullaby scene", {"lullaby": "device"}, None),
    ],
)
def test_a_scene_talked_about_is_a_remark(
    text: str, marks: dict[str, str], expected: str | None
) -> None:
    spans, tokens = spans_of(text, marks)
    assert held_back(tokens, spans, "activate_scene") == expected
    assert held_back(tokens, spans, "turn_on") is None  # "the lamp is too bright" is a request


@cache
def filler() -> SlotFiller:
    return SlotFiller(Home.from_config(load_config(ROOT / "configs" / "demo.yaml").config))


@pytest.mark.parametrize(
    ("intent", "text", "slots", "expected"),
    [
        # "set" and a device with nothing to set it to: the level is still to come
        ("turn_on", "could you set the heating for me", {"name": "heating"}, "set_temperature"),
        ("close", "set the blinds to", {"name": "blinds"}, "set_position"),
        ("turn_on", "set the lights", {"device": "lights", "domain": "light"}, "set_brightness"),
        # ... but a state said, a value said or no "set" leaves the model's reading
        ("turn_on", "set the lights on", {"device": "lights", "domain": "light"}, "turn_on"),
        ("turn_on", "set the heating to heat", {"name": "heating", "mode": "heat"}, "turn_on"),
        ("turn_on", "switch the heating on for me", {"name": "heating"}, "turn_on"),
        ("activate_scene", "set the movie night scene", {"name": "movie night"}, "activate_scene"),
        # a mode to change with no mode named: the dialogue asks which
        ("turn_on", "change the mode on the wall stat", {"name": "wall stat"}, "set_mode"),
        (
            "turn_on",
            "change the heating to heat mode",
            {"name": "heating", "mode": "heat"},
            "turn_on",
        ),
        ("turn_on", "turn the heating on in eco mode", {"name": "heating"}, "turn_on"),
    ],
)
def test_set_without_a_value_asks_for_one(
    intent: str, text: str, slots: dict[str, str], expected: str
) -> None:
    assert set_reading(filler(), intent, dict(slots), text.split()) == expected


@pytest.mark.parametrize(
    ("text", "held", "response"),
    [
        ("leave the punkah alone", NEGATED, "Okay, I'll leave it."),
        ("open the drapes in an hour", LATER, "I can only do that now, not later."),
    ],
)
def test_the_shipped_model_holds_back_and_nothing_is_sent(
    text: str, held: str, response: str
) -> None:
    """Through the real model and the dialogue: an answer, no command."""
    from homebrain.dialogue.manager import DialogueManager, TurnContext
    from homebrain.dialogue.responses import Responses
    from homebrain.models import DEFAULT_MODEL
    from homebrain.understanding.model_recogniser import ModelRecogniser
    from homebrain.understanding.model_runtime import load_model

    home = Home.from_config(load_config(ROOT / "configs" / "eval_home.yaml").config)
    recogniser = ModelRecogniser(home, load_model(DEFAULT_MODEL))
    intent = recogniser.recognise(text)
    assert intent.name == "out_of_domain" and intent.slots["held_back"] == held
    dm = DialogueManager(home, lambda _id: {}, Responses(), matcher=recogniser)
    decision = dm.handle(text, TurnContext(site="parlour"))
    assert decision.commands == [] and decision.response.startswith(response)


@cache
def shipped() -> ModelRecogniser:
    from homebrain.models import DEFAULT_MODEL
    from homebrain.understanding.model_runtime import load_model

    home = Home.from_config(load_config(ROOT / "configs" / "eval_home.yaml").config)
    return ModelRecogniser(home, load_model(DEFAULT_MODEL))


def test_a_bare_value_with_no_question_asked_commands_nothing() -> None:
    """ "twenty one degrees" out of the blue is a value for nothing; asked for, it answers."""
    alone = shipped().recognise("twenty one degrees")
    assert alone.name == "out_of_domain" and alone.slots.get("bare_value") is True
    asked = shipped().recognise(
        "twenty one degrees",
        dialogue=DialogueState("value", "temperature", "climate", "set_temperature"),
    )
    assert asked.name != "out_of_domain" and asked.slots.get("value") == 21
    # with a target it is a command, question or not
    assert shipped().recognise("the wall stat to twenty one degrees").name == "set_temperature"


@pytest.mark.parametrize(
    ("text", "intent", "value"),
    [
        ("festoon to twenty five percent", "set_brightness", 25),
        ("punkah on twenty", "set_percentage", 20),
        ("dragon fly lamp to forty", "set_brightness", 40),  # a name split in two
    ],
)
def test_a_name_and_a_level_alone_set_that_level(text: str, intent: str, value: int) -> None:
    said = shipped().recognise(text)
    assert (said.name, said.slots.get("value")) == (intent, value)


def test_a_name_and_a_level_in_a_remark_are_no_command() -> None:
    assert shipped().recognise("the festoon is at fifty percent").name == "out_of_domain"


def test_a_command_beside_a_reason_is_heard_on_its_own() -> None:
    """The whole sentence leaves the model unsure; its one sure clause is the command."""
    said = shipped().recognise("switch the bottle warmer off, the baby's fed")
    assert (said.name, said.slots.get("name")) == ("turn_off", "bottle warmer")
    assert said.text == "switch the bottle warmer off, the baby's fed"
    # a clause the words hold back is no command, so nothing is picked
    assert shipped().recognise("don't switch it off, the baby's asleep").name == "out_of_domain"


def test_undo_said_outright_is_undo() -> None:
    assert shipped().recognise("can you undo the colour change").name == "undo"
