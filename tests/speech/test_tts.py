"""Text-to-speech with the real piper voice: sentence-streamed synthesis, timings, WAV output."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from carvoice.audio.decode import load_audio
from carvoice.audio.playback import PlaybackError, write_wav
from carvoice.text.wer import normalise
from carvoice.tts import TextToSpeech, TtsError, split_for_streaming

REPLY = "Setting the driver side to twenty two degrees, and the fan to level three. Anything else?"


@pytest.mark.parametrize(("text", "pieces"), [
    ("Okay.", ["Okay."]),
    ("Done. Anything else?", ["Done.", "Anything else?"]),
    (REPLY, ["Setting the driver side to twenty two degrees,", "and the fan to level three.", "Anything else?"]),
    ("Turning on the defrost for the windshield and rear window now.",
     ["Turning on the defrost for the windshield and rear window now."]),
    ("  ", []),
])
def test_replies_are_cut_into_sentences_and_a_long_first_sentence_at_its_first_clause(text: str,
                                                                                     pieces: list[str]) -> None:
    assert split_for_streaming(text, first_chunk_words=6) == pieces


def test_the_reply_streams_piece_by_piece_and_the_first_audio_comes_early(tts: TextToSpeech) -> None:
    stream = tts.stream(REPLY)
    arrivals = []

    chunks = [chunk for chunk in stream if not arrivals.append(stream.timings.total_s)]

    assert [c.text for c in chunks] == split_for_streaming(REPLY, tts.first_chunk_words)
    assert [c.index for c in chunks] == [0, 1, 2]
    assert all(c.sample_rate == tts.sample_rate == 22050 and c.samples.dtype == np.float32 for c in chunks)
    timings = stream.timings
    assert timings.first_audio_s == arrivals[0] < arrivals[-1] == timings.total_s
    assert timings.audio_s == pytest.approx(sum(c.duration_s for c in chunks))
    assert 0 < timings.real_time_factor < 1


def test_the_whole_reply_can_be_had_at_once(tts: TextToSpeech) -> None:
    samples, timings = tts.synthesize("Okay. Done.")

    assert len(samples) / tts.sample_rate == pytest.approx(timings.audio_s)
    assert np.abs(samples).max() > 0.1


def test_a_written_reply_is_understood_by_speech_to_text(tts: TextToSpeech, stt, tmp_path: Path) -> None:
    result = write_wav(tts.stream("Navigating to Baker Street."), tmp_path / "reply.wav")

    info = soundfile.info(result.path)
    assert (info.samplerate, info.channels, info.subtype) == (22050, 1, "PCM_16")
    assert result.duration_s == pytest.approx(info.duration)
    assert normalise(stt.transcribe(load_audio(result.path)).text) == "navigating to baker street"


def test_nothing_to_say_is_an_error(tts: TextToSpeech) -> None:
    with pytest.raises(TtsError, match="nothing to say"):
        tts.stream(" \n ")


def test_a_reply_the_voice_makes_no_sound_of_is_an_error(tts: TextToSpeech) -> None:
    with pytest.raises(TtsError, match="nothing to say"):
        tts.synthesize("...")
    samples, _ = tts.synthesize("Okay.\x00 Done.")  # a control character is said as a space
    assert len(samples) > 0


def test_an_empty_stream_writes_no_file(tmp_path: Path) -> None:
    with pytest.raises(PlaybackError, match="nothing was synthesised"):
        write_wav(iter([]), tmp_path / "reply.wav")
    assert not (tmp_path / "reply.wav").exists()


def test_a_missing_or_damaged_voice_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TtsError, match="config beside it"):
        TextToSpeech(tmp_path / "nobody.onnx")
    damaged = tmp_path / "voice.onnx"
    damaged.write_bytes(b"not onnx")
    (tmp_path / "voice.onnx.json").write_text("{}")
    with pytest.raises(TtsError, match="cannot load the piper voice"):
        TextToSpeech(damaged)


def test_a_piece_said_before_is_not_synthesised_again(tts: TextToSpeech, monkeypatch) -> None:
    first = tts.synthesize("Done. Anything else?")[0]
    voiced = []
    synthesize = tts._voice.synthesize
    monkeypatch.setattr(tts._voice, "synthesize", lambda text: voiced.append(text) or synthesize(text))

    again, timings = tts.synthesize("Done. Anything else?")
    assert voiced == [] and np.array_equal(again, first) and timings.first_audio_s < 0.01
    tts.synthesize("Done. Parking brake on.")
    assert voiced == ["Parking brake on."]  # only the new piece


def test_only_the_most_recent_pieces_are_kept(tts: TextToSpeech, monkeypatch) -> None:
    monkeypatch.setattr(tts, "cached_pieces", 2)
    voiced = []
    synthesize = tts._voice.synthesize
    monkeypatch.setattr(tts._voice, "synthesize", lambda text: voiced.append(text) or synthesize(text))
    for text in ("One.", "Two.", "Three.", "Three.", "One."):
        tts.synthesize(text)
    assert voiced == ["One.", "Two.", "Three.", "One."]  # "One." had been pushed out by "Three."


def test_a_seeded_voice_loaded_again_says_the_same_texts_the_same_way(tts: TextToSpeech) -> None:
    voices = [TextToSpeech(tts.voice_path, cached_pieces=0, seed=3) for _ in range(2)]
    texts = ["Open the sunroof.", "Open the sunroof."]

    said = [[voice.synthesize(text)[0] for text in texts] for voice in voices]

    assert not np.array_equal(said[0][0], said[0][1])  # piper draws noise: one voice never says it twice alike
    assert all(np.array_equal(a, b) for a, b in zip(said[0], said[1]))
