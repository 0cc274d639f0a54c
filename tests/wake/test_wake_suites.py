"""Suites heard behind the wake word: the hands-free suite passes end to end, a step marked as having no wake word
must give no turn, and a badly placed `wake` is a line-numbered error before any model loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from carvoice.assistant.assistant import Assistant
from carvoice.assistant.wake_word import load_wake_word
from carvoice.errors import CarvoiceError
from carvoice.pipeline import Stages
from carvoice.suites import SuiteFileError, load_suite, run_suite

SUITES = Path(__file__).resolve().parents[2] / "audio_samples" / "suites"
HANDS_FREE = SUITES / "hands-free-wake-word.yaml"


@pytest.fixture
def assistant(understander, stt, tts) -> Assistant:
    return Assistant(Stages(understander=understander, stt=stt, tts=tts))


def test_the_hands_free_suite_passes_and_says_where_there_was_no_turn(assistant, settings) -> None:
    result = run_suite(load_suite(HANDS_FREE), assistant, wake=load_wake_word(settings, "okay_nabu"))

    failures = {s.index: [c.detail for c in s.checks if c.failed] for s in result.steps if s.status == "fail"}
    assert failures == {}
    woken = [step.check("wake").detail for step in result.steps]
    assert all(detail.startswith("woken (score 0.") for detail in woken[:3])
    assert woken[3] == "no 'Okay Nabu' heard: no turn" and result.steps[3].record.transcript is None


def test_a_step_without_the_wake_word_fails_when_it_wakes(tmp_path: Path, assistant, settings) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(f"name: wrong\nsettings: {{wake_word: okay_nabu}}\nsteps:\n"
                    f"  - {{audio: {SUITES / 'wav' / 'wake-freezing.wav'}, wake: false}}\n", encoding="utf-8")

    step = run_suite(load_suite(path), assistant, wake=load_wake_word(settings, "okay_nabu")).steps[0]

    assert step.status == "fail"
    assert step.check("wake").detail.endswith("a turn, though the step has no wake word")


@pytest.mark.parametrize(("suite", "problem"), [
    ("steps:\n  - {audio: clim-01, wake: true}\n",
     "3: steps[0].wake: `wake` needs the suite's settings.wake_word"),
    ("settings: {wake_word: okay_nabu}\nsteps:\n  - {text: turn on the AC, wake: true}\n",
     "4: steps[0]: `wake` only applies to `audio` steps"),
    ("settings: {wake_word: hey_jarvis}\nsteps:\n  - {audio: clim-01, wake: {pause_s: 1}}\n",
     "4: steps[0].wake: no audio file for the wake phrase 'wake-hey-jarvis'"),
    ("settings: {wake_word: okay_nabu}\nsteps:\n  - {audio: clim-01, wake: {pause_s: 9}}\n",
     "4: steps[0].wake.pause_s: Input should be less than or equal to 3.5"),
], ids=["no-wake-word", "text-step", "no-phrase-audio", "pause-too-long"])
def test_a_misplaced_wake_is_a_line_numbered_error(tmp_path: Path, suite: str, problem: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(f"name: bad\n{suite}", encoding="utf-8")

    with pytest.raises(SuiteFileError) as error:
        load_suite(path)
    assert f"{path}:{problem}" in str(error.value)


def test_a_wake_word_suite_needs_its_wake_word_loaded(understander) -> None:
    with pytest.raises(CarvoiceError, match="give the wake word loaded exactly when the suite has a wake_word"):
        run_suite(load_suite(HANDS_FREE), Assistant(Stages(understander=understander)))
