"""Shared fixtures: the real default models from the model store, pulled once per machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from carvoice.config import Settings, load_settings, open_store
from carvoice.models import ModelStore, Role, resolve


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def model_store(settings: Settings) -> ModelStore:
    return open_store(settings)


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


@pytest.fixture(scope="session")
def understander(settings: Settings, default_slm_path: Path):
    """The default SLM, warm, with its evaluated prompt kept on disk between test runs."""
    from carvoice.nlu.catalog import load_intent_catalog
    from carvoice.nlu.prompt_cache import PromptCache
    from carvoice.nlu.slm import SlmOptions
    from carvoice.nlu.understand import Understander

    return Understander.load(default_slm_path, load_intent_catalog(), SlmOptions(threads=settings.threads),
                             PromptCache(settings.home / "prompt-cache"))


@pytest.fixture(scope="session")
def stt(whisper_tiny_path: Path):
    from carvoice.stt import SttOptions, load_speech_to_text

    return load_speech_to_text(whisper_tiny_path, SttOptions(threads=2))


@pytest.fixture(scope="session")
def tts(piper_voice_path: Path):
    from carvoice.tts import TextToSpeech

    return TextToSpeech(piper_voice_path)


@pytest.fixture
def pipeline(understander, stt, tts):
    """The real stages on a new car; replies synthesised (and timed) but not played."""
    from vehicle_sim import Vehicle

    from carvoice.assistant.reply_audio import SilentOutput
    from carvoice.pipeline import Pipeline, Stages

    return Pipeline(Stages(understander=understander, stt=stt, tts=tts), Vehicle(), reply_output=SilentOutput())


@pytest.fixture
def tiny_gguf(tmp_path):
    """Writes tiny GGUF models and LoRA adapters (a few KB, only attn_q per layer) with gguf-py's writer, for
    checks that never reach llama.cpp: `tiny_gguf("base.gguf", width=8)`, `tiny_gguf("a.gguf", adapter=True)`."""
    gguf = pytest.importorskip("gguf")
    import numpy as np

    def write(name: str, *, width: int = 8, layers: int = 2, adapter: bool = False, architecture: str = "llama",
              metadata: dict[str, str] | None = None) -> Path:
        path = tmp_path / name
        writer = gguf.GGUFWriter(str(path), architecture)
        if adapter:
            writer.add_type(gguf.GGUFType.ADAPTER)
            writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
        else:
            writer.add_block_count(layers)
            writer.add_embedding_length(width)
            writer.add_head_count(2)
            writer.add_head_count_kv(2)
            writer.add_tensor("token_embd.weight", np.zeros((16, width), np.float32))
        for key, value in (metadata or {}).items():
            writer.add_string(key, value)
        for layer in range(layers):
            weight = f"blk.{layer}.attn_q.weight"
            if adapter:
                writer.add_tensor(f"{weight}.lora_a", np.zeros((2, width), np.float32))
                writer.add_tensor(f"{weight}.lora_b", np.zeros((width, 2), np.float32))
            else:
                writer.add_tensor(weight, np.zeros((width, width), np.float32))
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        return path

    return write
