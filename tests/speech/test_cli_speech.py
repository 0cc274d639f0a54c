"""`carvoice stt`, `say`, `devices` and `bench` as a user runs them (no sound card here)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile

from carvoice.audio import devices
from carvoice.suites.loader import WAV_DIR
from carvoice.text.wer import normalise
from carvoice.cli import main


@pytest.fixture
def no_devices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "list_devices", lambda: [])


def test_stt_prints_one_json_object_per_file_and_names_unreadable_ones(whisper_tiny_path: Path, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture) -> None:
    broken = tmp_path / "broken.wav"
    broken.write_text("not audio")

    code = main(["stt", str(WAV_DIR / "clim-01.wav"), str(broken), "--json", "--stt", str(whisper_tiny_path)])

    first, second = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1
    assert normalise(first["text"]) == "set the temperature to twenty two degrees"
    assert first["file"].endswith("clim-01.wav") and first["timings"]["total_s"] > 0
    assert {"confidence", "language", "audio_duration_s", "speech_duration_s", "rejected"} <= first.keys()
    assert second["file"] == str(broken) and "cannot read audio file" in second["error"]


def test_say_writes_a_wav_that_says_the_text(piper_voice_path: Path, whisper_tiny_path: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "reply.wav"

    assert main(["say", "Turning on the defrost.", "--out", str(out), "--tts", str(piper_voice_path)]) == 0

    assert "first audio after" in capsys.readouterr().out
    assert soundfile.info(out).duration > 0.5
    main(["stt", str(out), "--json", "--stt", str(whisper_tiny_path)])
    assert normalise(json.loads(capsys.readouterr().out)["text"]) == "turning on the defrost"


def test_say_without_a_speaker_writes_a_new_reply_file_never_over_one(piper_voice_path: Path, tmp_path: Path,
                                                                      no_devices, monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reply.wav").write_bytes(b"an earlier reply")

    assert main(["say", "Okay.", "--tts", str(piper_voice_path)]) == 0

    captured = capsys.readouterr()
    assert "no speaker found" in captured.err and "writing reply-2.wav instead" in captured.err
    assert "wrote reply-2.wav" in captured.out
    assert (tmp_path / "reply.wav").read_bytes() == b"an earlier reply"
    assert soundfile.info(tmp_path / "reply-2.wav").duration > 0.2


def test_devices_says_clearly_that_there_are_none(no_devices, capsys: pytest.CaptureFixture) -> None:
    assert main(["devices"]) == 0
    assert "no audio devices" in capsys.readouterr().out


def test_talk_without_a_microphone_suggests_the_assistant_on_files(no_devices,
                                                                   capsys: pytest.CaptureFixture) -> None:
    assert main(["talk"]) == 1
    assert "no microphone found" in (err := capsys.readouterr().err) and "`carvoice run FILE.wav`" in err


def test_listen_without_a_microphone_is_a_clear_error(no_devices, capsys: pytest.CaptureFixture) -> None:
    assert main(["listen"]) == 1
    assert "no microphone found" in capsys.readouterr().err


def test_listen_replays_a_file_through_the_microphone_path(whisper_tiny_path: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture) -> None:
    recording = tmp_path / "cabin.wav"
    command, rate = soundfile.read(WAV_DIR / "clim-11.wav")
    soundfile.write(recording, np.concatenate([command, np.zeros(rate)]), rate)

    assert main(["listen", "--replay", str(recording), "--stt", str(whisper_tiny_path)]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and normalise(lines[0].split("  (")[0]) == "turn on the defrost"
    assert "after the end of speech" in lines[0]


def test_bench_stt_reports_wer_and_latency_per_noise_level(whisper_tiny_path: Path,
                                                           capsys: pytest.CaptureFixture) -> None:
    code = main(["bench", "stt", "--json", "--limit", "4", "--noise", "clean", "5db",
                 "--stt", str(whisper_tiny_path)])

    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0 and [r["noise"] for r in rows] == ["clean", "5db"]
    for row in rows:
        assert row["commands"] == 4 and 0 <= row["wer"] < 0.5
        assert 0 < row["p50_s"] <= row["p95_s"] and row["real_time_factor"] > 0  # no speed bound: see bench


def test_bench_stt_compares_models_of_both_backends_in_one_run(whisper_tiny_path: Path, moonshine_tiny_path: Path,
                                                               capsys: pytest.CaptureFixture) -> None:
    code = main(["bench", "stt", "--json", "--limit", "2", "--noise", "clean", "--ablations",
                 "--models", str(whisper_tiny_path), str(moonshine_tiny_path)])

    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    assert [(r["model"], r["variant"]) for r in rows if r["model"] == str(moonshine_tiny_path)] == [
        (str(moonshine_tiny_path), variant) for variant in ("default", "no-vocabulary", "no-vad-trim")]
    assert {r["variant"] for r in rows if r["model"] == str(whisper_tiny_path)} >= {"12s-window", "beam-1"}
    assert all(0 <= r["wer"] < 0.5 and r["p50_s"] > 0 for r in rows)


def test_bench_refuses_counts_below_one(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main(["bench", "stt", "--repeat", "0"])
    assert "--repeat: must be at least 1" in capsys.readouterr().err


def test_bench_tts_reports_first_audio(piper_voice_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["bench", "tts", "--limit", "3", "--tts", str(piper_voice_path)]) == 0

    table = capsys.readouterr().out
    assert "first audio p50" in table and "streamed" in table and "whole-sentences" in table
