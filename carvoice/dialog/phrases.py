"""What the assistant says in the dialog's own situations, and the phrasebook that picks and fills templates.

    book = Phrasebook(random.Random(0))
    book.say("not_understood")                                     # "Sorry, I didn't catch that."
    book.pick(("{title} is paused.",), title="Paper Hearts")       # "Paper Hearts is paused."

Keys name a dialog situation (`not_understood`, `out_of_scope.rest`); what is said about a car action lives
with the wording of its area (`wording/climate.py`, ...). Templates are `str.format` strings over the fields
the reply code provides, several per case so replies do not sound canned. The first sentence stays short:
speech synthesis starts with it, so a short one means the first audio comes sooner.
"""

from __future__ import annotations

import random

from carvoice.dialog.spoken import sentence_case
from carvoice.errors import CarvoiceError

PHRASES: dict[str, tuple[str, ...]] = {
    "not_understood": ("Sorry, I didn't catch that.", "Sorry, could you say that again?",
                       "I didn't get that. Could you repeat it?"),
    "out_of_range": ("{value} is out of range: it can be {range}. I left it as it was.",
                     "I can't go to {value}; the range is {range}.",
                     "{value} is too far. It goes from {range}, so I left it alone."),
    "cancelled": ("Okay.", "Alright.", "Sure, never mind."),
    "question_expired": ("I've dropped that question. Say it again if you still want it.",
                         "That question has lapsed. Ask me again if you still want it."),
    "unsure": ("Did you want me to {request}?", "Do you mean I should {request}?"),
    "doubt": ("Just to be sure: do you want me to {request}?", "Should I really {request}?"),
    "unsafe_purpose": ("Not while we're moving: nobody and nothing should be out of a moving car.",
                       "I won't open that while we're moving. Nothing should stick out of a moving car."),
    "unsafe_loudness": ("Not while we're moving: you need to hear sirens and horns on the road.",
                        "I'll keep it where you can still hear a siren while we're driving."),
    "declined": ("Okay, I won't.", "Alright, I'll leave it.", "Okay, leaving it as it is."),
    "nothing_to_confirm": ("There's nothing to confirm.", "I wasn't asking anything, but I'm listening.",
                           "There's nothing waiting for a yes or no."),
    "out_of_scope": ("Sorry, I can't help with that. I can handle {abilities}.",
                     "That's beyond me, I'm afraid. I can do {abilities}.",
                     "I can't do that one. Ask me about {abilities}."),
    "other_language": ("Sorry, I only understand English for now.", "I only understand English for now, sorry."),
    "unsupported": ("This car can't {what} by voice.", "Sorry, I can't {what} in this car."),
    "unsupported.rest": ("I can't {what} in this car, though.", "The car can't {what} by voice, though."),
    "out_of_scope.rest": ("I can't help with the rest, though.", "The other part is beyond me, sorry.",
                          "The rest I can't do."),
    "help": ("I can help with {abilities}. Try {examples}.", "I look after {abilities}. For example, {examples}.",
             "Ask me about {abilities}. Say {examples}."),
    "not_executed": ("Understood: {request}. This car doesn't do that, so nothing changed.",
                     "I understood {request}, but this car can't carry it out."),
    "failed": ("Sorry, something went wrong with the {topic}.", "Sorry, I couldn't change the {topic}.",
               "Sorry, the {topic} didn't respond."),
}


class UnknownPhraseError(CarvoiceError):
    """Reply code asked for a case the phrasebook has no templates for, or left a template's field unfilled."""


class Phrasebook:
    """Picks one of a case's templates with a seeded generator, so replies vary but tests are repeatable."""

    def __init__(self, rng: random.Random, phrases: dict[str, tuple[str, ...]] = PHRASES):
        self._rng = rng
        self._phrases = phrases

    def say(self, key: str, **fields: str) -> str:
        """One of the templates of a dialog situation, filled with `fields`."""
        templates = self._phrases.get(key)
        if not templates:
            raise UnknownPhraseError(f"no reply templates for {key!r}; add them to carvoice/dialog/phrases.py")
        return self.pick(templates, **fields)

    def pick(self, templates: tuple[str, ...], **fields: str) -> str:
        """One of `templates`, filled with `fields`, starting with a capital."""
        template = self._rng.choice(templates)
        try:
            return sentence_case(template.format(**fields))
        except KeyError as missing:
            raise UnknownPhraseError(f"template {template!r} needs the field {missing}") from None
