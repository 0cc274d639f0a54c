"""The `carvoice` command as a user runs it: a real subprocess, clear errors, no tracebacks."""

import json
import subprocess
import sys

import pytest

from carvoice.models import Role, resolve


def carvoice(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "carvoice", *args], capture_output=True, text=True,
                          timeout=120, env=env, check=False)


def test_help_lists_the_commands():
    result = carvoice("--help")
    assert result.returncode == 0
    assert "models" in result.stdout and "config" in result.stdout


def test_models_list_shows_installed_defaults(whisper_tiny_path, piper_voice_path, default_slm_path, model_store):
    resolve(Role.WAKE, "okay_nabu", model_store)
    result = carvoice("models", "list", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in map(json.loads, result.stdout.splitlines())}
    defaults = {name: row for name, row in rows.items() if row["default"]}
    assert {row["role"] for row in defaults.values()} == {"stt", "slm", "tts", "wake"}
    assert all(row["state"] == "installed" for row in defaults.values())
    assert rows["whisper-tiny.en"]["path"] == str(whisper_tiny_path)
    assert rows["qwen2.5-coder-0.5b-carvoice"]["adapter_on"] == "qwen2.5-coder-0.5b-instruct"
    assert rows["whisper-tiny.en"]["adapter_on"] is None
    assert "LoRA adapter on" in carvoice("models", "list").stdout


def test_models_path_prints_the_entry(piper_voice_path):
    result = carvoice("models", "path", "piper-en_US-joe-medium")
    assert (result.returncode, result.stdout.strip()) == (0, str(piper_voice_path))


@pytest.mark.parametrize(("args", "message"), [
    (("models", "pull", "no-such-model"), "unknown model no-such-model. The catalog has: whisper-tiny.en"),
    (("models", "path", "qwen-typo"), "unknown model qwen-typo. Did you mean 'qwen2.5-coder-0.5b-instruct'"),
    (("models", "remove", "joe"), "Did you mean 'piper-en_US-joe-medium'?"),
    (("text", "--slm", "qwen-typo", "turn on the A/C"), "Did you mean 'qwen2.5-coder-0.5b-instruct'"),
    (("say", "hello", "--tts", "joe"), "Did you mean 'piper-en_US-joe-medium'?"),
    (("stt", "README.md", "--stt", "tiny-en"), "Did you mean 'whisper-tiny.en' or 'moonshine-tiny-en'?"),
    (("run", "nothere.wav", "--stt", "/no/such/whisper"), "no such file: nothere.wav"),  # before any model
    (("stt", "nothere.wav", "--stt", "/no/such/whisper"), "no such file: nothere.wav"),
    (("listen", "--replay", "nothere.wav", "--stt", "/no/such/whisper"), "no such file: nothere.wav"),
    (("run", "audio_samples/wav/clim-01.wav", "--wake-word", "okay_nabo"), "Did you mean 'okay_nabu'?"),
    (("text", "hi", "--no-speech", "--out", "reply.wav"), "it cannot go with --no-speech"),
    (("models", "pull"), "name the models to pull, or use --defaults or --all"),
    (("config", "--threads", "0"), "threads: Input should be greater than or equal to 1"),
    (("config", "--config", "/nonexistent/carvoice.toml"), "cannot read the config file"),
])
def test_errors_are_one_clear_line_not_a_traceback(args, message):
    result = carvoice(*args)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_config_json_reflects_flags():
    result = carvoice("config", "--json", "--slm", "gemma3-270m", "--temperature-unit", "fahrenheit")
    settings = json.loads(result.stdout)
    assert (settings["slm_model"], settings["temperature_unit"]) == ("gemma3-270m", "fahrenheit")


def test_a_turn_lists_a_few_plain_changes_and_counts_the_rest():
    from vehicle_sim import Change

    from carvoice.cli.output import _describe_changes

    changes = [Change(path="media.volume", before=12, after=14), Change(path="media.sources.usb.order",
                                                                     before=[0, 1], after=[1, 0])]
    changes += [Change(path=f"climate.seats.driver.heat{i}", before=0, after=2) for i in range(5)]
    line = _describe_changes(changes)
    assert line.startswith("media.volume 12 → 14, climate.seats.driver.heat0 0 → 2")
    assert "[0, 1]" not in line and line.endswith("(+3 more)")


def test_independent_lines_share_no_context_and_no_speech_loads_no_voice():
    lines = "set the passenger side to 20\nmake it two degrees warmer\n"
    together = subprocess.run([sys.executable, "-m", "carvoice", "text", "-", "--json", "--no-speech"], input=lines,
                              capture_output=True, text=True, timeout=300, check=True)
    apart = subprocess.run([sys.executable, "-m", "carvoice", "text", "-", "--json", "--no-speech", "--independent"],
                           input=lines, capture_output=True, text=True, timeout=300, check=True)
    follow_up, fresh = (json.loads(run.stdout.splitlines()[-1]) for run in (together, apart))
    assert follow_up["intents"][0]["slots"].get("zone") == "passenger"  # the place of the line before
    assert fresh["turn"] == 1 and fresh["intents"][0]["slots"].get("zone") != "passenger"
    assert "tts" not in apart.stderr and "piper" not in apart.stderr  # "models ready in ... (slm ...)"
