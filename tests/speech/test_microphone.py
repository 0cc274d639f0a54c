"""Microphone capture and VAD endpointing.

There is no sound card on the machines these tests run on: the microphone is fed by
`carvoice.audio.replay`, which plays WAV audio into the same callback PortAudio would call, from its own
thread, at a device's native rate and channel count.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from carvoice.audio.endpoint import FRAME_SAMPLES, EndpointOptions, Endpointer, EndReason
from carvoice.audio.events import AudioLevel, ListeningState, StateChanged
from carvoice.audio.mic import Microphone, MicrophoneError, StreamFormat
from carvoice.audio.replay import replay_stream_factory
from carvoice.audio.resample import resample
from carvoice.audio.segment import SAMPLE_RATE, AudioSegment
from carvoice.text.wer import normalise

FRAME_S = FRAME_SAMPLES / SAMPLE_RATE
SPEECH_TAIL_S = 0.3  # the sample files end with 0.3 s of silence after the speech


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)


def feed_frames(endpointer: Endpointer, audio: np.ndarray) -> list:
    """Feed whole frames, stamped with their time in the audio; returns the utterances found."""
    found = []
    for index in range(len(audio) // FRAME_SAMPLES):
        frame = audio[index * FRAME_SAMPLES : (index + 1) * FRAME_SAMPLES]
        utterance = endpointer.feed(frame, captured_at=(index + 1) * FRAME_S)
        if utterance is not None:
            found.append(utterance)
    return found


def as_device_audio(audio: np.ndarray, rate: int = 48000, channels: int = 2) -> np.ndarray:
    return np.repeat(resample(audio, SAMPLE_RATE, rate).reshape(-1, 1), channels, axis=1)


def replay_microphone(audio: np.ndarray, **kwargs) -> Microphone:
    """A microphone whose 'device' is a 48 kHz stereo stream playing `audio` (16 kHz mono)."""
    return Microphone(stream_factory=replay_stream_factory(as_device_audio(audio)),
                      stream_format=StreamFormat(48000, 2, None), **kwargs)


def test_each_command_is_endpointed_when_the_speaker_stops(command_audio: AudioSegment) -> None:
    command = command_audio.samples
    audio = np.concatenate([silence(1.0), command, silence(1.0), command, silence(1.0)])
    endpointer = Endpointer(EndpointOptions(end_silence_s=0.5))

    utterances = feed_frames(endpointer, audio)

    assert [u.reason for u in utterances] == [EndReason.SILENCE, EndReason.SILENCE]
    first_end = 1.0 + command_audio.duration_s - SPEECH_TAIL_S
    second_end = first_end + command_audio.duration_s + 1.0
    assert utterances[0].audio.speech_ended_at == pytest.approx(first_end, abs=0.1)
    assert utterances[1].audio.speech_ended_at == pytest.approx(second_end, abs=0.1)
    for utterance in utterances:  # pre-roll, the speech, then the silence that ended it
        assert utterance.audio.duration_s == pytest.approx(command_audio.duration_s - 0.2 + 0.5, abs=0.25)


def test_endless_speech_is_cut_at_the_maximum_length(command_audio: AudioSegment) -> None:
    babble = np.tile(command_audio.samples[3200:-4800], 5)  # speech without pauses
    endpointer = Endpointer(EndpointOptions(max_utterance_s=3.0))

    first = feed_frames(endpointer, babble)[0]

    assert first.reason is EndReason.MAX_LENGTH
    assert first.audio.duration_s == pytest.approx(3.0, abs=FRAME_S)


def test_listening_hands_free_through_a_48k_stereo_device(command_audio: AudioSegment, stt) -> None:
    events = []
    microphone = replay_microphone(np.concatenate([silence(0.8), command_audio.samples, silence(1.5)]),
                                   on_event=events.append)

    utterance = microphone.listen(timeout_s=5.0)

    assert utterance is not None and utterance.reason is EndReason.SILENCE
    assert normalise(stt.transcribe(utterance.audio).text) == "set the temperature to twenty two degrees"
    states = [e for e in events if isinstance(e, StateChanged)]
    assert [s.state for s in states] == [ListeningState.WAITING, ListeningState.HEARING, ListeningState.ENDED,
                                         ListeningState.IDLE]
    assert states[2].at == utterance.audio.speech_ended_at
    assert states[1].at < utterance.audio.speech_ended_at < states[3].at
    levels = [e for e in events if isinstance(e, AudioLevel)]
    assert max(lv.rms_dbfs for lv in levels) > -30 and min(lv.rms_dbfs for lv in levels) == -90.0
    assert max(lv.speech_probability for lv in levels) > 0.9


@pytest.mark.parametrize("timeout_s", [1.0, None], ids=["timeout", "stream-ends"])
def test_silence_gives_nothing(timeout_s: float | None) -> None:
    microphone = replay_microphone(silence(4.0))

    assert microphone.listen(timeout_s=timeout_s) is None


def test_a_stream_that_ends_in_mid_command_hands_over_what_was_said(command_audio: AudioSegment) -> None:
    microphone = replay_microphone(np.concatenate([silence(0.5), command_audio.samples[:-8000]]))

    utterance = microphone.listen()

    assert utterance is not None and utterance.audio.duration_s > 1.5


def test_push_to_talk_records_until_release(command_audio: AudioSegment) -> None:
    released = threading.Event()
    frames_heard = []

    def release_after_two_seconds(event) -> None:
        if isinstance(event, AudioLevel):
            frames_heard.append(event)
            if len(frames_heard) * FRAME_S >= 2.0:
                released.set()

    audio = np.concatenate([silence(0.3), command_audio.samples, silence(3.0)])
    microphone = replay_microphone(audio, on_event=release_after_two_seconds)

    utterance = microphone.push_to_talk(released)

    assert utterance is not None and utterance.reason is EndReason.RELEASED
    assert 2.0 <= utterance.audio.duration_s < 2.5  # not cut by VAD: it starts with the leading silence
    assert np.abs(utterance.audio.samples[: int(0.2 * SAMPLE_RATE)]).max() < 1e-3


def test_a_device_that_fails_to_open_is_a_clear_error() -> None:
    def broken_device(**kwargs):
        raise RuntimeError("Invalid sample rate")

    microphone = Microphone(stream_factory=broken_device, stream_format=StreamFormat(44100, 1, None))

    with pytest.raises(MicrophoneError, match="cannot open the microphone.*Invalid sample rate"):
        microphone.listen()


@pytest.mark.parametrize("bad", [{"speech_threshold": 0.3, "silence_threshold": 0.5}, {"end_silence_s": 0}])
def test_impossible_endpoint_options_are_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        EndpointOptions(**bad)

