"""The understanding stage: a transcript in, the intents it asks for out (`Understanding`).

    understander = Understander.load(model_path, catalog)
    understanding = understander.understand("turn on the A/C and play some jazz")
    [(i.name, i.slots) for i in understanding.intents]  # [("set_ac", {"on": True}), ("play_genre", ...)]
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from carvoice.nlu.catalog import OUT_OF_SCOPE, IntentCatalog
from carvoice.nlu.grounding import ungrounded_names
from carvoice.nlu.normalize import normalize_transcript
from carvoice.models.recipe import is_recipe_folder, read_recipe
from carvoice.nlu.prompt import Exchange, PromptStyle, build_prefix, build_turn
from carvoice.nlu.prompt_cache import PromptCache
from carvoice.nlu.slm import ConstrainedSlm, SlmOptions
from carvoice.nlu.syntax import Call, CallSyntax, SyntaxRejected, parse_calls

class IntentCall(BaseModel):
    name: str
    slots: dict[str, Any] = {}


class Understanding(BaseModel):
    text: str = Field(description="the transcript as the model saw it, after normalisation")
    intents: list[IntentCall]
    raw_output: str
    understood: bool = Field(description="False when the model's answer could not be used")
    prompt_tokens: int = 0
    output_tokens: int = 0
    prompt_s: float = 0.0
    decode_s: float = 0.0
    total_s: float = 0.0

    @property
    def out_of_scope(self) -> bool:
        return any(intent.name == OUT_OF_SCOPE for intent in self.intents)


class Understander:
    def __init__(self, slm: ConstrainedSlm, catalog: IntentCatalog, prompt_style: PromptStyle = "full") -> None:
        self.slm = slm
        self.catalog = catalog
        self.syntax = CallSyntax(catalog)
        self.prompt_style = prompt_style
        slm.set_prefix(build_prefix(catalog, prompt_style))

    @classmethod
    def load(cls, model_path: Path, catalog: IntentCatalog, options: SlmOptions = SlmOptions(),
             prompt_cache: PromptCache | None = None) -> Understander:
        """A GGUF file (full prompt), or a recipe folder: base GGUF + LoRA adapter + its prompt style."""
        if not is_recipe_folder(model_path):
            return cls(ConstrainedSlm(model_path, options, prompt_cache), catalog)
        recipe = read_recipe(model_path)
        # The prompt cache keys states by the base file alone, so a state evaluated with an adapter could be
        # restored without it; an adapter's short prefix costs milliseconds to evaluate anyway.
        cache = prompt_cache if recipe.adapter is None else None
        return cls(ConstrainedSlm(recipe.base, options, cache, lora_path=recipe.adapter), catalog, recipe.prompt)

    def understand(self, transcript: str, previous: Exchange | None = None) -> Understanding:
        started = time.perf_counter()
        text = normalize_transcript(transcript)
        if not text:
            return Understanding(text="", intents=[], raw_output="", understood=True)
        if not any(char.isalnum() for char in text):  # only symbols or emoji: no words a car request is made of
            return Understanding(text=text, intents=[IntentCall(name=OUT_OF_SCOPE)], raw_output="", understood=True)
        completion = self.slm.complete(build_turn(text, previous), self.syntax)
        intents, understood = self._read(completion.text, completion.complete, what_was_said(text, previous))
        return Understanding(
            text=text, intents=intents, raw_output=completion.text, understood=understood,
            prompt_tokens=completion.prompt_tokens, output_tokens=completion.output_tokens,
            prompt_s=completion.prompt_s, decode_s=completion.decode_s,
            total_s=time.perf_counter() - started,
        )

    def _read(self, output: str, complete: bool, said: str) -> tuple[list[IntentCall], bool]:
        """Parse and validate the model's calls; an incomplete or invalid answer, or one naming a place or
        song that was not said, yields no intents."""
        if not complete:
            return [], False
        try:
            calls = parse_calls(output)
        except SyntaxRejected:
            return [], False
        if any(self._problems(call) or ungrounded_names(call.slots, said) for call in calls):
            return [], False
        return [IntentCall(name=c.name, slots=c.slots) for c in calls], True

    def _problems(self, call: Call) -> list[str]:
        intent = self.catalog.by_name.get(call.name)
        return [f"unknown intent {call.name!r}"] if intent is None else intent.slot_problems(call.slots)


def what_was_said(text: str, previous: Exchange | None) -> str:
    """What the names in the answer may come from: the utterance, and the previous exchange for follow-ups."""
    if previous is None:
        return text
    return " ".join([text, previous.text, *(str(v) for call in previous.calls for v in call.slots.values())])
