"""The wake-word detector on its own: the real okay_nabu model on piper's voice."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from carvoice.audio.noise import cabin_noise, mix_at_snr
from carvoice.audio.segment import SAMPLE_RATE
from carvoice.audio.wake import STEP_S, WakeOptions, WakeWord, WakeWordError, read_wake_model
from carvoice.models import ModelNotAvailableError, ModelStore, Role, resolve

FRAME = 512


def feed_in_frames(wake: WakeWord, audio: np.ndarray) -> list:
    """Feed microphone-sized frames stamped with their end time in the audio; the detections."""
    found = []
    for start in range(0, len(audio) - FRAME + 1, FRAME):
        detection = wake.feed(audio[start : start + FRAME], captured_at=(start + FRAME) / SAMPLE_RATE)
        if detection is not None:
            found.append(detection)
    return found


def test_the_catalog_model_describes_itself(okay_nabu_path: Path) -> None:
    model = read_wake_model(okay_nabu_path)

    assert (model.name, model.phrase, model.cutoff, model.window) == ("okay_nabu", "Okay Nabu", 0.85, 5)
    assert WakeWord(okay_nabu_path).threshold == 0.85
    assert WakeWord(okay_nabu_path, WakeOptions(threshold=0.6)).threshold == 0.6


@pytest.mark.parametrize("phrase", ["Okay Nabu.", "Okay, Nabu!", "OK Nabu."])
def test_piper_saying_the_wake_word_wakes_it_once_just_after_the_phrase(okay_nabu_path: Path, spoken, phrase) -> None:
    audio = spoken(1.0, phrase, 1.5)

    detections = feed_in_frames(WakeWord(okay_nabu_path), audio)

    assert len(detections) == 1
    phrase_end = 1.0 + len(spoken(phrase)) / SAMPLE_RATE
    assert detections[0].score > 0.85
    assert phrase_end - 0.5 < detections[0].at < phrase_end + 0.3  # piper ends a phrase with ~0.2 s of silence


def test_each_wake_word_fires_once(okay_nabu_path: Path, spoken) -> None:
    wake = WakeWord(okay_nabu_path)

    detections = feed_in_frames(wake, spoken(0.5, "Okay Nabu.", 2.0, "Okay Nabu.", 1.0))

    assert len(detections) == 2
    assert detections[1].audio_s == pytest.approx(2.0 + len(spoken("Okay Nabu.")) / SAMPLE_RATE, abs=0.5)


@pytest.mark.parametrize("text", ["Turn on the air conditioning.", "Okay, navigate home.", "Nah, but okay."])
def test_other_speech_does_not_wake_it(okay_nabu_path: Path, spoken, text) -> None:
    assert feed_in_frames(WakeWord(okay_nabu_path), spoken(0.5, text, 0.5)) == []


def test_cabin_noise_alone_does_not_wake_it_and_the_wake_word_in_it_does(okay_nabu_path: Path, spoken) -> None:
    noise = cabin_noise(20.0, seed=3) * 0.3
    wake_word = spoken(1.0, "Okay Nabu.", 1.0)

    assert feed_in_frames(WakeWord(okay_nabu_path), noise) == []
    assert len(feed_in_frames(WakeWord(okay_nabu_path), mix_at_snr(wake_word, noise, 10.0))) == 1


def test_the_trace_scores_every_step_without_firing(okay_nabu_path: Path, spoken) -> None:
    audio = spoken(1.0, "Okay Nabu.", 1.0)

    trace = WakeWord(okay_nabu_path).trace(audio)

    assert len(trace) == pytest.approx(len(audio) / SAMPLE_RATE / STEP_S, abs=2)
    assert trace.max() > 0.85 and trace[:20].max() < 0.1


def test_a_model_of_ones_own_is_its_config_with_the_model_beside_it(okay_nabu_path: Path, tmp_path: Path,
                                                                      model_store: ModelStore) -> None:
    own = tmp_path / "mine.json"
    (tmp_path / "okay_nabu.tflite").write_bytes(okay_nabu_path.with_suffix(".tflite").read_bytes())
    own.write_text(okay_nabu_path.read_text())

    assert resolve(Role.WAKE, str(own), model_store).path == own
    assert read_wake_model(own).phrase == "Okay Nabu"
    with pytest.raises(ModelNotAvailableError, match="microWakeWord .json"):
        resolve(Role.WAKE, str(tmp_path / "okay_nabu.tflite"), model_store)
    with pytest.raises(ModelNotAvailableError, match="not a wake model of the catalog.*okay_nabu"):
        resolve(Role.WAKE, "okay_nabo", model_store)


@pytest.mark.parametrize(("content", "problem"), [
    ("{not json", "not a microWakeWord config"),
    (json.dumps({"model": "x.tflite", "wake_word": "Hi"}), "not a microWakeWord config.*micro"),
    (json.dumps({"model": "gone.tflite", "wake_word": "Hi",
                 "micro": {"probability_cutoff": 0.9, "sliding_window_size": 5}}), "gone.tflite is not beside it"),
])
def test_a_broken_config_is_a_one_line_error(tmp_path: Path, content: str, problem: str) -> None:
    config = tmp_path / "broken.json"
    config.write_text(content)

    with pytest.raises(WakeWordError, match=problem):
        WakeWord(config)


@pytest.mark.parametrize("bad", [{"threshold": 1.0}, {"threshold": 0.0}, {"lookback_s": -0.1},
                                 {"command_wait_s": 0}])
def test_impossible_wake_options_are_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        WakeOptions(**bad)


def test_the_catalog_threshold_is_used_unless_one_is_asked_for(settings) -> None:
    from carvoice.assistant.wake_word import load_wake_word

    assert load_wake_word(settings, "okay_nabu").threshold == 0.8  # chosen with `carvoice bench wake`
    assert load_wake_word(settings, "hey_jarvis").threshold == 0.97  # the model's own
    assert load_wake_word(settings, "okay_nabu", threshold=0.6).threshold == 0.6
    assert load_wake_word(settings.model_copy(update={"wake_word": None})) is None


def test_only_a_wake_word_model_takes_a_threshold() -> None:
    from carvoice.config import builtin_catalog
    from carvoice.models.catalog import Catalog

    data = builtin_catalog().model_dump(mode="json")
    next(m for m in data["models"] if m["name"] == "whisper-tiny.en")["threshold"] = 0.5
    with pytest.raises(ValueError, match="only a wake-word model takes a `threshold`"):
        Catalog.model_validate(data)


def test_the_earcon_setting_reaches_the_wake_stage(settings) -> None:
    from carvoice.assistant.wake_word import load_wake_word

    assert load_wake_word(settings, "okay_nabu").options.earcon
    assert not load_wake_word(settings.model_copy(update={"wake_earcon": False}), "okay_nabu").options.earcon
