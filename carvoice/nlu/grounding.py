"""Does what the model wrote rest on what was said? A small model fills gaps from habit: a place or song
from its training, a number nobody said, "to 19" read as "by 19", a question read as a command. The car must
act only on what the words ask for, so the model's calls are checked against the utterance here.

    ungrounded_names({"place": "the moon"}, "navigate to the moon")      # [] (said), {"place": "Mars"} -> ["place"]
    to_or_by([Call("adjust_fan", {"delta": 4})], "fan up to level 4")     # [Call("set_fan", {"speed": 4})]
    switched_as_said([Call("set_defrost", {"on": True})], "turn off the defrost")  # [... {"on": False}]
    unsaid_numbers([Call("set_volume", {"level": 20})], "volume to 12")  # ["level"]
    short_of_the_most([Call("set_volume", {"level": 3})], "full volume", catalog)  # ["level"]
    unsaid_extremes([Call("set_temperature", {"level": "LO"})], "heat on the back seats lvl 2")  # ["level"]
    in_other_units([Call("set_sunroof", {"open_pct": 3})], "open sunroof 3 inches")  # ["open_pct"]
    unsaid_part_openings([Call("set_sunroof", {"open_pct": 20})], "open the windows and the sunroof")  # ["open_pct"]
    unsaid_intents([Call("set_defrost", {"on": True, "window": "rear"})], "drop the rear windows", catalog)
    # ["set_defrost"]
    once_each([Call("skip", {"direction": "next"})] * 2)                  # [Call("skip", {"direction": "next"})]
    confirmation_only([Call("resume")], "go on then")                     # [Call("yes")]
    confirmed_not_repeated([Call("adjust_temperature", {"delta": 1}), Call("play_genre", {"genre": "jazz"})],
                           "yes please, and some jazz", [Call("adjust_temperature", {"delta": 1})])
    # [Call("yes"), Call("play_genre", {"genre": "jazz"})]
    unsaid_units([Call("set_units", {"distance_unit": "mi"})], "show distances in furlongs")  # ["distance_unit"]
    questions_keep_route([Call("navigate_to", {"place": "City Museum"})], "how far is the City Museum?")
    # [Call("query_distance", {"place": "City Museum"})]
    not_where_we_are([Call("navigate_to", {"place": "Airport Expressway"})], "we're on the Airport Expressway")  # []
    same_place([Call("adjust_temperature", {"delta": 1})], "a bit more", previous_calls, catalog)
    # after set_temperature(zone="passenger"): [Call("adjust_temperature", {"zone": "passenger", "delta": 1})]

A name slot (an artist, album, song, playlist, station or place) is grounded when most of its words occur in
the utterance or in the previous exchange (a follow-up may name it there), allowing for ASR slips
("Marina Veil" for "Marina Vale"). Slots whose values are normally paraphrased (genres, enums) are not checked.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from typing import Any

from carvoice.nlu.catalog import Call, IntentCatalog

NAME_SLOTS = frozenset({"artist", "album", "title", "playlist", "station", "place"})
_FILLER = frozenset({"the", "a", "an", "of", "by", "and", "my", "to", "in", "on", "at", "s"})
# Words that point at a thing rather than name it: "navigate to that" names no place.
_POINTERS = frozenset({"that", "this", "there", "here", "it", "them", "those", "these", "one", "somewhere"})
_WORD = re.compile(r"[a-z0-9]+")
_MINUS = r"\b(?:minus|negative)\s+"  # the words that make the number after them negative
_NUMBER = re.compile(rf"(?:(?P<word>{_MINUS})|(?<![\w.-])(?P<sign>-)|(?<![\w.-]))(?P<size>\d+(?:\.\d+)?)(?![\w.])",
                     re.IGNORECASE)
_SIMILAR = 0.8
# A garbled number: digits with a letter that looks like one ("3O", "1l", "2I"), written in hexadecimal
# ("0x1E"), with two decimal points ("12.7.3"), infinity (written or heard), or what a program writes where a
# number failed ("NaN", "null", "undefined"; "NaN" only as written, since "my nan" is a grandmother). Names that
# mix letters and digits ("U2", "DAB 12B", "M25") are not.
_GARBLED_NUMBER = re.compile(r"\b(?:\d+[OoIl][\dOoIl]*|0x[\da-f]+|\d+(?:\.\d+){2,}|infinity|infinite|null|undefined|"
                             r"(?-i:NaN))\b|∞", re.IGNORECASE)
# A number with a unit of length, time, speed or heat: never a level, a fan speed or an opening in percent.
_WITH_UNIT = re.compile(r"(?<![\w.])(?P<size>\d+(?:\.\d+)?)\s*"
                         r"(?:inch(?:es)?|cm|centimet(?:er|re)s?|mm|millimet(?:er|re)s?|f(?:ee|oo)t|ft|met(?:er|re)s?|"
                         r"yards?|miles?|km|kilomet(?:er|re)s?|mph|kph|km/h|seconds?|secs?|"
                         r"minutes?|mins?|hours?|degrees?|°|decibels?|db)(?!\w)", re.IGNORECASE)

# A relative intent and the absolute one with its number slot: "to N" asks for the one, "by N" for the other.
ABSOLUTE_OF = {"adjust_temperature": ("set_temperature", "value"), "adjust_volume": ("set_volume", "level"),
               "adjust_fan": ("set_fan", "speed")}
_DOWN = re.compile(r"\b(down|lower|cool|cooler|colder|quieter|softer|less|decrease|reduce|drop|turn it down)\b")
# Slots that carry a count or a change rather than a value the user names ("skip" counts 1 without a number).
_NUMBER_SLOTS = frozenset({"value", "level", "speed", "open_pct", "frequency", "delta", "count"})
_QUESTION = re.compile(r"^\s*(?:(?:so|and|um|uh|hey|okay|ok)\W+)*(how (?P<long>long|much longer|many minutes)|"
                       r"how (?P<far>far|many (?:miles|kilometres|kilometers|km))|when (?:will|would|do|does|can)|"
                       r"is there|are there)\b", re.IGNORECASE)
# Words that ask to go as well as ask about it: "is there a charger nearby? take me there" sets the route.
_GO = re.compile(r"\b(?:take (?:me|us)|navigate|directions|route|drive (?:me|us)|head (?:there|to)|go there|"
                 r"let's go|get me there)\b", re.IGNORECASE)
# Where the car is, said as a reason or a situation ("we're on the Airport Expressway and it's roasting").
_HERE = re.compile(r"\b(?:we're|we are|i'm|i am|we've been|currently|still)\s+(?:\w+\s+){0,2}?"
                   r"(?:on|at|in|along|near|by|passing|past|leaving|outside)\s+(?:the\s+)?$")
_ROUTE_CHANGES = frozenset({"navigate_to", "add_stop"})
_SWITCHED = re.compile(r"\b(?:turn|switch|flip|shut|power)\b(?:\s+[\w'-]+){0,4}?\s+(?:on|off)\b")
_ON_OFF = re.compile(r"\b(on|off)\b")
_CLOSE = re.compile(r"\b(?:close|shut)\b(?!\s+(?:off|down|to|by)\b)")
# Words that give an opening a size or open something: "close it halfway", "shut the window and open the roof".
_OPENING = re.compile(r"\b(?:open\w*|half\w*|bit|little|partly|part way|partway|crack|tilt|vent|percent)\b|\d|%")
_CONJUNCTS = re.compile(r"\s*(?:,|;|\band\b|\bplus\b)\s*")
_OBJECT = re.compile(r"(?:the|my|all|both|our|your|his|her|their|its|mine|yours|hers|theirs|ours)\b")
_MUTE_LIKE = frozenset({"set_mute"})  # its switch is the silence: "turn the sound off" turns it on
_NEGATION = re.compile(r"\b(?:don't|dont|do not|doesn't|never|no longer|not|without|stop)\b")
# Words that ask for the most a range gives, and words that make "full" mean closed, off, low or a little.
_MOST = re.compile(r"\b(?:max|maxed|maximum|highest|loudest|full|fully|all the way|"
                   r"as (?:loud|high|fast|strong|open|far) as (?:it|they|you|possible|can be)\b(?: \w+)?)")
_LESS = re.compile(r"\b(?:close|closed|shut|off|down|lower|min|minimum|lowest|quieter|less|bit|little|half\w*|crack)\b")
_MOST_SLOTS = frozenset({"level", "speed", "open_pct"})  # a temperature's range depends on its unit
# Words that size an opening short of all the way: "crack the window", "the sunroof a touch", "halfway".
_PARTLY = re.compile(r"\b(?:half\w*|quarter\w*|third|bit|little|touch|tad|smidge\w*|slight\w*|partly|partial\w*|"
                     r"part way|partway|crack\w*|tilt\w*|vent\w*|inch\w*|notch|some|gap|sliver)\b")
# The words for an enum's extreme (a temperature's LO and HI); "max", "full", "all the way" ask for either.
_EXTREME_WORDS = {
    "LO": re.compile(r"\b(?:lo|low|lowest|cold\w*|cool\w*|chill\w*|freez\w*|frost\w*|ice|icy|arctic|min|minimum)\b"),
    "HI": re.compile(r"\b(?:hi|high|highest|hot\w*|warm\w*|heat\w*|toast\w*|boil\w*|roast\w*|tropical)\b"),
}
# The words for each display unit.
_UNIT_WORDS = {
    "C": re.compile(r"\b(?:celsius|centigrade|metric|c)\b|°c"),
    "F": re.compile(r"\b(?:fahrenheit|farenheit|imperial|american|f)\b|°f"),
    "km": re.compile(r"\b(?:kilomet\w*|kms?|metric)\b"),
    "mi": re.compile(r"\b(?:miles?|mi|imperial|american)\b"),
}
_EITHER_EXTREME = re.compile(r"\b(?:max\w*|full\w*|blast\w*|crank\w*|all the way|as far as)\b")
# Words that only say yes ("then" only after one of them).
_CONFIRMATION = re.compile(
    r"\W*(?:(?:yes|yeah|yep|yup|sure thing|sure|ok|okay|alright|all right|fine|absolutely|definitely|of course|"
    r"confirm(?:ed)?|affirmative|correct|go ahead|go for it|go on|do it|do that|that's right|sounds good|why not|"
    r"please)"
    r"(?:\s+then)?\W*)+",
    re.IGNORECASE)
_FIRST_CLAUSE = re.compile(r"[,;.!?]|\band\b|\bthen\b", re.IGNORECASE)
_AGAIN = re.compile(r"\b(?:more|again|another|further|same)\b", re.IGNORECASE)
# Slots that say where in the car; a follow-up that names no place keeps the one just spoken of.
_WHERE_SLOTS = ("zone", "seat", "window")
_WHERE_WORDS = frozenset({"driver", "passenger", "rear", "back", "front", "left", "right", "all", "every",
                          "everyone", "everywhere", "both", "my", "me", "i", "side", "seat", "window", "zone"})


def ungrounded_names(slots: dict[str, Any], said: str) -> list[str]:
    """The name slots whose value is not in `said` (the utterance and any previous exchange)."""
    heard = set(_words(said))
    return [name for name, value in slots.items()
            if name in NAME_SLOTS and isinstance(value, str) and not _grounded(value, heard)]


def to_or_by(calls: list[Call], text: str) -> list[Call]:
    """"Fan up to level 4" sets 4, "cooler by 2" changes by 2, whichever of the pair the model picked."""
    return [_to_or_by(call, text.lower()) for call in calls]


def _to_or_by(call: Call, text: str) -> Call:
    for relative, (absolute, slot) in ABSOLUTE_OF.items():
        if call.name == relative and isinstance(call.slots.get("delta"), (int, float)):
            amount = abs(call.slots["delta"])
            signs = _signs_said_with("to|at|on", amount, text)
            if len(signs) == 1 and not _signs_said_with("by", amount, text):
                rest = {k: v for k, v in call.slots.items() if k != "delta"}
                return Call(absolute, {**rest, slot: signs.pop() * amount})
        if call.name == absolute and isinstance(call.slots.get(slot), (int, float)):
            amount = abs(call.slots[slot])
            if _signs_said_with("by", amount, text) and not _signs_said_with("to|at", amount, text):
                rest = {k: v for k, v in call.slots.items() if k not in (slot, "unit")}
                return Call(relative, {**rest, "delta": -amount if _DOWN.search(text) else amount})
    return call


def _signs_said_with(words: str, size: float, text: str) -> set[int]:
    """The signs (1, -1) of every number of this size said after one of `words` ("to minus 5": -1); two signs
    when the words say both ("to minus 2 ... up to 2"), and the call is then left as the model read it."""
    number = re.escape(f"{size:g}")
    return {-1 if match.group("minus") else 1 for match in re.finditer(
        rf"\b(?:{words})\s+(?:level\s+|setting\s+|speed\s+|number\s+)?(?P<minus>{_MINUS}|-)?{number}(?!\d|\.\d)",
        text)}


def switched_as_said(calls: list[Call], text: str) -> list[Call]:
    """"Turn off the windscreen defrost" switches it off and "close the windows and the sunroof" closes both,
    whichever way the model set them: when one verb governs every call (one call, or objects joined to the
    first with "and" or commas), the words turn something on or off ("turn/switch/flip/shut ... off") or close
    it, say only one way and no "don't", the on/off slots (mute aside) and the openings follow the words. Two
    verbs, both ways, a size ("close it halfway") or a negation are left to the model ("turn the AC off and
    the fan on", "turn off the AC and shuffle the songs", "I don't want the AC on")."""
    lowered = text.lower()
    if not _one_verb(lowered, calls) or _NEGATION.search(lowered):
        return calls
    said = set(_ON_OFF.findall(lowered))
    switch = said == {"on"} if len(said) == 1 and _SWITCHED.search(lowered) else None
    closed = _CLOSE.search(lowered) is not None and not _OPENING.search(lowered)
    return [_as_said(call, switch, closed) for call in calls]


def _one_verb(text: str, calls: list[Call]) -> bool:
    """One call, or several objects of one verb: every part after the first starts with a thing, not a verb."""
    return len(calls) == 1 or all(_OBJECT.match(part) for part in _CONJUNCTS.split(text)[1:] if part)


def _as_said(call: Call, switch: bool | None, closed: bool) -> Call:
    slots = dict(call.slots)
    if switch is not None and isinstance(slots.get("on"), bool) and call.name not in _MUTE_LIKE:
        slots["on"] = switch
    if closed and isinstance(slots.get("open_pct"), (int, float)):
        slots["open_pct"] = 0
    return Call(call.name, slots)


def unsaid_numbers(calls: list[Call], text: str) -> list[str]:
    """Number slots whose value was not said while a number that was said went unused: the model misread or
    made up that number ("volume to 12" read as 20, "-50 percent" read as 50). A value the words imply ("max",
    "halfway", a seat heater "on") is fine as long as every number said is used elsewhere. A change (delta)
    carries its direction in words ("down by 2"), so only its size is compared. Beside a garbled number
    ("volume to 3O") no value is fine unless it was said."""
    unused = Counter(_said_number(match) for match in _NUMBER.finditer(text))
    values = [(name, abs(float(value)) if name == "delta" else float(value)) for call in calls
              for name, value in call.slots.items()
              if name in _NUMBER_SLOTS and isinstance(value, (int, float)) and not isinstance(value, bool)]
    unsaid = []
    for name, value in values:
        candidates = (value, -value) if name == "delta" else (value,)
        key = next((said for said in candidates if unused[said] > 0), None)
        if key is None:
            unsaid.append(name)
        else:
            unused[key] -= 1
    return unsaid if +unused or _garbled_number(text) else []


def in_other_units(calls: list[Call], text: str) -> list[str]:
    """Levels, fan speeds and openings read from a number said in a unit they do not have ("open the sunroof
    3 inches" read as 3 percent, "fan on 5 minutes"): the car cannot honour that unit, so it asks again."""
    with_unit = {float(match.group("size")) for match in _WITH_UNIT.finditer(text)}
    return [name for call in calls for name, value in call.slots.items()
            if name in _MOST_SLOTS and _number(value) and value in with_unit]


def short_of_the_most(calls: list[Call], text: str, catalog: IntentCatalog) -> list[str]:
    """Number slots read below their maximum when the words ask for the most and say no number ("blast it to
    full volume" read as volume 3, "as loud as it gets" as a step of 5): that number is the model's, not the
    words'. Only ranges without a unit (a volume, a fan speed, a seat level, an opening) and steps of any
    kind; words that lower, close or size it ("close it fully", "crack it, full speed ahead") make "full" mean
    something else and are left to the model."""
    lowered = text.lower()
    if not _MOST.search(lowered) or _LESS.search(lowered) or _NUMBER.search(text):
        return []
    return [name for call in calls for name, value in call.slots.items()
            if (name in _MOST_SLOTS or name == "delta") and _number(value)
            and value < _slot_max(catalog, call.name, name)]


def unsaid_part_openings(calls: list[Call], text: str) -> list[str]:
    """Openings read as partly open with no number and no words that size them ("open the windows and the
    sunroof" read with the sunroof at 20 %): opening with nothing said of how far is all the way, so a part
    nobody asked for is the model's, not the words'."""
    if _PARTLY.search(text.lower()):
        return []
    said = {abs(_said_number(match)) for match in _NUMBER.finditer(text)}
    return [name for call in calls for name, value in call.slots.items()
            if name == "open_pct" and _number(value) and 0 < value < 100 and value not in said]


def unsaid_units(calls: list[Call], said: str) -> list[str]:
    """Display units read that no words name ("show distances in furlongs" read as miles): a unit the car
    lacks is not the nearest one it has. `said`: the utterance, with the previous exchange for a follow-up."""
    lowered = said.lower()
    return [name for call in calls if call.name == "set_units" for name, value in call.slots.items()
            if value in _UNIT_WORDS and not _UNIT_WORDS[value].search(lowered)]


def unsaid_extremes(calls: list[Call], text: str) -> list[str]:
    """Slots set to an extreme (a temperature's LO or HI) that the words do not ask for ("put the hwat on the back
    seats lvl 2" read as LO): the coldest or the hottest setting needs words for it, as a number does."""
    lowered = text.lower()
    if _EITHER_EXTREME.search(lowered):
        return []
    return [name for call in calls for name, value in call.slots.items()
            if isinstance(value, str) and value in _EXTREME_WORDS and not _EXTREME_WORDS[value].search(lowered)]


def unsaid_intents(calls: list[Call], text: str, catalog: IntentCatalog) -> list[str]:
    """The intents read without the words they need (the catalog's `said_with`): "drop the rear windows" read
    as the rear demister. `text`: the utterance, with the previous exchange for a follow-up ("turn it off")."""
    intents = catalog.by_name
    return [call.name for call in calls if call.name in intents and not intents[call.name].said_in(text)]


def _slot_max(catalog: IntentCatalog, intent_name: str, slot_name: str) -> float:
    intent = catalog.by_name.get(intent_name)
    slot = next((slot for slot in intent.slots if slot.name == slot_name), None) if intent else None
    return slot.max if slot is not None and slot.max is not None else float("-inf")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _said_number(match: re.Match[str]) -> float:
    size = float(match.group("size"))
    return -size if match.group("word") or match.group("sign") else size


def _garbled_number(text: str) -> bool:
    return _GARBLED_NUMBER.search(text) is not None


def confirmation_only(calls: list[Call], text: str) -> list[Call]:
    """Words that only confirm ("yep, go for it", "go on then") answer the assistant's question, whatever the
    model read into them: a car action taken from them (the previous request again, "go on" as resume) would
    act on a question long dropped, or never asked."""
    return [Call("yes")] if _CONFIRMATION.fullmatch(text) else calls


def confirmed_not_repeated(calls: list[Call], text: str, previous_calls: list[Call]) -> list[Call]:
    """"Yes please, and play some jazz" after "I'm a bit cold": the yes answers the assistant's question, if
    there is one, and never asks for the previous request again, so a call that repeats the previous exchange's
    beside an opening yes is that yes. Words that ask for it again ("yes, and a bit more") keep it."""
    first = _FIRST_CLAUSE.split(text, maxsplit=1)[0]
    if not previous_calls or first == text or not _CONFIRMATION.fullmatch(first) or _AGAIN.search(text):
        return calls
    return once_each([Call("yes") if call in previous_calls else call for call in calls])


def once_each(calls: list[Call]) -> list[Call]:
    """One call written twice ("it's stuffy and hot in here" read as two "cooler by 1") is asked for once:
    two requests in one breath ask for different things."""
    return [call for index, call in enumerate(calls) if call not in calls[:index]]


def questions_keep_route(calls: list[Call], text: str) -> list[Call]:
    """A question about a place ("how long to the airport?", "is there a pharmacy nearby?") asks for its
    distance or time; it never starts a route or adds a stop."""
    question = _QUESTION.match(text)
    if question is None or _GO.search(text):
        return calls
    asked = "query_eta" if question.group("long") or text.lower().lstrip().startswith("when") else "query_distance"
    return [Call(asked, _asked_about(call.slots)) if call.name in _ROUTE_CHANGES else call for call in calls]


def not_where_we_are(calls: list[Call], text: str) -> list[Call]:
    """A route to the place the words say the car is at ("we're on the Airport Expressway and it's roasting, open
    the windows") is dropped: where the car is, said as a reason, is no destination."""
    lowered = text.lower()
    return [call for call in calls if not (call.name in _ROUTE_CHANGES and _said_as_here(call.slots.get("place"),
                                                                                        lowered))]


def _said_as_here(place: Any, text: str) -> bool:
    words = [word for word in _words(place) if word not in _FILLER] if isinstance(place, str) else []
    found = re.search(rf"\b{re.escape(words[0])}\b", text) if words else None
    return found is not None and _HERE.search(text[:found.start()]) is not None


def _asked_about(slots: dict[str, Any]) -> dict[str, Any]:
    """What a question keeps of a route call: the one place it names, the place itself when a category was given
    too. A route's other slots ("along the route" of add_stop) mean nothing to a question."""
    for name in ("place", "category"):
        if slots.get(name):
            return {name: slots[name]}
    return {}


def same_place(calls: list[Call], text: str, previous: list[Call], catalog: IntentCatalog) -> list[Call]:
    """"A bit more" after "set the passenger side to 20" warms the passenger side, not the driver's: a call
    that leaves its where-slot (zone, seat, window) empty, in a follow-up that names no place in the car,
    takes the one value the previous exchange gave that slot, if the call's intent allows it."""
    if not previous or _WHERE_WORDS.intersection(_words(text)):
        return calls
    return [_with_previous_place(call, previous, catalog) for call in calls]


def _with_previous_place(call: Call, previous: list[Call], catalog: IntentCatalog) -> Call:
    intent = catalog.by_name.get(call.name)
    slots = {slot.name: slot for slot in intent.slots} if intent is not None else {}
    filled = dict(call.slots)
    for name in _WHERE_SLOTS:
        given = {str(p.slots[name]) for p in previous if name in p.slots}
        if name in slots and name not in filled and len(given) == 1 and given <= set(slots[name].values):
            filled[name] = given.pop()
    return Call(call.name, filled)


def _grounded(value: str, heard: set[str]) -> bool:
    words = [w for w in _words(value) if w not in _FILLER]
    if words and all(word in _POINTERS for word in words):
        return False
    found = sum(any(_similar(word, h) for h in heard) for word in words)
    return not words or found * 2 >= len(words)


def _similar(word: str, heard: str) -> bool:
    return word == heard or SequenceMatcher(None, word, heard).ratio() >= _SIMILAR


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())
