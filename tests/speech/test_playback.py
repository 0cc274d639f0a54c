"""Playback through a (fake) speaker, barge-in, and the paths without any sound device.

There is no sound card here: the speaker is `FakeOutputStream` (conftest), which records what is written.
"""

from __future__ import annotations

import builtins

import numpy as np
import pytest

from carvoice.audio import devices
from carvoice.audio.devices import AudioDeviceError, DeviceInfo, find_device, load_sounddevice
from carvoice.audio.events import AudioLevel, ListeningState, StateChanged
from carvoice.audio.mic import Microphone
from carvoice.audio.playback import Player, PlaybackError
from carvoice.tts import SpeechChunk

MIC = DeviceInfo(3, "USB Microphone", "ALSA", 1, 0, 44100, is_default_input=True)
SPEAKER = DeviceInfo(5, "Cabin speakers", "ALSA", 0, 2, 48000, is_default_output=True)


def chunks(seconds: float, count: int, rate: int = 22050) -> list[SpeechChunk]:
    return [SpeechChunk(np.full(round(seconds * rate), 0.25, dtype=np.float32), rate, f"part {i}", i)
            for i in range(count)]


def test_playback_resamples_to_the_device_rate_and_plays_everything(fake_output) -> None:
    player = Player(stream_factory=fake_output, sample_rate=48000)

    result = player.play(chunks(0.5, 3))

    assert fake_output.samplerate == 48000 and fake_output.started and fake_output.closed
    assert len(fake_output.played) == pytest.approx(1.5 * 48000, abs=50)
    assert result.played_s == pytest.approx(1.5, abs=0.01) and not result.interrupted
    assert result.first_audio_at is not None


def test_speech_from_the_user_stops_playback(fake_output) -> None:
    """Barge-in: the microphone's listener reports speech; playback stops within a block."""
    player = Player(stream_factory=fake_output, sample_rate=48000)
    fake_output.on_write = lambda blocks: blocks == 4 and player.stop_on_speech(
        StateChanged(ListeningState.HEARING, at=0.0))

    result = player.play(chunks(1.0, 3))

    assert result.interrupted and len(fake_output.blocks) == 4
    assert result.played_s == pytest.approx(0.2, abs=0.01)


def test_other_microphone_events_do_not_stop_playback(fake_output) -> None:
    player = Player(stream_factory=fake_output, sample_rate=16000)
    fake_output.on_write = lambda blocks: [player.stop_on_speech(event) for event in (
        StateChanged(ListeningState.WAITING, 0.0), AudioLevel(-20.0, 0.2, 0.0))]

    assert not player.play(chunks(0.3, 2)).interrupted


def test_a_speaker_that_fails_to_open_is_a_clear_error() -> None:
    def broken(**kwargs):
        raise RuntimeError("Device unavailable")

    with pytest.raises(PlaybackError, match="cannot open the speaker.*Device unavailable"):
        Player(stream_factory=broken, sample_rate=48000).play(chunks(0.1, 1))


@pytest.fixture
def no_devices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "list_devices", lambda: [])


def test_without_devices_microphone_and_speaker_say_what_to_do_instead(no_devices) -> None:
    with pytest.raises(AudioDeviceError, match="no microphone found.*carvoice stt FILE"):
        Microphone()
    with pytest.raises(AudioDeviceError, match="no speaker found.*--out FILE.wav"):
        Player()


def test_without_portaudio_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def import_without_portaudio(name, *args, **kwargs):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, "sounddevice", raising=False)
    monkeypatch.setattr(builtins, "__import__", import_without_portaudio)

    with pytest.raises(AudioDeviceError, match="PortAudio.*libportaudio2"):
        load_sounddevice()


def test_devices_are_chosen_by_index_or_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "list_devices", lambda: [MIC, SPEAKER])

    assert find_device(None, "input") == MIC and find_device(None, "output") == SPEAKER
    assert find_device("5", "output") == SPEAKER and find_device("usb", "input") == MIC
    with pytest.raises(AudioDeviceError, match="'headset' matches no microphone.*3: USB Microphone"):
        find_device("headset", "input")
    with pytest.raises(AudioDeviceError, match="matches no speaker"):
        find_device(3, "output")  # a microphone is not a speaker
