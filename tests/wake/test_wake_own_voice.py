"""The assistant never wakes itself: a reply that says the wake word, heard back through the microphone while
(or just after) the speaker plays it, is ignored; the driver's wake word over the reply still wakes it
(barge-in by wake word)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from carvoice.audio.events import Woken
from carvoice.audio.mic import Microphone, StreamFormat
from carvoice.audio.noise import CabinCondition, cabin_noise, mix_at_snr
from carvoice.audio.own_voice import OwnVoice, best_correlation
from carvoice.audio.replay import replay_stream_factory
from carvoice.audio.segment import SAMPLE_RATE
from carvoice.audio.wake import WakeOptions, WakeWord
from carvoice.text.wer import normalise
from carvoice.tts import SpeechChunk

REPLY = "Okay Nabu, that is my name. The air conditioning is now on, at twenty two degrees."


def played_by_the_speaker(wake: WakeWord, samples: np.ndarray) -> None:
    """The reply handed to the speaker the way SpeakerOutput hands it (carvoice/assistant/reply_audio.py)."""
    def speaker(chunks: Iterator[SpeechChunk]) -> None:
        for _ in chunks:
            pass

    wake.speaks_on(speaker)(iter([SpeechChunk(samples, SAMPLE_RATE, REPLY, 0)]))


def heard_back(reply: np.ndarray, gain: float, delay_s: float, snr_db: float) -> np.ndarray:
    """The reply as the microphone hears it: quieter, a little later, in cabin noise."""
    audio = np.concatenate([np.zeros(round((0.5 + delay_s) * SAMPLE_RATE), np.float32), gain * reply,
                            np.zeros(SAMPLE_RATE, np.float32)])
    return mix_at_snr(audio, cabin_noise(len(audio) / SAMPLE_RATE, CabinCondition(), seed=7), snr_db)


def listen(wake: WakeWord, audio: np.ndarray):
    events: list = []
    microphone = Microphone(on_event=events.append, stream_factory=replay_stream_factory(audio),
                            stream_format=StreamFormat(SAMPLE_RATE, 1, None))
    return microphone.listen(wake=wake), [e for e in events if isinstance(e, Woken)]


@pytest.fixture
def reply(spoken) -> np.ndarray:
    return spoken(REPLY)


@pytest.mark.parametrize(("gain", "delay_s", "snr_db"), [(1.0, 0.0, 40), (0.4, 0.05, 20), (0.2, 0.1, 10)],
                         ids=["as-played", "quieter-later", "faint-in-noise"])
def test_the_reply_heard_back_never_wakes_it(okay_nabu_path: Path, reply, gain, delay_s, snr_db) -> None:
    microphone_audio = heard_back(reply, gain, delay_s, snr_db)
    unguarded = WakeWord(okay_nabu_path)
    assert listen(unguarded, microphone_audio)[1], "the reply says the wake word: without the guard it wakes"

    wake = WakeWord(okay_nabu_path)
    played_by_the_speaker(wake, reply)

    assert listen(wake, microphone_audio) == (None, [])


def test_the_drivers_wake_word_over_the_reply_still_wakes_it(okay_nabu_path: Path, reply, spoken, stt) -> None:
    wake = WakeWord(okay_nabu_path)
    played_by_the_speaker(wake, reply)
    # an echo-cancelling microphone leaves the reply some 20 dB below the driver (the detector misses a wake word
    # said over speech as loud as it: a limit of the model, not of the guard)
    microphone_audio = heard_back(reply, 0.1, 0.05, 30)
    driver = spoken("Okay Nabu.", 0.3, "Turn on the radio.")
    start = round(3.5 * SAMPLE_RATE)  # after the reply's own "Okay Nabu", while it is still talking
    microphone_audio[start:start + len(driver)] += driver

    utterance, woken = listen(wake, microphone_audio)

    assert len(woken) == 1  # the reply's wake word was ignored, the driver's was not
    assert utterance is not None and "radio" in normalise(stt.transcribe(utterance.audio).text)


def test_the_guard_can_be_turned_off(okay_nabu_path: Path, reply) -> None:
    wake = WakeWord(okay_nabu_path, WakeOptions(own_voice_match=None))
    played_by_the_speaker(wake, reply)

    assert listen(wake, heard_back(reply, 0.4, 0.05, 20))[1]


def test_a_reply_is_known_while_it_plays_and_for_the_hold_after_it() -> None:
    now = [100.0]
    own_voice = OwnVoice(hold_s=2.0, clock=lambda: now[0])
    tone = np.sin(np.linspace(0, 400, SAMPLE_RATE)).astype(np.float32)
    list(own_voice.tap(iter([SpeechChunk(tone, SAMPLE_RATE, "", 0)])))

    now[0] += 2.9  # played out at 101 s; known until 103 s
    assert own_voice.echo_of(0.3 * tone[4000:8000]) > 0.99
    now[0] += 0.2
    assert own_voice.echo_of(0.3 * tone[4000:8000]) == 0.0


def test_the_correlation_finds_the_reply_at_any_lag_and_at_its_edges() -> None:
    rng = np.random.default_rng(3)
    played = rng.standard_normal(8000).astype(np.float32)
    assert best_correlation(played[3000:4000], played) == pytest.approx(1.0)
    assert best_correlation(np.concatenate([np.zeros(500, np.float32), played[:500]]), played) == pytest.approx(1.0)
    assert best_correlation(rng.standard_normal(1000).astype(np.float32), played) < 0.2
