"""The phrasebook of any intent pack: what its catalog says becomes templates and fillers, and the pack's own
`phrases.yaml` (the format of carvoice/train/phrases.yaml, every key optional) adds to them.

    book = pack_phrasebook(IntentPack.at(Path("packs/comfort")))
    book.sample("set_wipers", random.Random(0))  # Labelled(text="wipers on slow", calls=(Call("set_wipers", ...),))

The built-in pack keeps its hand-written phrasebook. Another pack gets, for each intent, its catalog examples with
every slot value said once in the text swapped for other valid values (enum values, numbers in the slot's range
or its words, on/off, the text values of its examples), and plain command frames ("can you set wipers fast").
Out-of-scope requests and rule-changing preambles come from the built-in phrasebook, less those naming a car
function the built-in car lacks (`intents/unsupported.yaml`: wipers, lights...), which another car may have; a
pack whose intents cover other out-of-scope topics (timers, the phone) gives its own `out_of_scope` list.
"""

from __future__ import annotations

import math
import re
from typing import Any

from carvoice.nlu.catalog import OUT_OF_SCOPE, Example, Intent, IntentCatalog, Slot, load_intent_catalog
from carvoice.nlu.normalize import normalize_transcript
from carvoice.nlu.scope import ScopeCheck
from carvoice.pack import IntentPack
from carvoice.train.errors import TrainError
from carvoice.train.templates import (PHRASES_FILE, Filler, PhraseFile, Phrasebook, Template, load_phrasebook,
                                      read_phrase_file)
from vehicle_sim.citymap import load_city
from vehicle_sim.library import load_library

FRAMES = ("{action} {slots}", "please {action} {slots}", "can you {action} {slots}", "I want to {action} {slots}")
DEFAULT_RANGE = 100.0  # a number slot without min or max is filled within this span from the bound it has (or 0)
BOOLEAN_WORDS = {True: "on", False: "off"}


def pack_phrasebook(pack: IntentPack) -> Phrasebook:
    """The built-in phrasebook for the built-in pack; for another, the one derived from its catalog with its own
    phrases.yaml over it. Every template's intent is one of the pack's."""
    if pack.is_builtin:
        return load_phrasebook()
    catalog = pack.catalog()
    phrases = derive_phrases(catalog, read_phrase_file(PHRASES_FILE))
    source = pack.phrasebook_file or pack.folder
    if pack.phrasebook_file is not None:
        phrases = read_phrase_file(pack.phrasebook_file, under=phrases)
    unknown = sorted(set(phrases.intents) - set(catalog.by_name))
    if unknown:
        raise TrainError(f"{source}: templates for intents the pack's catalog does not have: {', '.join(unknown)}")
    return Phrasebook(phrases, load_library(), load_city(), source)


def derive_phrases(catalog: IntentCatalog, builtin: PhraseFile) -> PhraseFile:
    """Templates and fillers for every intent of `catalog` (out_of_scope is drawn from the out-of-scope list)."""
    fillers: dict[str, Filler] = {}
    intents: dict[str, list[Template | str]] = {}
    for intent in catalog.intents:
        if intent.name == OUT_OF_SCOPE:
            continue
        own = {slot.name: filler for slot in intent.slots if (filler := slot_filler(slot, intent, catalog))}
        fillers |= {_placeholder(intent, name): filler for name, filler in own.items()}
        examples = [_example_template(intent, example, own) for example in intent.examples]
        intents[intent.name] = [*examples, *_frames(intent, own)]
    scope = ScopeCheck(load_intent_catalog().unsupported)
    out_of_scope = [text for text in builtin.out_of_scope if not any(scope.unsupported_clauses(text, []))]
    return PhraseFile(fillers=fillers, intents=intents, out_of_scope=out_of_scope,
                      out_of_scope_fillers=builtin.out_of_scope_fillers, injections=builtin.injections)


def slot_filler(slot: Slot, intent: Intent, catalog: IntentCatalog) -> Filler | None:
    """The values a slot can be given, as said; None for a text slot no example gives a value."""
    if slot.type == "enum":
        return Filler(slot=slot.name, phrases=[(value.replace("_", " "), value) for value in slot.values])
    if slot.type == "boolean":
        return Filler(slot=slot.name, phrases=[(word, value) for value, word in BOOLEAN_WORDS.items()])
    if slot.type == "text":
        said = sorted({value for slots in _given_slots(intent, catalog)
                       if isinstance(value := slots.get(slot.name), str)})
        return Filler(slot=slot.name, phrases=[(value, value) for value in said]) if said else None
    return Filler(slot=slot.name, numbers=_number_range(slot), phrases=[(word, word) for word in slot.words])


def _given_slots(intent: Intent, catalog: IntentCatalog) -> list[dict[str, Any]]:
    """The slots of every example of `intent`, its multi-intent examples included."""
    multi = [call.slots for example in catalog.multi_examples for call in example.intents if call.name == intent.name]
    return [example.slots for example in intent.examples] + multi


def _number_range(slot: Slot) -> tuple[float, float, float]:
    """low, high, step: whole numbers for an integer slot or a wide range, halves for a narrow one."""
    low = slot.min if slot.min is not None else (slot.max - DEFAULT_RANGE if slot.max is not None else 0.0)
    high = slot.max if slot.max is not None else low + DEFAULT_RANGE
    step = 1.0 if slot.type == "integer" or high - low > 10 else 0.5
    low = math.ceil(low / step) * step
    return low, low + step * math.floor((high - low) / step), step


def _placeholder(intent: Intent, slot: str) -> str:
    return f"{intent.name}__{slot}"


def _example_template(intent: Intent, example: Example, fillers: dict[str, Filler]) -> Template:
    """The example with each slot value it says once (and a filler can say otherwise) made a placeholder; the
    values it does not say in so many words ("the back" for rear) stay fixed."""
    text = normalize_transcript(example.text)
    spans = {name: span for name, value in example.slots.items()
             if name in fillers and (span := _said_once(text, value, intent.slot_by_name[name]))}
    spans = {name: span for name, span in spans.items()
             if not any(other != name and _overlap(span, spans[other]) for other in spans)}
    for name, (start, end) in sorted(spans.items(), key=lambda item: -item[1][0]):
        text = f"{text[:start]}{{{_placeholder(intent, name)}}}{text[end:]}"
    return Template(say=text, slots={name: value for name, value in example.slots.items() if name not in spans})


def _said_once(text: str, value: Any, slot: Slot) -> tuple[int, int] | None:
    """Where `text` says `value` (as the example's speaker would: a number in digits once normalised, an enum value
    with spaces for underscores), when it says it exactly once."""
    if slot.type == "boolean":
        forms = {BOOLEAN_WORDS[bool(value)]}
    elif isinstance(value, (int, float)):
        forms = {f"{value:g}"}
    else:
        forms = {str(value), str(value).replace("_", " ")}
    matches = [m.span() for form in forms
               for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE)]
    return matches[0] if len(set(matches)) == 1 else None


def _overlap(one: tuple[int, int], other: tuple[int, int]) -> bool:
    return one[0] < other[1] and other[0] < one[1]


def _frames(intent: Intent, fillers: dict[str, Filler]) -> list[str]:
    """Plain commands: the intent's name as words with the values of its required slots, alone and with each
    optional slot; a number is said after its slot's name ("set fan speed 3")."""
    action = intent.name.replace("_", " ")
    base = [slot.name for slot in intent.slots if slot.required]
    base += [group[0] for group in intent.one_of if not set(group) & set(base)]
    choices = [base] + [base + [name] for name in intent.free_slots(set(base))]
    said = [" ".join(_said_slot(intent, name, fillers[name]) for name in names) for names in choices
            if intent.is_complete(set(names)) and all(name in fillers for name in names)]
    return [" ".join(frame.format(action=action, slots=slots).split()) for slots in said for frame in FRAMES]


def _said_slot(intent: Intent, name: str, filler: Filler) -> str:
    placeholder = f"{{{_placeholder(intent, name)}}}"
    return f"{name.replace('_', ' ')} {placeholder}" if filler.numbers is not None else placeholder
