"""The project's spoken test set (`audio_samples/`): the command list and its audio, clean or noisy."""

from __future__ import annotations

import zlib
from collections import Counter
from enum import Enum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from carvoice.audio.decode import load_audio
from carvoice.audio.noise import NOISE_LEVELS, CabinCondition, cabin_noise, mix_at_snr
from carvoice.audio.segment import AudioSegment
from carvoice.errors import CarvoiceError
from carvoice.suites.loader import SAMPLES_DIR, WAV_DIR

COMMANDS_FILE = SAMPLES_DIR / "commands.yaml"


class Domain(str, Enum):
    CLIMATE = "climate"
    MEDIA = "media"
    NAVIGATION = "navigation"
    SYSTEM = "system"
    OUT_OF_SCOPE = "out_of_scope"


class SpokenCommand(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    domain: Domain
    text: str = Field(min_length=1)
    voice: str = Field(pattern=r"^(piper|espeak):\S+$", description="piper:<voice> or espeak:<voice>")

    @property
    def engine(self) -> str:
        return self.voice.split(":", 1)[0]

    @property
    def voice_name(self) -> str:
        return self.voice.split(":", 1)[1]

    @property
    def stable_seed(self) -> int:
        """A seed that depends on the id alone, so adding commands never changes another's audio or noise."""
        return zlib.crc32(self.id.encode())


class CommandList(BaseModel):
    model_config = ConfigDict(extra="forbid")
    commands: list[SpokenCommand] = Field(min_length=1)


class SampleSetError(CarvoiceError):
    pass


def load_commands(path: Path = COMMANDS_FILE) -> list[SpokenCommand]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        commands = CommandList.model_validate(data).commands
    except (OSError, yaml.YAMLError, ValidationError) as error:
        raise SampleSetError(f"cannot read the command list {str(path)!r}: {error}") from error
    duplicates = sorted(name for name, count in Counter(c.id for c in commands).items() if count > 1)
    if duplicates:
        raise SampleSetError(f"{path}: command ids repeat: {duplicates}")
    return commands


def wav_path(command: SpokenCommand, wav_dir: Path = WAV_DIR) -> Path:
    return wav_dir / f"{command.id}.wav"


def sample_audio(command: SpokenCommand, noise_level: str = "clean", wav_dir: Path = WAV_DIR) -> AudioSegment:
    """The command's recording, mixed with seeded cabin noise at the named level (see NOISE_LEVELS)."""
    if noise_level not in NOISE_LEVELS:
        raise SampleSetError(f"unknown noise level {noise_level!r}; choose from {sorted(NOISE_LEVELS)}")
    path = wav_path(command, wav_dir)
    if not path.exists():
        raise SampleSetError(f"{path} is missing: run `python audio_samples/make_samples.py` first")
    clean = load_audio(path)
    snr_db = NOISE_LEVELS[noise_level]
    if snr_db is None:
        return clean
    noise = cabin_noise(clean.duration_s, CabinCondition(), seed=command.stable_seed)
    return AudioSegment(mix_at_snr(clean.samples, noise, snr_db), f"{clean.source}@{noise_level}")
