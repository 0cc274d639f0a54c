"""`carvoice bench all` on a tiny slice with the real small models, and its exit code on a broken measurement."""

import json
import math
from dataclasses import replace

import pytest

from carvoice.bench.report import run as run_module
from carvoice.bench.report.compare import load_report
from carvoice.bench.report.run import ReportOptions, run_report
from carvoice.bench.report.schema import E2E_STAGES
from carvoice.bench.report.writer import write_report
from carvoice.bench.wake import WakeBenchOptions
from carvoice.cli import main

from .conftest import make_report

TINY = ReportOptions(quick=True, e2e_commands=2, slm_cases=3, stt_commands=2, naive_cases=1, hassil_cases=3,
                     tts_replies=1, noise_levels=("clean", "5db"), stt_models=("whisper-tiny.en",),
                     wake=WakeBenchOptions(talk_minutes=0.3, reply_minutes=0.2, music_minutes=0.2))


@pytest.fixture(scope="module")
def tiny_report(settings, understander):
    options = replace(TINY, slm_models=(settings.slm_model,))
    return run_report(settings, options, preloaded={settings.slm_model: understander})


def test_a_tiny_run_measures_every_section(tiny_report, settings):
    assert tiny_report.problems == []
    e2e = tiny_report.end_to_end
    assert len(e2e.answered) == 2
    assert set(e2e.stage_p50_s()) == set(E2E_STAGES)
    assert 0 < e2e.latency.p50 <= e2e.latency.p99
    assert e2e.cold_start.total_s > 0 and e2e.peak_rss_mb > 100
    assert {(p.kind, p.condition) for p in tiny_report.matrix} == {("slm", "cached"), ("slm", "blind"),
                                                                    ("stt", "clean"), ("stt", "5db")}
    assert all(p.pareto for p in tiny_report.matrix), "one model per condition is its own front"
    assert [b.name for b in tiny_report.baselines] == ["naive SLM", "hassil"]
    assert [b.cases for b in tiny_report.baselines] == [1, 3]
    assert tiny_report.run.quick and tiny_report.run.sizes["e2e_commands"] == 2
    assert tiny_report.wake is not None and tiny_report.wake.phrases > 0 and tiny_report.wake.curve
    roles = {(m.role, m.name) for m in tiny_report.run.models}
    assert roles == {("slm", settings.slm_model), ("stt", "whisper-tiny.en"), ("tts", settings.tts_voice)}
    assert all(len(f.sha256) == 64 for m in tiny_report.run.models for f in m.files)


def test_the_naive_baseline_leaves_the_understander_as_it_was(tiny_report, understander):
    assert understander.understand("turn on the AC").intents[0].name == "set_ac"


def test_the_report_is_written_and_reads_back(tiny_report, tmp_path):
    written = write_report(tiny_report, tmp_path)
    assert sorted(p.name for p in written) == ["accuracy_vs_latency.png", "report.json", "report.md",
                                               "stage_latency.png", "wer_vs_snr.png"]
    assert all(p.stat().st_size > 0 for p in written)
    # compared as JSON: NaN (e.g. out-of-scope recall on a slice without such cases) never equals itself
    assert load_report(tmp_path / "report.json").model_dump_json() == tiny_report.model_dump_json()
    markdown = (tmp_path / "report.md").read_text()
    assert "end of speech → first reply audio" in markdown and "Pareto" in markdown and "## Wake word" in markdown
    assert tiny_report.run.models[0].files[0].sha256 in markdown
    assert all(math.isfinite(value) for value in json.loads((tmp_path / "report.json").read_text())
               ["end_to_end"]["cold_start"]["per_model_s"].values())


def test_bench_all_exits_non_zero_on_a_broken_measurement(monkeypatch, tmp_path, capsys):
    broken = run_module.with_problems(make_report(turns=0))
    monkeypatch.setattr(run_module, "run_report", lambda *args, **kwargs: broken)
    assert main(["bench", "all", "--quick", "--out", str(tmp_path)]) == 1
    assert "broken measurement: end to end: none of the 0 commands" in capsys.readouterr().err
    assert load_report(tmp_path / "report.json").problems == broken.problems
