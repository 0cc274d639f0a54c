"""Shared fixtures: the real default models from the model store, pulled once per machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from carvoice.config import Settings, builtin_catalog, load_settings
from carvoice.models import ModelStore, Role, resolve


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def model_store(settings: Settings) -> ModelStore:
    return ModelStore(settings.home, builtin_catalog())


def _default_model_path(store: ModelStore, role: Role) -> Path:
    return resolve(role, store.catalog.default(role).name, store).path


@pytest.fixture(scope="session")
def whisper_tiny_path(model_store: ModelStore) -> Path:
    return resolve(Role.STT, "whisper-tiny.en", model_store).path


@pytest.fixture(scope="session")
def piper_voice_path(model_store: ModelStore) -> Path:
    return _default_model_path(model_store, Role.TTS)


@pytest.fixture(scope="session")
def default_slm_path(model_store: ModelStore) -> Path:
    return _default_model_path(model_store, Role.SLM)
