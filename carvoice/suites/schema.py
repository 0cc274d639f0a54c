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

    settings: {wake_word: okay_nabu}                      # hands-free: audio steps are heard behind the wake word
    steps:
      - {audio: clim-01, wake: true}                      # wav/wake-okay-nabu.wav, the command in the same breath
      - {audio: clim-10, wake: {pause_s: 1.0}}            # the wake phrase, a pause (the earcon's), the command
      - {audio: wk-freezing}                              # a recording that starts with the wake word: a turn
      - {audio: medi-18, wake: false}                     # no wake word: there must be no turn

Field checks live here; checks that need the car or the intent catalog are in `validate.py`.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from carvoice.dialog.manager import TurnKind
from carvoice.nlu.catalog import Call
from carvoice.validation import RegularExpression

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
    wake_word: str | None = Field(default=None, min_length=1, description=(
        "hands-free: every audio step is heard behind this wake word (a catalog name such as okay_nabu, or a "
        "microWakeWord .json path) as `carvoice run --wake-word` hears a file; none: each audio step is a turn"))
    noise: NoiseSettings | None = Field(default=None, description="mixed into every audio step; none: clean")
    max_wer: float = Field(default=0.25, ge=0, le=1, description="default WER limit of expected transcripts")
    latency_budget_s: float | None = Field(default=None, gt=0, description="default end-to-first-audio budget")


class Expectations(_Strict):
    intents: list[Call] | None = None
    state: dict[str, Any] = Field(default={}, description="dotted vehicle path -> value after the step")
    reply_contains: list[str] = Field(default=[], description="each must appear in the reply (any case)")
    reply_matches: RegularExpression | None = Field(default=None,
                                                    description="a regular expression the reply must match")
    kind: TurnKind | None = None

    @field_validator("reply_contains", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


ONE_BREATH_S = 0.15
"""The pause of a comma: the wake word and the command said in one breath."""


class StepWake(_Strict):
    """How a step's audio meets the wake word, in a suite with a `wake_word`: `wake: true` (said first, in one
    breath), `wake: false` (not said), or these fields."""

    said: bool = True
    """The wake phrase is said before the step's audio, and there must be a turn; false: it is not, and there
    must be no turn."""
    pause_s: float = Field(default=ONE_BREATH_S, ge=0, le=3.5, description=(
        "silence between the wake phrase's speech and the command's; the default is a comma's pause, one breath "
        "(\"okay nabu, turn on the A/C\"); the command must start within 4 s"))
    phrase: str | None = Field(default=None, min_length=1, description=(
        "the wake phrase's audio, an id or a path as for `audio`; default: the suite's wav/wake-<wake word>, "
        "e.g. wake-okay-nabu"))

    @model_validator(mode="after")
    def _said_or_not(self) -> StepWake:
        if not self.said and self.model_fields_set - {"said"}:
            raise ValueError("a wake word that is not said has no pause_s or phrase")
        return self


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
    wake: StepWake | None = Field(default=None, description=(
        "(a suite with a wake_word) true or {pause_s, phrase}: the wake phrase is said first, and the command "
        "must be a turn; false: the audio has no wake word, and there must be no turn; none: the audio as it is "
        "(a recording that starts with the wake word), and it must be a turn"))

    @field_validator("wake", mode="before")
    @classmethod
    def _said_or_not(cls, value: Any) -> Any:
        return {"said": value} if isinstance(value, bool) else value

    @model_validator(mode="after")
    def _one_input(self) -> Step:
        if (self.text is None) == (self.audio is None):
            raise ValueError("give exactly one of `text` or `audio`")
        for name in ("transcript", "wake"):
            if getattr(self, name) is not None and self.audio is None:
                raise ValueError(f"`{name}` only applies to `audio` steps")
        return self

    def wake_phrase(self, wake_word: str) -> str | None:
        """The audio of the wake phrase said before this step's audio; None when none is said first."""
        if self.wake is None or not self.wake.said:
            return None
        return self.wake.phrase or f"wake-{PurePath(wake_word).stem.replace('_', '-')}"

    @property
    def expects_turn(self) -> bool:
        """False for an audio step marked as having no wake word."""
        return self.wake is None or self.wake.said

    @property
    def label(self) -> str:
        if self.text is not None:
            return f"“{self.text}”"
        if self.wake is not None and not self.wake.said:
            return f"🔊 {self.audio} (no wake word)"
        if self.wake is not None:
            pause = f"{self.wake.pause_s:g} s, " if self.wake.pause_s != ONE_BREATH_S else ""
            return f"🔊 wake word, {pause}{self.audio}"
        return f"🔊 {self.audio}"


class Suite(_Strict):
    name: str = Field(min_length=1)
    description: str = ""
    initial_state: dict[str, Any] = Field(default={}, description="nested overrides of the fresh car's state")
    settings: SuiteSettings = SuiteSettings()
    xfail: str | None = Field(default=None, min_length=1, description="why the whole suite is known to fail")
    steps: list[Step] = Field(min_length=1)
