"""Settings precedence: defaults < TOML file < CARVOICE_* environment < command-line flags."""

import pytest

from carvoice.config import ConfigError, Settings, describe_sources, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in [n for n in __import__("os").environ if n.startswith("CARVOICE_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-user-config"))


def _write(tmp_path, text):
    path = tmp_path / "carvoice.toml"
    path.write_text(text)
    return path


def test_defaults_come_from_the_model_catalog():
    settings = load_settings()
    assert (settings.stt_model, settings.slm_model, settings.tts_voice) == (
        "whisper-tiny.en", "qwen2.5-coder-0.5b-carvoice", "piper-en_US-joe-medium")
    assert settings.temperature_unit == "celsius"


def test_each_layer_overrides_the_one_below(tmp_path, monkeypatch):
    config = _write(tmp_path, 'threads = 3\nslm_model = "gemma3-270m"\ndistance_unit = "mi"\n')
    monkeypatch.setenv("CARVOICE_THREADS", "5")
    monkeypatch.setenv("CARVOICE_SLM_MODEL", "smollm2-135m-instruct")
    settings = load_settings(config, {"slm_model": "/models/mine.gguf", "stt_model": None})
    assert settings.distance_unit == "mi"  # file over default
    assert settings.threads == 5  # environment over file
    assert settings.slm_model == "/models/mine.gguf"  # flag over environment
    assert settings.stt_model == "whisper-tiny.en"  # a flag left unset changes nothing
    assert describe_sources(config, {"slm_model": "/models/mine.gguf"}) == {
        "home": "default", "stt_model": "default", "slm_model": "command line", "tts_voice": "default",
        "wake_word": "default", "threads": "env CARVOICE_THREADS", "input_device": "default",
        "output_device": "default", "merge_adapters": "default", "wake_earcon": "default", "intents_dir": "default",
        "max_turn_s": "default", "nlu_timeout_s": "default",
        "temperature_unit": "default", "distance_unit": f"file {config}",
    }


def test_carvoice_toml_in_the_working_folder_is_found(tmp_path):
    _write(tmp_path, 'temperature_unit = "fahrenheit"\n')
    assert load_settings().temperature_unit == "fahrenheit"


def test_carvoice_config_variable_points_at_a_file(tmp_path, monkeypatch):
    other = tmp_path / "elsewhere.toml"
    other.write_text("threads = 7\n")
    monkeypatch.setenv("CARVOICE_CONFIG", str(other))
    assert load_settings().threads == 7


def test_carvoice_home_moves_the_model_store(tmp_path, monkeypatch):
    monkeypatch.setenv("CARVOICE_HOME", str(tmp_path / "store"))
    assert load_settings().home == tmp_path / "store"


def test_a_bad_value_in_the_file_names_file_line_and_key(tmp_path):
    config = _write(tmp_path, '# my settings\nstt_model = "whisper-base"\nthreads = "many"\n')
    with pytest.raises(ConfigError, match=r"carvoice.toml:3: threads: Input should be a valid integer"):
        load_settings(config)


def test_an_unknown_key_names_the_known_ones(tmp_path):
    config = _write(tmp_path, "\n\nthreadz = 2\n")
    with pytest.raises(ConfigError, match=r"carvoice.toml:3: unknown setting 'threadz'; known: home, stt_model"):
        load_settings(config)


def test_broken_toml_is_reported_with_its_position(tmp_path):
    config = _write(tmp_path, "threads = \n")
    with pytest.raises(ConfigError, match=r"not valid TOML: .*line 1"):
        load_settings(config)


def test_a_bad_environment_value_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("CARVOICE_TEMPERATURE_UNIT", "kelvin")
    with pytest.raises(ConfigError, match="temperature_unit"):
        load_settings()


def test_a_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the config file"):
        load_settings(tmp_path / "absent.toml")


def test_the_merge_adapters_setting_reaches_the_model_store(tmp_path):
    from carvoice.config import open_store

    assert not open_store(Settings(home=tmp_path)).merge_adapters
    assert open_store(Settings(home=tmp_path, merge_adapters=True)).merge_adapters
