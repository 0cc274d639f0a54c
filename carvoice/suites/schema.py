"""What a suite file holds: a named, scripted conversation with one simulated car and what each turn must do.

    name: cold morning
    initial_state: {vehicle: {outside_temp_c: -2}}        # nested overrides of the fresh car
    settings: {noise: {type: city, snr_db: 10}}           # models, cabin noise, default limits
    steps:
      - audio: clim-01                                    # audio_samples/wav/clim-01.wav, or a path
        transcript: Set the temperature to twenty two degrees.
        expect:
          intents: [{name: set_temperature, slots: {value: 22}}]
          state: {climate.driver.set_point: 22}
          reply_contains: "22"
      - text: and the passenger side too                  # typed instead of spoken
        expect: {state: {climate.passenger.set_point: 22}}

Field checks live here; checks that need the car or the intent catalog are in `validate.py`.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from carvoice.dialog.manager import TurnKind
from carvoice.nlu.catalog import Call

NoiseType = Literal["motorway", "city", "idle"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelChoice(_Strict):
    """Catalog names (or paths) overriding the configured models for this suite."""

    stt: str | None = None
    slm: str | None = None
    tts: str | None = None


class NoiseSettings(_Strict):
    type: NoiseType = "motorway"
    snr_db: float = Field(ge=-10, le=60, description="active speech this many dB above the noise")


class SuiteSettings(_Strict):
    models: ModelChoice = ModelChoice()
    noise: NoiseSettings | None = Field(default=None, description="mixed into every audio step; none: clean")
    max_wer: float = Field(default=0.25, ge=0, le=1, description="default WER limit of expected transcripts")
    latency_budget_s: float | None = Field(default=None, gt=0, description="default end-to-first-audio budget")


class Expectations(_Strict):
    intents: list[Call] | None = None
    state: dict[str, Any] = Field(default={}, description="dotted vehicle path -> value after the step")
    reply_contains: list[str] = Field(default=[], description="each must appear in the reply (any case)")
    reply_matches: str | None = Field(default=None, description="a regular expression the reply must match")
    kind: TurnKind | None = None

    @field_validator("reply_contains", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("reply_matches")
    @classmethod
    def _compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"not a valid regular expression: {error}") from None
        return pattern


class Step(_Strict):
    text: str | None = Field(default=None, min_length=1, description="typed input")
    audio: str | None = Field(default=None, min_length=1,
                              description="an id of audio_samples/wav or a suite's wav/, or a path from the suite")
    transcript: str | None = Field(default=None, description="what the audio says (audio steps only)")
    max_wer: float | None = Field(default=None, ge=0, le=1)
    expect: Expectations = Expectations()
    latency_budget_s: float | None = Field(default=None, gt=0)
    wait_s: float = Field(default=0, ge=0, description="simulated seconds the car drives on before the step")
    xfail: str | None = Field(default=None, min_length=1, description="why this step is known to fail")

    @model_validator(mode="after")
    def _one_input(self) -> Step:
        if (self.text is None) == (self.audio is None):
            raise ValueError("give exactly one of `text` or `audio`")
        if self.transcript is not None and self.audio is None:
            raise ValueError("`transcript` only applies to `audio` steps")
        return self

    @property
    def label(self) -> str:
        return f"🔊 {self.audio}" if self.audio is not None else f"“{self.text}”"


class Suite(_Strict):
    name: str = Field(min_length=1)
    description: str = ""
    initial_state: dict[str, Any] = Field(default={}, description="nested overrides of the fresh car's state")
    settings: SuiteSettings = SuiteSettings()
    xfail: str | None = Field(default=None, min_length=1, description="why the whole suite is known to fail")
    steps: list[Step] = Field(min_length=1)
