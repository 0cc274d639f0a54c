"""The earcon: when the command does not follow the wake word in the same breath, a short generated chime plays
where replies are heard (once, and not when it is turned off); the speaker's audio, earcon included, is known
to the wake word."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from carvoice.assistant.reply_audio import SpeakerOutput
from carvoice.audio.earcon import earcon
from carvoice.audio.mic import Microphone, StreamFormat
from carvoice.audio.playback import Player
from carvoice.audio.replay import replay_stream_factory
from carvoice.audio.segment import SAMPLE_RATE
from carvoice.audio.wake import WakeOptions, WakeWord
from carvoice.text.wer import normalise
from carvoice.tts import SpeechChunk


class RecordingStream:
    """A speaker that keeps what it is given."""

    def __init__(self) -> None:
        self.blocks: list[np.ndarray] = []

    def __call__(self, *, samplerate: int, channels: int, device: int | None) -> RecordingStream:
        return self

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def close(self) -> None: ...

    def write(self, samples: np.ndarray) -> None:
        self.blocks.append(samples.reshape(-1).copy())


def replay(audio: np.ndarray) -> Microphone:
    return Microphone(stream_factory=replay_stream_factory(audio), stream_format=StreamFormat(SAMPLE_RATE, 1, None))


def listen(wake: WakeWord, audio: np.ndarray):
    return replay(audio).listen(wake=wake)


def with_speaker(okay_nabu_path: Path, options: WakeOptions = WakeOptions()) -> tuple[WakeWord, RecordingStream]:
    wake, stream = WakeWord(okay_nabu_path, options), RecordingStream()
    SpeakerOutput(Player(stream_factory=stream, sample_rate=SAMPLE_RATE)).heard_by(wake)
    return wake, stream


def test_the_earcon_plays_once_when_the_command_comes_after_a_pause(okay_nabu_path: Path, spoken, stt) -> None:
    wake, speaker = with_speaker(okay_nabu_path)

    utterance = listen(wake, spoken(0.5, "Okay Nabu.", 1.2, "Turn on the air conditioning.", 1.5))

    assert np.array_equal(np.concatenate(speaker.blocks), earcon().samples)
    assert utterance is not None and normalise(stt.transcribe(utterance.audio).text) == "turn on the air conditioning"


@pytest.mark.parametrize(("options", "said"), [(WakeOptions(), ("Okay Nabu, turn on the air conditioning.",)),
                                               (WakeOptions(earcon=False), ("Okay Nabu.", 1.2, "Open the window."))],
                         ids=["one-breath", "turned-off"])
def test_no_earcon_when_the_command_follows_at_once_or_it_is_off(okay_nabu_path: Path, spoken, options, said) -> None:
    wake, speaker = with_speaker(okay_nabu_path, options)

    assert listen(wake, spoken(0.5, *said, 1.5)) is not None
    assert speaker.blocks == []


def test_the_earcon_is_a_short_quiet_chime_that_is_no_speech_and_known_as_its_own_voice(okay_nabu_path: Path) -> None:
    chime = earcon()
    assert chime.sample_rate == SAMPLE_RATE and 0.1 < chime.duration_s < 0.25 and np.abs(chime.samples).max() <= 0.25
    heard = np.concatenate([np.zeros(SAMPLE_RATE, np.float32), chime.samples, np.zeros(SAMPLE_RATE, np.float32)])
    assert replay(heard).listen() is None  # heard back, it does not start a command

    wake, _ = with_speaker(okay_nabu_path)
    wake.earcon_output(chime)
    assert wake.own_voice.echo_of(0.5 * chime.samples) > 0.99


def test_a_reply_the_speaker_plays_is_known_to_the_wake_word(okay_nabu_path: Path, spoken) -> None:
    wake, speaker = with_speaker(okay_nabu_path)
    reply = spoken("The air conditioning is on.")
    output = SpeakerOutput(Player(stream_factory=speaker, sample_rate=SAMPLE_RATE))
    output.heard_by(wake)

    output.play(iter([SpeechChunk(reply, SAMPLE_RATE, "The air conditioning is on.", 0)]), turn_id=1)

    assert len(np.concatenate(speaker.blocks)) >= len(reply)
    assert wake.own_voice.echo_of(0.3 * reply[8000:24000]) > 0.99
