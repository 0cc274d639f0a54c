"""`carvoice bench compare`: two report.json files, each metric better or worse in its own direction."""

import json

import pytest

from carvoice.bench.report.compare import ReportFileError, compare_reports, load_report, run_differences
from carvoice.cli import main
from carvoice.cli.output import machine_line
from carvoice.machine import ENGINES, SIMD_FLAGS, Machine, this_machine

from .conftest import make_report


def _by_metric(changes):
    return {change.metric: change for change in changes}


def test_lower_latency_is_better_and_lower_accuracy_is_worse():
    before = make_report(latency_s=1.0, slm_accuracy=0.7)
    after = make_report(latency_s=0.8, slm_accuracy=0.6)
    changes = _by_metric(compare_reports(before, after))
    assert changes["end to end p50"].verdict == "better"
    assert changes["end to end p50"].relative == pytest.approx(-0.2)
    assert changes["slm big-slm cached exact match"].verdict == "worse"
    assert changes["cold start"].verdict == "same"
    assert changes["stt tiny-stt clean WER"].a == pytest.approx(0.08)


def test_a_model_in_one_report_only_is_said_so():
    before = make_report()
    after = before.model_copy(update={"matrix": before.matrix[:1]})
    changes = _by_metric(compare_reports(before, after))
    assert changes["stt tiny-stt clean WER"].verdict == "only in A"
    assert _by_metric(compare_reports(after, before))["stt tiny-stt clean WER"].verdict == "only in B"


def test_reports_round_trip_through_json_files_and_the_cli(tmp_path, capsys):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(make_report(latency_s=1.0).model_dump_json())
    b.write_text(make_report(latency_s=0.5).model_dump_json())
    assert load_report(a) == make_report(latency_s=1.0)
    assert main(["bench", "compare", str(a), str(b), "--json"]) == 0
    rows = {row["metric"]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["end to end p99"]["verdict"] == "better"
    assert rows["end to end p99"]["change"] == pytest.approx(-0.5)
    assert main(["bench", "compare", str(a), str(b)]) == 0
    assert "better" in capsys.readouterr().out


def test_a_file_that_is_not_a_report_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"hello": 1}))
    with pytest.raises(ReportFileError, match="not a report.json"):
        load_report(bad)
    assert main(["bench", "compare", str(bad), str(tmp_path / "missing.json")]) == 1
    assert "carvoice: error:" in capsys.readouterr().err


def test_the_machines_of_both_runs_are_shown_side_by_side(tmp_path, capsys):
    fast, slow = make_report(), make_report()
    fast = fast.model_copy(update={"run": fast.run.model_copy(update={
        "machine": Machine(cpu="fast cpu", cores=2, ram_gib=8.0, os="Linux", simd=["avx2", "avx512f"]),
        "settings": {**fast.run.settings, "threads": 2}})})
    differences = dict((label, (a, b)) for label, a, b in run_differences(fast.run, slow.run))
    assert differences["cpu"] == ("fast cpu", "test cpu")
    assert differences["SIMD"] == ("avx2 avx512f", "not recorded")
    assert differences["threads"] == ("2", "-")
    assert set(ENGINES) <= set(differences)

    (tmp_path / "a.json").write_text(fast.model_dump_json(), encoding="utf-8")
    (tmp_path / "b.json").write_text(slow.model_dump_json(), encoding="utf-8")
    assert main(["bench", "compare", str(tmp_path / "a.json"), str(tmp_path / "b.json")]) == 0
    shown = capsys.readouterr().out
    assert "avx2 avx512f" in shown and "differs" in shown


def test_this_machine_names_its_simd_flags():
    line = machine_line(threads=2)
    assert line.startswith("machine: ") and "2 threads per model" in line and "llama-cpp-python" in line
    assert set(this_machine().simd) <= set(SIMD_FLAGS)
