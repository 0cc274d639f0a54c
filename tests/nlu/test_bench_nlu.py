"""`carvoice bench nlu` on a slice of the evaluation set with the real default SLM: the measurement holds together."""

import json
import math

from carvoice.bench.nlu import run_nlu_bench, spread
from carvoice.nlu.evalset import load_eval_set


def test_a_quick_run_measures_accuracy_latency_and_tokens(understander):
    cases = spread(load_eval_set(catalog=understander.catalog), 8)
    seen = []
    report = run_nlu_bench(understander, cases, "default", on_result=seen.append)
    summary = report.summary()
    assert summary["cases"] == len(seen) == 8
    assert 0 <= summary["exact_match"] <= summary["intent_accuracy"] <= 1
    assert 0 < summary["latency_p50_s"] <= summary["latency_p95_s"]
    assert summary["prompt_tokens_mean"] < 40, "only the turn's tokens are evaluated"
    assert summary["output_tokens_mean"] > 0
    assert summary["exact_match"] == sum(r.exact for r in seen) / 8
    assert all(math.isfinite(v) for k, v in summary.items() if k.endswith("_s"))
    row = report.row("cached")
    assert row.cases == 8 and row.mode == "cached"


def test_spread_takes_cases_from_across_the_set():
    cases = load_eval_set()
    chosen = spread(cases, 10)
    assert len(chosen) == 10
    assert len({case.text for case in chosen}) == 10
    assert chosen[0] is cases[0] and chosen[-1] is not cases[9]


def test_bench_nlu_runs_your_own_cases_file(tmp_path, capsys):
    from carvoice.cli import main

    mine = tmp_path / "mine.jsonl"
    mine.write_text('{"text": "crank the heat on my side to 24", "intents": [{"name": "set_temperature", '
                    '"slots": {"zone": "driver", "value": 24}}]}\n', encoding="utf-8")
    assert main(["bench", "nlu", "--cases", str(mine), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert [(row["eval_set"], row["cases"]) for row in rows] == [("mine", 1)]


def test_a_turn_past_the_deadline_is_a_miss_and_the_run_goes_on(understander, monkeypatch):
    from carvoice.nlu.slm import SlmTimeout

    cases = spread(load_eval_set(catalog=understander.catalog), 3)
    answer = understander.understand

    def late_on_the_second(text, previous=None):
        if text == cases[1].text:
            raise SlmTimeout(20.0, 3)
        return answer(text, previous)

    monkeypatch.setattr(understander, "understand", late_on_the_second)
    report = run_nlu_bench(understander, cases, "default")
    assert report.summary()["cases"] == 3
    assert not report.results[1].exact and report.results[1].understanding.intents == []


def test_bench_nlu_writes_the_cases_it_got_wrong(tmp_path, capsys):
    from carvoice.cli import main

    mine, misses = tmp_path / "mine.jsonl", tmp_path / "misses.jsonl"
    mine.write_text('{"text": "cancel the route", "intents": [{"name": "cancel_route", "slots": {}}]}\n'
                    '{"text": "cancel the route", "intents": [{"name": "set_mute", "slots": {"on": true}}]}\n',
                    encoding="utf-8")
    assert main(["bench", "nlu", "--cases", str(mine), "--misses", str(misses)]) == 0
    written = [json.loads(line) for line in misses.read_text(encoding="utf-8").splitlines()]
    assert [miss["expected"] for miss in written] == [[{"name": "set_mute", "slots": {"on": True}}]]
    assert written[0]["set"] == "mine" and written[0]["text"] == "cancel the route"
    assert written[0]["understood"] == [{"name": "cancel_route", "slots": {}}] and not written[0]["intents_right"]
    assert written[0]["raw_output"].startswith("cancel_route(")
    assert f"1 cases not read exactly right written to {misses}" in capsys.readouterr().err


def test_bench_nlu_says_when_the_misses_cannot_be_written(tmp_path, capsys):
    from carvoice.cli import main

    mine = tmp_path / "mine.jsonl"
    mine.write_text('{"text": "mute", "intents": [{"name": "cancel_route", "slots": {}}]}\n', encoding="utf-8")
    assert main(["bench", "nlu", "--cases", str(mine), "--misses", str(tmp_path / "no" / "misses.jsonl")]) == 1
    assert "cannot write the misses to" in capsys.readouterr().err


def test_out_of_scope_is_scored_by_the_same_question_on_both_sides():
    """A request with a part the car lacks, read with "I can't do that part", is no false alarm; a part the car
    lacks that went unnoticed is a miss."""
    from carvoice.bench.nlu import CaseResult, NluReport
    from carvoice.nlu.catalog import OUT_OF_SCOPE, Call, load_intent_catalog
    from carvoice.nlu.evalset import EvalCase
    from carvoice.nlu.understand import Understanding

    window, out = Call("set_window", {"open_pct": 100}), Call(OUT_OF_SCOPE, {})

    def result(labelled: list[Call], read: list[Call]) -> CaseResult:
        case = EvalCase(text="open the window and text Sam", intents=labelled)
        return CaseResult(case, Understanding.given(case.text, read), labelled == read, labelled == read)

    results = [result([window, out], [window, out]), result([out], [out]), result([window, out], [window]),
               result([window], [window, out])]
    summary = NluReport("m", load_intent_catalog(), results, 0.0, 0.0, False).summary()
    assert summary["oos_precision"] == 2 / 3 and summary["oos_recall"] == 2 / 3
