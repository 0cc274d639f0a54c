"""`carvoice bench wake`: the threshold curve from synthesised wake phrases and audio without them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from carvoice.bench.wake import count_wakes, music_like, spellings
from carvoice.cli import main


def test_a_false_wake_counts_once_per_refractory_time() -> None:
    trace = np.zeros(400, dtype=np.float32)
    trace[[10, 11, 12, 40, 200]] = 0.9  # steps of 30 ms: 10-12 and 40 are within 2 s, 200 is 5.7 s later

    assert count_wakes(trace, 0.5, refractory_s=2.0) == 2
    assert count_wakes(trace, 0.5, refractory_s=0.5) == 3
    assert count_wakes(trace, 0.95, refractory_s=2.0) == 0


def test_the_phrase_is_spelled_several_ways_and_the_music_is_seeded() -> None:
    assert spellings("Okay Nabu") == ["Okay Nabu.", "Okay Nabu!", "Okay Nabu?", "Okay, Nabu!"]
    assert spellings("Alexa") == ["Alexa.", "Alexa!", "Alexa?"]
    assert np.array_equal(music_like(0.1, seed=1), music_like(0.1, seed=1))


def test_bench_wake_prints_the_curve_false_accepts_delay_and_cpu(capsys: pytest.CaptureFixture) -> None:
    assert main(["bench", "wake", "--quick", "--json", "--wake-word", "okay_nabu"]) == 0

    report = json.loads(capsys.readouterr().out)
    curve = report["curve"]
    assert [row["threshold"] for row in curve] == sorted(row["threshold"] for row in curve)
    rejects = [row["false_rejects_clean"] + row["false_rejects_10db"] + row["false_rejects_5db"] for row in curve]
    assert rejects == sorted(rejects)  # a higher threshold never wakes more often
    assert report["phrases"] == 36 and report["negative_hours"] > 0.2
    assert {row["source"] for row in report["sources"]} == {
        "commands clean", "commands 10db", "commands 5db", "talk", "replies", "music"}
    at_default = next(row for row in curve if row["threshold"] == report["threshold"])
    assert at_default["false_rejects_clean"] <= 0.05 and at_default["false_accepts"] == 0
    assert 0.0 < at_default["delay_p50_s"] < 0.5
    assert 0.0 < report["cpu_share"] < 0.05
