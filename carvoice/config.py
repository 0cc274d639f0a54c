"""Effective settings: built-in defaults < TOML config file < CARVOICE_* environment < command-line flags.

The config file is the first of: `--config PATH`, `$CARVOICE_CONFIG`, `./carvoice.toml`,
`<user config dir>/carvoice/config.toml`. Keys are the field names below, at the top level of the file.
"""

from __future__ import annotations

import os
import re
import sys
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from carvoice.errors import CarvoiceError
from carvoice.models.catalog import Catalog, Role, load_catalog
from carvoice.models.store import ModelStore

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

ENV_PREFIX = "CARVOICE_"
CONFIG_FILE_NAME = "carvoice.toml"


class ConfigError(CarvoiceError):
    pass


@lru_cache(maxsize=1)
def builtin_catalog() -> Catalog:
    return load_catalog()


def open_store(settings: Settings) -> ModelStore:
    """The model store the settings point at, with the built-in catalog."""
    return ModelStore(settings.home, builtin_catalog(), merge_adapters=settings.merge_adapters)


def _default_model(role: Role) -> str:
    return builtin_catalog().default(role).name


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", validate_default=True)

    home: Path = Field(default_factory=lambda: Path(platformdirs.user_cache_dir("carvoice")),
                       description="model store and caches")
    stt_model: str = Field(default_factory=lambda: _default_model(Role.STT),
                           description="speech-to-text: catalog name, a whisper (CTranslate2) or Moonshine folder, or hub id")
    slm_model: str = Field(default_factory=lambda: _default_model(Role.SLM),
                           description="language model: catalog name, .gguf path, or hub 'owner/repo/file.gguf'")
    tts_voice: str = Field(default_factory=lambda: _default_model(Role.TTS),
                           description="piper voice: catalog name, .onnx path, or hub 'owner/repo/voice.onnx'")
    wake_word: str | None = Field(default=None,
                                  description="wake word before each spoken command: catalog name (okay_nabu, "
                                  "hey_jarvis, alexa, hey_mycroft) or a microWakeWord .json path; none: no wake word")
    merge_adapters: bool = Field(default=False, description="fold a LoRA adapter into its base once, when first "
                                 "used, instead of applying it on every token (see the README's model store)")
    wake_earcon: bool = Field(default=True, description="a short chime after the wake word when no command "
                              "follows in the same breath")
    intents_dir: Path | None = Field(default=None,
                                     description="intent pack: a folder of intent catalog *.yaml files, with optional "
                                     "eval/ cases and vocabulary.yaml; none: the car's built-in intents")
    threads: int = Field(default_factory=lambda: os.cpu_count() or 2, ge=1, le=256,
                         description="CPU threads per model")
    input_device: str | None = Field(default=None, description="microphone: sounddevice name or index")
    output_device: str | None = Field(default=None, description="speaker: sounddevice name or index")
    max_turn_s: float = Field(default=60.0, gt=0, le=600,
                              description="longest audio transcribed as one command, in seconds; longer is refused")
    nlu_timeout_s: float = Field(default=20.0, gt=0, le=600,
                                 description="deadline of the language model for one turn, in seconds; past it "
                                 "the turn ends with an apology")
    temperature_unit: Literal["celsius", "fahrenheit"] = "celsius"
    distance_unit: Literal["km", "mi"] = "km"

    @field_validator("wake_word", mode="before")
    @classmethod
    def _none_is_no_wake_word(cls, value: Any) -> Any:
        return None if isinstance(value, str) and value.strip().lower() in ("", "none") else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, _ConfigFileSource(settings_cls)


_file_values: ContextVar[dict[str, Any]] = ContextVar("carvoice_config_file_values", default={})


class _ConfigFileSource(PydanticBaseSettingsSource):
    """Values read from the TOML config file, below the environment in precedence."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return _file_values.get().get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_file_values.get())


def find_config_file(explicit: Path | None = None) -> Path | None:
    if explicit is not None:
        return explicit
    if os.environ.get(f"{ENV_PREFIX}CONFIG"):
        return Path(os.environ[f"{ENV_PREFIX}CONFIG"])
    for candidate in (Path.cwd() / CONFIG_FILE_NAME, Path(platformdirs.user_config_dir("carvoice")) / "config.toml"):
        if candidate.is_file():
            return candidate
    return None


def read_config_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror or exc})") from exc
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    _check_file_values(path, text, values)
    return values


def _check_file_values(path: Path, text: str, values: dict[str, Any]) -> None:
    """Validate the file's keys on their own, so an error names the file and line rather than a merged result."""
    known = Settings.model_fields
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{path}:{_line_of(text, key)}: unknown setting {key!r}; known: {', '.join(known)}")
        try:
            Settings.__pydantic_validator__.validate_assignment(Settings.model_construct(), key, value)
        except ValidationError as exc:
            raise ConfigError(f"{path}:{_line_of(text, key)}: {key}: {exc.errors()[0]['msg']}") from exc


def _line_of(text: str, key: str) -> int:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    return next((n for n, line in enumerate(text.splitlines(), 1) if pattern.match(line)), 1)


def load_settings(config_file: Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """The effective settings; `overrides` are the command-line flags the user gave (None values ignored)."""
    path = find_config_file(config_file)
    file_values = read_config_file(path) if path is not None else {}
    cli_values = {k: v for k, v in (overrides or {}).items() if v is not None}
    token = _file_values.set(file_values)
    try:
        return Settings(**cli_values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"invalid settings (from the command line or {ENV_PREFIX}* environment): {problems}") from exc
    finally:
        _file_values.reset(token)


def describe_sources(config_file: Path | None, overrides: dict[str, Any] | None) -> dict[str, str]:
    """For each setting, where its effective value came from: cli, env, file or default."""
    path = find_config_file(config_file)
    file_values = read_config_file(path) if path is not None else {}
    cli_values = {k for k, v in (overrides or {}).items() if v is not None}
    env_names = {k.upper() for k in os.environ}
    sources = {}
    for name in Settings.model_fields:
        if name in cli_values:
            sources[name] = "command line"
        elif f"{ENV_PREFIX}{name}".upper() in env_names:
            sources[name] = f"env {ENV_PREFIX}{name.upper()}"
        elif name in file_values:
            sources[name] = f"file {path}"
        else:
            sources[name] = "default"
    return sources
