"""Suites through the real pipeline on the default models: a typed conversation, and the CI smoke suite."""

from pathlib import Path

from carvoice.assistant.assistant import Assistant
from carvoice.cli import main
from carvoice.pipeline import Stages
from carvoice.suites import load_suite, run_suite, summarise

SMOKE = Path(__file__).resolve().parents[2] / "audio_samples" / "suites" / "smoke.yaml"

TYPED = """\
name: typed follow-up
initial_state: {climate: {passenger: {set_point: 18}}}
steps:
  - text: set the driver side to twenty two degrees
    expect:
      intents: [{name: set_temperature, slots: {value: 22}}]
      state: {climate.driver.set_point: 22, climate.passenger.set_point: 18}
  - text: and the passenger side too
    expect: {state: {climate.passenger.set_point: 22}}
  - text: undo that
    xfail: a deliberately wrong expectation, to show it is reported and not counted
    expect: {state: {climate.passenger.set_point: 30}}
"""


def test_a_typed_suite_shares_one_car_and_dialog_and_reports_a_known_failure(tmp_path, understander):
    path = tmp_path / "typed.yaml"
    path.write_text(TYPED, encoding="utf-8")
    seen = []
    result = run_suite(load_suite(path), Assistant(Stages(understander=understander)), on_step=seen.append)
    assert [step.status for step in result.steps] == ["pass", "pass", "xfail"]
    assert seen == result.steps and not result.failed
    assert result.steps[2].check("state").detail == "climate.passenger.set_point is 18.0, expected 30"


def test_the_smoke_suite_passes_end_to_end_on_spoken_audio(understander, stt, tts):
    result = run_suite(load_suite(SMOKE), Assistant(Stages(understander=understander, stt=stt, tts=tts)))
    failures = {step.index: [c.detail for c in step.checks if c.failed] for step in result.steps if step.status == "fail"}
    assert failures == {}
    summary = summarise([result])
    assert summary.wer is not None and summary.wer < 0.25
    assert {"stt", "nlu", "tts", "end_to_first_audio"} <= set(summary.latency)


def test_a_bad_suite_file_stops_the_command_before_any_model_loads(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\nsteps:\n  - text: hi\n    expect: {state: {climate.nope: 1}}\n", encoding="utf-8")
    assert main(["test", str(path)]) == 1
    assert f"{path}:4: steps[0].expect.state['climate.nope']" in capsys.readouterr().err


def test_an_unusable_audio_step_fails_alone_and_the_run_goes_on(tmp_path, understander, stt, tts):
    (tmp_path / "damaged.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot audio at all")
    path = tmp_path / "damaged.yaml"
    path.write_text("name: damaged step\nsteps:\n  - audio: damaged.wav\n  - text: turn on the AC\n"
                    "    expect: {state: {climate.ac: true}}\n", encoding="utf-8")
    result = run_suite(load_suite(path), Assistant(Stages(understander=understander, stt=stt, tts=tts)))
    assert [step.status for step in result.steps] == ["fail", "pass"]
    assert result.steps[0].check("turn").detail.startswith("audio: ")


def test_json_is_a_flag_printing_the_report_on_stdout_and_out_writes_it(tmp_path, capsys, monkeypatch, understander):
    import json

    from carvoice.cli.suites import _AssistantLoader

    monkeypatch.setattr(_AssistantLoader, "assistant_for", lambda self, choice: Assistant(Stages(understander=understander)))
    path = tmp_path / "typed.yaml"
    path.write_text(TYPED, encoding="utf-8")
    out = tmp_path / "report.json"
    assert main(["test", str(path), "--json", "--out", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)  # the live tables went to stderr
    assert report == json.loads(out.read_text(encoding="utf-8"))
    assert main(["test", "--json", str(out), str(path)]) == 1
    assert "`--out FILE` writes it to a file" in capsys.readouterr().err
