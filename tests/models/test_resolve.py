"""A user's own model (a path), a catalog name, or a hub id that fails offline with the alternatives named."""

import shutil

import pytest

from carvoice.models import ModelNotAvailableError, Role, resolve
from carvoice.models.gguf_header import GgufError


def test_a_catalog_name_resolves_to_the_verified_files(model_store, whisper_tiny_path):
    resolved = resolve(Role.STT, "whisper-tiny.en", model_store)
    assert resolved.source == "catalog"
    assert resolved.path == whisper_tiny_path
    assert (resolved.path / "model.bin").is_file()


def test_a_catalog_name_for_another_role_is_refused(model_store):
    with pytest.raises(ModelNotAvailableError, match="'whisper-tiny.en' is a stt model, not a slm model"):
        resolve(Role.SLM, "whisper-tiny.en", model_store)


def test_own_gguf_file_is_used_as_it_is(model_store, default_slm_path, tmp_path):
    own = tmp_path / "my-model.gguf"
    own.symlink_to(default_slm_path)
    resolved = resolve(Role.SLM, str(own), model_store)
    assert (resolved.source, resolved.path, resolved.name) == ("path", own, "my-model.gguf")


def test_a_file_that_is_not_gguf_is_refused(model_store, tmp_path):
    fake = tmp_path / "weights.gguf"
    fake.write_bytes(b"PK\x03\x04 not a gguf")
    with pytest.raises(GgufError, match="not a GGUF model file"):
        resolve(Role.SLM, str(fake), model_store)


def test_own_whisper_folder_needs_the_ctranslate2_files(model_store, whisper_tiny_path, tmp_path):
    copy = tmp_path / "my-whisper"
    shutil.copytree(whisper_tiny_path, copy, ignore=shutil.ignore_patterns("model.bin", "verified.json"))
    with pytest.raises(ModelNotAvailableError, match="not a CTranslate2 whisper folder: model.bin missing"):
        resolve(Role.STT, str(copy), model_store)
    (copy / "model.bin").symlink_to(whisper_tiny_path / "model.bin")
    assert resolve(Role.STT, str(copy), model_store).path == copy


def test_own_moonshine_folder_is_a_speech_to_text_model_too(model_store, tmp_path):
    own = tmp_path / "my-moonshine"
    own.mkdir()
    for name in ("encoder_model.ort", "tokenizer.bin"):
        (own / name).write_bytes(b"")
    with pytest.raises(ModelNotAvailableError, match="not a Moonshine folder: decoder_model_merged.ort missing"):
        resolve(Role.STT, str(own), model_store)
    (own / "decoder_model_merged.ort").write_bytes(b"")
    assert resolve(Role.STT, str(own), model_store).path == own


def test_own_piper_voice_needs_its_json_config_beside_it(model_store, piper_voice_path, tmp_path):
    voice = tmp_path / "voice.onnx"
    voice.symlink_to(piper_voice_path)
    with pytest.raises(ModelNotAvailableError, match="voice.onnx.json must lie beside it"):
        resolve(Role.TTS, str(voice), model_store)
    (tmp_path / "voice.onnx.json").symlink_to(piper_voice_path.with_name(piper_voice_path.name + ".json"))
    assert resolve(Role.TTS, str(voice), model_store).path == voice


def test_a_missing_path_names_the_offline_models(model_store):
    with pytest.raises(ModelNotAvailableError, match="no such file or folder.*qwen2.5-coder-1.5b-instruct"):
        resolve(Role.SLM, "./missing/model.gguf", model_store)


@pytest.mark.parametrize(("role", "hub_id", "offline_choice"), [
    (Role.STT, "distil-small.en", "whisper-tiny.en"),
    (Role.SLM, "someone/some-repo/model-q4.gguf", "qwen2.5-coder-1.5b-instruct"),
    (Role.TTS, "someone/voices/en_GB-alba-medium.onnx", "piper-en_US-joe-medium"),
])
def test_a_hub_id_fails_offline_naming_the_alternatives(model_store, monkeypatch, role, hub_id, offline_choice):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelNotAvailableError, match=f"needs internet.*{offline_choice}"):
        resolve(role, hub_id, model_store)


@pytest.mark.parametrize(("role", "typo", "suggestion"), [
    (Role.SLM, "qwen-typo", "'qwen2.5-coder-0.5b-instruct'"),
    (Role.TTS, "joe", "'piper-en_US-joe-medium'"),
    (Role.STT, "whisper-tiny", "'whisper-tiny.en'"),
])
def test_a_mistyped_name_suggests_the_close_catalog_names_not_a_hub_id(model_store, role, typo, suggestion):
    with pytest.raises(ModelNotAvailableError, match=f"Did you mean {suggestion}") as raised:
        resolve(role, typo, model_store)
    assert "owner/repo" not in str(raised.value)
