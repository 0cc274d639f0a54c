"""How people really talk, applied to templated utterances: fillers, politeness, speech-recognition slips,
several requests in one breath, follow-ups that need the previous turn, and rule-changing preambles.
Each function keeps the label right: only the wording changes, or the label is derived by rule."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from carvoice.nlu.catalog import Call
from carvoice.train.templates import Labelled

FILLERS = ("uh", "um", "uhh", "so", "okay so", "hey", "like", "you know", "erm", "hmm")
POLITE_BEFORE = ("could you", "can you", "would you", "please", "would you mind to", "I'd like you to")
POLITE_AFTER = ("please", "thanks", "thank you", "for me", "if you can")
COMMAND_VERBS = ("set", "turn", "make", "put", "play", "open", "close", "switch", "start", "lock", "unlock",
                 "navigate", "take", "find", "tune", "skip", "pause", "resume", "mute", "change", "heat", "cool")
# The last two are how a recogniser writes requests said in one breath. Not nothing at all: "passenger twenty"
# and "two degrees warmer" would read as 22.
JOINERS = (" and ", ", and ", " and then ", ", then ", " and also ", ". Also ", " plus ", ", ", ". ")
# Slips a speech recogniser makes that keep the meaning (numbers are left alone: their words are parsed).
SLIPS = {"to": "too", "it's": "its", "I'm": "im", "don't": "dont", "can't": "cant", "what's": "whats",
         "the": "the the", "you": "ya", "please": "pls", "air con": "aircon", "sunroof": "sun roof",
         "windscreen": "wind screen", "your": "you're", "there": "their", "warmer": "wormer", "fan": "van",
         "no": "know", "route": "root", "the defrost": "the frost", "seat": "sheet", "heat": "heed"}
# Punctuation a recogniser may leave out; a decimal point stays, or "21.5" would become "215".
PUNCTUATION = re.compile(r"(?!(?<=\d)\.(?=\d))[^\w\s'/]")


# A reason said beside a request that asks for nothing itself. Without them the student read "much less fan
# please it's blowing my hair everywhere" as fan down and cooler: two CPU continuations on a phrasebook that
# joins requests with a comma lost 1-2 points of exact match that way (the model card). None names a state a
# request is made of (hot, cold, loud, dark, foggy), a place in the car, a negation, a number, a name, a
# function the car lacks or a framing the car's checks read (a story, a friend who wants something).
REASONS = ("we're running late", "it's been a long day", "we've got guests with us", "trust me",
           "I like it that way", "my wife asked", "we're nearly there", "it's my favourite", "the kids keep asking",
           "I'm in a hurry", "just because", "it's a long drive", "we're off to see my parents",
           "that's how I like it", "I'm tired", "it's Friday")
REASON_JOINERS = (", ", " because ", ", since ", ", cause ", ". ")


def with_reason(item: Labelled, rng: random.Random) -> Labelled:
    """The request with a reason after it; the label stays the request's."""
    request = item.text.rstrip(".!?")
    return Labelled(f"{request}{rng.choice(REASON_JOINERS)}{rng.choice(REASONS)}", item.calls)


def with_filler(item: Labelled, rng: random.Random) -> Labelled:
    words = item.text.split()
    filler = rng.choice(FILLERS)
    at = 0 if rng.random() < 0.6 or len(words) < 3 else 1  # later, it could split a name in two
    return Labelled(" ".join(words[:at] + [filler] + words[at:]), item.calls)


def politely(item: Labelled, rng: random.Random) -> Labelled:
    first = item.text.split()[0].lower()
    if first in COMMAND_VERBS and rng.random() < 0.6:
        return Labelled(f"{rng.choice(POLITE_BEFORE)} {item.text}", item.calls)
    return Labelled(f"{item.text} {rng.choice(POLITE_AFTER)}", item.calls)


def asr_slip(item: Labelled, rng: random.Random) -> Labelled:
    """Lower case, no punctuation, and sometimes one word heard as another that sounds alike."""
    text = item.text
    slips = [word for word in SLIPS if re.search(rf"\b{re.escape(word)}\b", text)]
    if slips:
        word = rng.choice(slips)
        text = re.sub(rf"\b{re.escape(word)}\b", SLIPS[word], text, count=1)
    text = PUNCTUATION.sub("", text).lower() if rng.random() < 0.8 else text
    return Labelled(" ".join(text.split()), item.calls)


def combine(items: list[Labelled], rng: random.Random) -> Labelled:
    """Several requests in one utterance, in the order said."""
    text = items[0].text
    for item in items[1:]:
        text += rng.choice(JOINERS) + item.text
    return Labelled(text, tuple(call for item in items for call in item.calls))


def after_injection(item: Labelled, preamble: str) -> Labelled:
    """A rule-changing preamble does not change the request: it is labelled as the car action it asks for."""
    return Labelled(f"{preamble} {item.text}", item.calls)


# Each style with how often it is applied, relative to the style share; a slip comes last, as a recogniser
# writes the whole utterance.
STYLES: dict[str, tuple[Callable[[Labelled, random.Random], Labelled], float]] = {
    "filler": (with_filler, 1.0), "polite": (politely, 1.0), "reason": (with_reason, 0.25), "asr": (asr_slip, 1.0),
}


def restyle(item: Labelled, rng: random.Random, share: float = 0.45) -> tuple[Labelled, list[str]]:
    """Each style applied with probability `share` times its own weight; returns the new utterance and the
    styles used."""
    used = []
    for name, (style, weight) in STYLES.items():
        if rng.random() < share * weight:
            item = style(item, rng)
            used.append(name)
    return item, used


# -- follow-ups: (the previous call, a follow-up phrase) -> the call the follow-up asks for ----------------

ZONE_WORDS = {"driver": "my side", "passenger": "the passenger side", "rear": "the back", "all": "everyone"}
SEAT_WORDS = {"driver": "my seat", "passenger": "the passenger seat", "rear_left": "the rear left seat",
              "rear_right": "the rear right seat", "all": "all the seats"}
MORE = ("a bit more", "more", "even more", "again", "a little more", "do that again", "same again")
UNDO = ("undo that", "put it back", "change it back", "no, undo", "go back to how it was", "revert it")
CANCEL = ("never mind", "forget it", "cancel that", "actually never mind")


def follow_up(previous: Call, rng: random.Random, undo_share: float = 0.25) -> Labelled | None:
    """A follow-up to `previous` and its label: an undo / cancel with probability `undo_share`, else one
    the rules derive; None when no rule fits this call."""
    if rng.random() < undo_share:
        return (Labelled(rng.choice(UNDO), (Call("undo", {}),)) if _changes_the_car(previous)
                else Labelled(rng.choice(CANCEL), (Call("cancel", {}),)))
    makers = [make for applies, make in FOLLOW_UP_RULES if applies(previous)]
    return rng.choice(makers)(previous, rng) if makers else None


DIALOG_INTENTS = ("help", "cancel", "yes", "no", "undo", "out_of_scope")


def _changes_the_car(call: Call) -> bool:
    return not call.name.startswith("query_") and call.name not in DIALOG_INTENTS


def _other_zone(previous: Call, rng: random.Random) -> Labelled:
    zone = rng.choice([z for z in ZONE_WORDS if z != previous.slots.get("zone", "driver")])
    phrase = rng.choice(("and {} too", "same for {}", "{} as well", "do {} too", "now {}"))
    return Labelled(phrase.format(ZONE_WORDS[zone]), (Call(previous.name, {**previous.slots, "zone": zone}),))


def _other_seat(previous: Call, rng: random.Random) -> Labelled:
    seat = rng.choice([s for s in SEAT_WORDS if s != previous.slots.get("seat", "driver")])
    phrase = rng.choice(("and {} too", "same for {}", "{} as well"))
    return Labelled(phrase.format(SEAT_WORDS[seat]), (Call(previous.name, {**previous.slots, "seat": seat}),))


def _more(previous: Call, rng: random.Random) -> Labelled:
    return Labelled(rng.choice(MORE), (previous,))


def _other_direction(previous: Call, rng: random.Random) -> Labelled:
    flipped = "previous" if previous.slots.get("direction", "next") == "next" else "next"
    phrase = rng.choice(("no, the other one", "no, the other way", "wrong way", "other direction"))
    return Labelled(phrase, (Call("skip", {**previous.slots, "direction": flipped}),))


def _close_again(previous: Call, rng: random.Random) -> Labelled:
    closed = previous.slots["open_pct"] > 0
    phrase = rng.choice(("close it again", "now shut it", "okay close it")) if closed else \
        rng.choice(("open it again", "now open it back up"))
    return Labelled(phrase, (Call(previous.name, {**previous.slots, "open_pct": 0 if closed else 100}),))


def _route_question(previous: Call, rng: random.Random) -> Labelled:
    name, phrase = rng.choice((("query_eta", "how long will that take"), ("query_distance", "how far is that"),
                               ("add_stop", "also stop at a {}")))
    if name != "add_stop":
        return Labelled(phrase, (Call(name, {}),))
    category = rng.choice(("pharmacy", "coffee", "fuel", "supermarket"))
    return Labelled(phrase.format(category.replace("fuel", "gas station")),
                    (Call("add_stop", {"category": category}),))


FOLLOW_UP_RULES: list[tuple[Callable[[Call], bool], Callable[[Call, random.Random], Labelled]]] = [
    (lambda c: c.name == "set_temperature" and "value" in c.slots, _other_zone),
    (lambda c: c.name == "adjust_temperature", _other_zone),
    (lambda c: c.name in ("set_seat_heat", "set_seat_ventilation"), _other_seat),
    (lambda c: c.name in ("adjust_temperature", "adjust_volume", "adjust_fan"), _more),
    (lambda c: c.name == "skip", _other_direction),
    (lambda c: c.name in ("set_window", "set_sunroof"), _close_again),
    (lambda c: c.name == "navigate_to", _route_question),
]
