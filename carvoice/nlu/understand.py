"""The understanding stage: a transcript in, the intents it asks for out (`Understanding`).

    understander = Understander.load(model_path, catalog)
    understanding = understander.understand("turn on the A/C and play some jazz")
    [(i.name, i.slots) for i in understanding.intents]  # [("set_ac", {"on": True}), ("play_genre", ...)]
    understander.understand("and the passenger side too", previous=understanding)   # a follow-up
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

from pydantic import BaseModel, Field
from vehicle_sim.world import World, default_world

from carvoice.errors import CarvoiceError
from carvoice.nlu.catalog import OUT_OF_SCOPE, Call, IntentCatalog, load_intent_catalog
from carvoice.nlu.grounding import (confirmation_only, confirmed_not_repeated, in_other_units, not_where_we_are,
                                    once_each, questions_keep_route, same_place, short_of_the_most, switched_as_said,
                                    to_or_by, unsaid_extremes, unsaid_intents, unsaid_numbers, unsaid_part_openings,
                                    unsaid_units, ungrounded_names)
from carvoice.nlu.normalize import normalize_transcript
from carvoice.models.recipe import is_recipe_folder, read_recipe
from carvoice.nlu.prompt import Exchange, PromptStyle, build_prefix, build_turn, follows_on
from carvoice.nlu.prompt_cache import PromptCache
from carvoice.nlu.names import NameKinds
from carvoice.nlu.scope import OTHER_LANGUAGE, Reread, ScopeCheck
from carvoice.nlu.scoring import exact_match
from carvoice.nlu.slm import ConstrainedSlm, SlmOptions
from carvoice.nlu.syntax import CallSyntax, SyntaxRejected, parse_calls

ASK_BELOW_MARGIN = 1.75
"""The assistant asks before acting when the model's margin (Understanding.margin, in logits) is below this and
the runner-up reading at that point asks the car for something else. Chosen on the own evaluation set's single
utterances (547) with the default student: among the margins that ask about at most 3 % of the readings it gets
right, the smallest that catches as many of its wrong readings as the largest does. For the student of
2026-12-04: 1.75 asks about 13 of 532 right readings (2.4 %) and catches 4 of its 15 wrong ones; any margin up
to 1.93 catches the same 4 and asks about up to 15 right ones ("It's freezing in here", margin 1.78, among them);
2.5 catches 7 and asks about 26 (4.9 %). The student before it had 2.0, the largest of 1.0, 2.0 and 3.0 that asked
about at most 3 % of its right readings."""


class Understanding(BaseModel):
    text: str = Field(description="the transcript as the model saw it, after normalisation")
    intents: list[Call]
    raw_output: str
    understood: bool = Field(description="False when the model's answer could not be used")
    out_of_scope_reason: str | None = Field(
        None, description="why a request was found out of scope without the model: 'other_language', or the name "
                          "of a function the car lacks (the catalog's `unsupported:` entries)")
    margin: float | None = Field(None, description="the model's smallest lead, in logits, of a chosen output token "
                                                   "over the next one allowed, when under ask_below (it hesitated)")
    unsure: bool = Field(False, description="the margin is below the understander's ask_below and the runner-up "
                                            "reading asks for something else, or the recogniser was unsure of the "
                                            "words (pipeline.HEARD_SURE): the assistant asks before acting")
    prompt_tokens: int = 0
    output_tokens: int = 0
    prompt_s: float = 0.0
    decode_s: float = 0.0
    total_s: float = 0.0

    @property
    def out_of_scope(self) -> bool:
        return any(intent.name == OUT_OF_SCOPE for intent in self.intents)

    @classmethod
    def given(cls, text: str, intents: list[Call]) -> Understanding:
        """A reading known beforehand (an evaluation case's labelled earlier turn), to be the previous one."""
        return cls(text=normalize_transcript(text), intents=intents, raw_output="", understood=True)

    def as_exchange(self) -> Exchange:
        """This turn as the model is shown it when the next one follows on."""
        return Exchange(self.text, list(self.intents))


class ModelNotForTheseIntents(CarvoiceError):
    pass


def check_trained_for(model_path: Path, trained: list[str] | None, catalog: IntentCatalog) -> None:
    """A student's short prompt describes no intents: it knows only those it was trained on (the built-in
    catalog's when its recipe lists none), so intents of another pack would be guessed from their names."""
    known = set(trained) if trained is not None else {intent.name for intent in load_intent_catalog().intents}
    unknown = sorted(intent.name for intent in catalog.intents if intent.name not in known)
    if unknown:
        raise ModelNotForTheseIntents(
            f"{model_path.name} is a student trained for other intents (it does not know {', '.join(unknown[:5])}"
            f"{' ...' if len(unknown) > 5 else ''}); for this intent pack use a model with the full prompt "
            f"(--slm qwen2.5-coder-1.5b-instruct) or train a student for the pack (carvoice train all --intents DIR)")


class Understander:
    def __init__(self, slm: ConstrainedSlm, catalog: IntentCatalog, prompt_style: PromptStyle = "full",
                 world: World | None = None) -> None:
        self.slm = slm
        self.catalog = catalog
        self.syntax = CallSyntax(catalog)
        self.scope = ScopeCheck(catalog.unsupported)
        self.names = NameKinds(world or default_world())
        self.prompt_style = prompt_style
        self.ask_below = ASK_BELOW_MARGIN
        slm.set_prefix(build_prefix(catalog, prompt_style))

    @classmethod
    def load(cls, model_path: Path, catalog: IntentCatalog, options: SlmOptions = SlmOptions(),
             prompt_cache: PromptCache | None = None) -> Understander:
        """A GGUF file (full prompt), or a recipe folder: base GGUF + LoRA adapter + its prompt style."""
        if not is_recipe_folder(model_path):
            return cls(ConstrainedSlm(model_path, options, prompt_cache), catalog)
        recipe = read_recipe(model_path)
        if recipe.prompt == "short":
            check_trained_for(model_path, recipe.intents, catalog)
        # The prompt cache keys states by the base file alone, so a state evaluated with an adapter could be
        # restored without it; an adapter's short prefix costs milliseconds to evaluate anyway.
        cache = prompt_cache if recipe.adapter is None else None
        return cls(ConstrainedSlm(recipe.base, options, cache, lora_path=recipe.adapter), catalog, recipe.prompt)

    def understand(self, transcript: str, previous: Understanding | None = None) -> Understanding:
        """`previous`: the conversation's last understood turn, the context of a follow-up ("a bit more")."""
        started = time.perf_counter()
        text = normalize_transcript(transcript)
        if not text:
            return Understanding(text="", intents=[], raw_output="", understood=True)
        if not any(char.isalnum() for char in text):  # only symbols or emoji: no words a car request is made of
            return Understanding(text=text, intents=[Call(name=OUT_OF_SCOPE)], raw_output="", understood=True)
        if self.scope.foreign(text):
            return Understanding(text=text, intents=[Call(name=OUT_OF_SCOPE)], raw_output="", understood=True,
                                 out_of_scope_reason=OTHER_LANGUAGE)
        previous = previous.as_exchange() if previous is not None and follows_on(text) else None
        completion = self.slm.complete(build_turn(text, previous), self.syntax, fork_below=self.ask_below)
        calls, understood = self._read(completion.text, completion.complete, text, previous)
        reread = self._reader(previous)
        calls, reason = self.scope.apply(text, calls, reread)
        understood = understood or reason is not None  # a function the car lacks is understood as such
        named = [self.names.retarget(call) for call in calls]  # a name the car's world knows decides the kind
        unsure = understood and named == calls and self._unsure(completion.alternative, calls, text, previous,
                                                                reread)
        calls = named
        return Understanding(
            text=text, intents=calls, raw_output=completion.text,
            understood=understood, out_of_scope_reason=reason, margin=completion.margin, unsure=unsure,
            prompt_tokens=completion.prompt_tokens, output_tokens=completion.output_tokens,
            prompt_s=completion.prompt_s, decode_s=completion.decode_s,
            total_s=time.perf_counter() - started,
        )

    def _read(self, output: str, complete: bool, text: str, previous: Exchange | None) -> tuple[list[Call], bool]:
        """Parse the model's calls and hold them against the words (grounding.py): one call written twice is
        one, words that only confirm are a yes, and a yes beside a new request never repeats the previous one,
        "to N" against "by N", a question never changes the route, nor
        does where the car is, a switch goes the way the words turn it; an incomplete or invalid answer, or one
        naming a place or song or a number or an extreme that was not said, or an intent without the words it
        needs ("drop the rear windows" read as the demister), or a level or opening in a unit it does not have
        ("3 inches"), or a number short of the most the words ask for ("full volume" read as 3), or an opening
        part way that no words size ("open the windows and the sunroof" read with the sunroof at 20 %), or a
        display unit no words name ("in furlongs" read as miles), yields no intents."""
        if not complete:
            return [], False
        try:
            calls = once_each(parse_calls(output))
        except SyntaxRejected:
            return [], False
        earlier = previous.calls if previous else []
        calls = to_or_by(confirmed_not_repeated(confirmation_only(calls, text), text, earlier), text)
        routed = not_where_we_are(questions_keep_route(calls, text), text)
        if calls and not routed:  # every call was a route to where the car is
            return [], False
        calls = same_place(switched_as_said(routed, text), text, earlier, self.catalog)
        said = what_was_said(text, previous)
        if any(self._problems(call) or ungrounded_names(call.slots, said) for call in calls) \
                or unsaid_numbers(calls, text) or short_of_the_most(calls, text, self.catalog) \
                or unsaid_extremes(calls, text) or unsaid_intents(calls, said, self.catalog) \
                or in_other_units(calls, text) or unsaid_part_openings(calls, said) or unsaid_units(calls, said):
            return [], False
        return calls, True

    def _reader(self, previous: Exchange | None) -> Reread:
        """The calls the model reads in a part of the utterance alone (the clauses left when one names a function
        the car lacks), each part read once."""
        @cache
        def read(part: str) -> list[Call]:
            completion = self.slm.complete(build_turn(part, previous), self.syntax)
            return self._read(completion.text, completion.complete, part, previous)[0]
        return read

    def _unsure(self, alternative: str | None, calls: list[Call], text: str, previous: Exchange | None,
                reread: Reread) -> bool:
        """The model nearly gave another reading (the runner-up at its closest choice) that asks the car for
        something else; two ways of writing one request do not count, nor a mere repeat of the previous
        exchange (a habit of small models shown context, never what a follow-up asks for)."""
        if alternative is None or all(call.name == OUT_OF_SCOPE for call in calls):
            return False
        other, usable = self._read(alternative, True, text, previous)
        other = [self.names.retarget(call) for call in self.scope.apply(text, other, reread)[0]]
        repeat = previous is not None and exact_match(other, previous.calls, self.catalog)
        return usable and not repeat and not exact_match(other, calls, self.catalog)  # `calls` keep names' kinds

    def _problems(self, call: Call) -> list[str]:
        intent = self.catalog.by_name.get(call.name)
        return [f"unknown intent {call.name!r}"] if intent is None else intent.slot_problems(call.slots)


def what_was_said(text: str, previous: Exchange | None) -> str:
    """What the names in the answer may come from: the utterance, and the previous exchange for follow-ups."""
    if previous is None:
        return text
    return " ".join([text, previous.text, *(str(v) for call in previous.calls for v in call.slots.values())])
