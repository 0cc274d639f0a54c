"""Bring the assistant up: resolve the configured models (pulling defaults on first use) and load them
in parallel, each once; the pipeline then keeps them warm. The one place that resolves a model name and
loads the understanding stage, for the assistant, the benchmarks and the suites alike.

    assistant = load_assistant(load_settings(), speech_in=True)
    stt, tts = load_speech(settings)                       # the ear and voice alone (no language model)
    path = resolve_model(settings, Role.SLM, "qwen2.5-coder-1.5b-instruct").path
    understander = load_understander(settings, path)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from carvoice.assistant.assistant import Assistant, LoadedModel
from carvoice.config import Settings, open_store
from carvoice.models import InstallState, PullProgress, ResolvedModel, Role, resolve
from carvoice.nlu.catalog import IntentCatalog
from carvoice.pack import IntentPack
from carvoice.nlu.prompt_cache import PromptCache
from carvoice.nlu.slm import SlmOptions
from carvoice.nlu.understand import Understander
from carvoice.pipeline import Stages
from carvoice.stt import SpeechToText, SttOptions, load_speech_to_text, load_vocabulary
from carvoice.tts import TextToSpeech


def resolve_model(settings: Settings, role: Role, spec: str | None = None, progress: PullProgress | None = None
                  ) -> ResolvedModel:
    """The model `spec` names (by default the configured one of `role`): a catalog name, pulled into the store
    first if it is missing, a path, or a hub id."""
    spec = spec or configured_specs(settings)[role]
    return resolve(role, spec, open_store(settings), progress)


def resolve_models(settings: Settings, roles: list[Role], progress: PullProgress | None = None
                   ) -> dict[Role, ResolvedModel]:
    """The configured model of each role."""
    return {role: resolve_model(settings, role, progress=progress) for role in roles}


def load_understander(settings: Settings, path: Path, catalog: IntentCatalog | None = None, *,
                      reuse_prefix: bool = True) -> Understander:
    """The understanding stage as the assistant runs it: the settings' threads and NLU deadline, the prompt
    kept on disk. The naive baseline (`reuse_prefix=False`) evaluates the whole prompt every turn and is
    given all the time it takes, since it is measured, not run in a car."""
    options = SlmOptions(threads=settings.threads, reuse_prefix=reuse_prefix,
                         timeout_s=settings.nlu_timeout_s if reuse_prefix else None)
    return Understander.load(path, catalog or IntentPack.at(settings.intents_dir).catalog(), options,
                             PromptCache(settings.home / "prompt-cache"))


def configured_specs(settings: Settings) -> dict[Role, str]:
    return {Role.STT: settings.stt_model, Role.SLM: settings.slm_model, Role.TTS: settings.tts_voice}


def installed_specs(settings: Settings, role: Role) -> list[str]:
    """The configured model of `role` first, then every other installed catalog model of that role."""
    store = open_store(settings)
    installed = [m.name for m in store.catalog.for_role(role) if store.status(m).state is InstallState.INSTALLED]
    return list(dict.fromkeys([configured_specs(settings)[role], *installed]))


def load_assistant(settings: Settings, *, speech_in: bool, speech_out: bool = True,
                   progress: PullProgress | None = None, catalog: IntentCatalog | None = None) -> Assistant:
    """The configured models, pulled first if missing, loaded in parallel: always the understanding stage,
    speech-to-text with `speech_in`, the reply voice with `speech_out`. The intents are `catalog`, else those of
    the configured intent pack."""
    started = time.perf_counter()
    roles = [Role.SLM] + ([Role.STT] if speech_in else []) + ([Role.TTS] if speech_out else [])
    models = resolve_models(settings, roles, progress)
    loaders = _loaders(settings, catalog)
    with ThreadPoolExecutor(max_workers=len(roles)) as pool:
        futures = {role: pool.submit(_timed, loaders[role], models[role].path) for role in roles}
        loaded = {role: future.result() for role, future in futures.items()}
    stages = Stages(understander=loaded[Role.SLM][0], stt=_value(loaded, Role.STT), tts=_value(loaded, Role.TTS))
    infos = [LoadedModel(role.value, models[role].name, models[role].path, loaded[role][1]) for role in roles]
    return Assistant(stages, infos, time.perf_counter() - started)


def load_speech(settings: Settings) -> tuple[SpeechToText, TextToSpeech]:
    """The configured speech-to-text model and reply voice alone, loaded as the assistant loads them (for tools
    that need the product's ear and voice without its language model)."""
    models = resolve_models(settings, [Role.STT, Role.TTS])
    loaders = _loaders(settings)
    return loaders[Role.STT](models[Role.STT].path), loaders[Role.TTS](models[Role.TTS].path)


def _loaders(settings: Settings, catalog: IntentCatalog | None = None) -> dict[Role, Callable[[Path], Any]]:
    """How each role's model is loaded: the SLM with `catalog` (else the configured pack's intents), the
    recogniser with the pack's vocabulary and the settings' threads."""
    pack = IntentPack.at(settings.intents_dir)
    return {
        Role.SLM: lambda path: load_understander(settings, path, catalog or pack.catalog()),
        Role.STT: lambda path: load_speech_to_text(path, SttOptions(
            threads=settings.threads, vocabulary=load_vocabulary(pack.vocabulary_file),
            max_audio_s=settings.max_turn_s)),
        Role.TTS: lambda path: TextToSpeech(path),
    }


def _timed(load, path: Path):
    started = time.perf_counter()
    return load(path), time.perf_counter() - started


def _value(loaded: dict, role: Role):
    return loaded[role][0] if role in loaded else None
