"""The microphone behind the wake word, fed by a replayed stream (there is no sound card here): the command
after the wake word is the utterance, in the same breath or after a pause; speech without it is nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from carvoice.audio.events import ListeningState, StateChanged, WakeScore, Woken
from carvoice.audio.mic import Microphone, StreamFormat
from carvoice.audio.replay import replay_stream_factory
from carvoice.audio.segment import SAMPLE_RATE
from carvoice.audio.wake import WakeOptions, WakeWord
from carvoice.text.wer import normalise


def replay(audio: np.ndarray, events: list | None = None) -> Microphone:
    return Microphone(on_event=(events.append if events is not None else lambda event: None),
                      stream_factory=replay_stream_factory(audio), stream_format=StreamFormat(SAMPLE_RATE, 1, None))


@pytest.fixture
def wake(okay_nabu_path: Path) -> WakeWord:
    return WakeWord(okay_nabu_path)


@pytest.mark.parametrize("said", [("Okay Nabu, turn on the air conditioning.",),
                                  ("Okay Nabu turn on the air conditioning.",),
                                  ("Okay Nabu.", 1.2, "Turn on the air conditioning.")],
                         ids=["one-breath", "no-pause-at-all", "after-a-pause"])
def test_the_command_after_the_wake_word_is_heard_without_it(wake: WakeWord, spoken, stt, said) -> None:
    events: list = []
    microphone = replay(spoken(1.0, *said, 1.5), events)

    utterance = microphone.listen(wake=wake)

    assert utterance is not None
    assert normalise(stt.transcribe(utterance.audio).text) == "turn on the air conditioning"
    states = [e.state for e in events if isinstance(e, StateChanged)]
    assert states == [ListeningState.ASLEEP, ListeningState.WAITING, ListeningState.HEARING, ListeningState.ENDED,
                      ListeningState.IDLE]
    assert [e.phrase for e in events if isinstance(e, Woken)] == ["Okay Nabu"]
    assert any(isinstance(e, WakeScore) and e.score < 0.1 and e.rms_dbfs == -90.0 for e in events)


def test_speech_without_the_wake_word_gives_no_utterance(wake: WakeWord, spoken) -> None:
    events: list = []
    microphone = replay(spoken(0.5, "Turn on the air conditioning.", 1.0, "Open the window.", 1.0), events)

    assert microphone.listen(wake=wake) is None
    assert ListeningState.HEARING not in [e.state for e in events if isinstance(e, StateChanged)]
    assert not any(isinstance(e, Woken) for e in events)


def test_without_a_command_soon_after_it_the_wake_word_is_needed_again(okay_nabu_path: Path, spoken, stt) -> None:
    wake = WakeWord(okay_nabu_path, WakeOptions(command_wait_s=1.0))
    events: list = []
    late_command = spoken(0.5, "Okay Nabu.", 2.5, "Open the window.", 1.0)
    microphone = replay(np.concatenate([late_command, spoken("Okay Nabu.", 0.3, "Turn on the air conditioning.", 1.5)]),
                        events)

    utterance = microphone.listen(wake=wake)

    assert utterance is not None
    assert normalise(stt.transcribe(utterance.audio).text) == "turn on the air conditioning"
    assert len([e for e in events if isinstance(e, Woken)]) == 2
    assert [e.state for e in events if isinstance(e, StateChanged)][:3] == [
        ListeningState.ASLEEP, ListeningState.WAITING, ListeningState.ASLEEP]


def test_the_timeout_is_the_wait_for_the_wake_word(wake: WakeWord, spoken) -> None:
    microphone = replay(spoken(0.5, "Turn on the air conditioning.", 3.0))

    assert microphone.listen(timeout_s=1.0, wake=wake) is None


def test_the_dashboard_meter_shows_the_wake_score_and_the_wake(wake: WakeWord, spoken) -> None:
    from carvoice.dashboard.status import MIC_STATES, AssistantState, MicMeter

    meter, events = MicMeter(), []
    meter.problem = None
    replay(spoken(0.5, "Okay Nabu.", 0.3, "Open the window.", 1.0), events).listen(wake=wake)
    shown = []
    for event in events:
        meter.show(event)
        shown.append(meter.wake)

    assert shown[0] is None and shown[1] == "wake 0.00"  # the opened stream, then the first frame's score
    assert meter.wake.startswith("woken 0.") and meter.wake in meter.render().plain
    assert MIC_STATES[ListeningState.ASLEEP] is AssistantState.LISTENING
