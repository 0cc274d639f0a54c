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
from carvoice.nlu.normalize import normalize_transcript
from carvoice.nlu.prompt import Exchange, build_prefix, build_turn
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
    def __init__(self, slm: ConstrainedSlm, catalog: IntentCatalog) -> None:
        self.slm = slm
        self.catalog = catalog
        self.syntax = CallSyntax(catalog)
        slm.set_prefix(build_prefix(catalog))

    @classmethod
    def load(cls, model_path: Path, catalog: IntentCatalog, options: SlmOptions = SlmOptions(),
             prompt_cache: PromptCache | None = None) -> Understander:
        return cls(ConstrainedSlm(model_path, options, prompt_cache), catalog)

    def understand(self, transcript: str, previous: Exchange | None = None) -> Understanding:
        started = time.perf_counter()
        text = normalize_transcript(transcript)
        if not text:
            return Understanding(text="", intents=[], raw_output="", understood=True)
        completion = self.slm.complete(build_turn(text, previous), self.syntax)
        intents, understood = self._read(completion.text, completion.complete)
        return Understanding(
            text=text, intents=intents, raw_output=completion.text, understood=understood,
            prompt_tokens=completion.prompt_tokens, output_tokens=completion.output_tokens,
            prompt_s=completion.prompt_s, decode_s=completion.decode_s,
            total_s=time.perf_counter() - started,
        )

    def _read(self, output: str, complete: bool) -> tuple[list[IntentCall], bool]:
        """Parse and validate the model's calls; an incomplete or invalid answer yields no intents."""
        if not complete:
            return [], False
        try:
            calls = parse_calls(output)
        except SyntaxRejected:
            return [], False
        if any(self._problems(call) for call in calls):
            return [], False
        return [IntentCall(name=c.name, slots=c.slots) for c in calls], True

    def _problems(self, call: Call) -> list[str]:
        intent = self.catalog.by_name.get(call.name)
        return [f"unknown intent {call.name!r}"] if intent is None else intent.slot_problems(call.slots)
