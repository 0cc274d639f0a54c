"""`carvoice run --wake-word`: a file is heard as the microphone would hear it, behind the wake word."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import soundfile

from carvoice.audio.segment import SAMPLE_RATE
from carvoice.cli import main


def test_run_with_a_wake_word_answers_the_command_after_it_and_nothing_without_it(
        spoken, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    woken, plain = tmp_path / "woken.wav", tmp_path / "plain.wav"
    soundfile.write(woken, spoken(0.5, "Okay Nabu, open the driver window.", 1.0), SAMPLE_RATE)
    soundfile.write(plain, spoken(0.5, "Open the driver window.", 1.0), SAMPLE_RATE)

    assert main(["run", "--wake-word", "okay_nabu", str(woken), str(plain), "--json"]) == 0

    turn, no_turn = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert "nabu" not in turn["transcript"].lower()
    assert [intent["name"] for intent in turn["intents"]] == ["set_window"]
    assert no_turn == {"file": str(plain), "wake_word": "Okay Nabu", "woken": False, "turn": None}


def test_run_says_when_a_file_has_the_wake_word_but_no_command(spoken, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture) -> None:
    only_wake = tmp_path / "only.wav"
    soundfile.write(only_wake, spoken(0.5, "Okay Nabu.", 1.0), SAMPLE_RATE)

    assert main(["run", "--wake-word", "okay_nabu", str(only_wake)]) == 0

    assert re.search(r"only.wav: woken \(score 0\.\d\d\) but no command followed: no turn", capsys.readouterr().err)
