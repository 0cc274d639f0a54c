"""Intent packs: a folder of catalog YAML (with optional eval cases and vocabulary) chosen with --intents DIR.
The car runs the pack's intents that name one of its actions; the others are understood and reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carvoice.dialog import Dialog
from carvoice.dialog.actions import NotActionable, car_mismatches
from carvoice.nlu.catalog import Call, load_intent_catalog
from carvoice.nlu.understand import ModelNotForTheseIntents, Understanding, check_trained_for
from carvoice.pack import IntentPack, check_pack
from tests.test_cli import carvoice
from vehicle_sim import Vehicle

WIPERS = """\
domain: body
intents:
  - name: set_wipers
    description: Windscreen wipers off, slow, fast or automatic.
    slots:
      - {name: speed, type: enum, values: ["off", slow, fast, auto], required: true}
    examples:
      - {text: "wipers on fast", slots: {speed: fast}}
  - name: set_window
    description: Open (100) or close (0) a window, or part way.
    action: set_window
    slots:
      - {name: window, type: enum, values: [driver, passenger, rear_left, rear_right, all], required: true}
      - {name: open_pct, type: integer, min: 0, max: 100, required: true}
"""


def write_pack(folder: Path, catalog: str = WIPERS, cases: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "body.yaml").write_text(catalog, encoding="utf-8")
    if cases is not None:
        (folder / "eval").mkdir(exist_ok=True)
        (folder / "eval" / "body.yaml").write_text(cases, encoding="utf-8")
    return folder


def test_the_builtin_pack_checks_clean_and_says_what_it_holds():
    problems, summary = check_pack(IntentPack.builtin())
    assert problems == []
    assert "0 understood only" in summary[0] and any(line.startswith("eval set blind") for line in summary)


def test_a_pack_is_summarised_with_what_the_car_runs_and_what_it_only_understands(tmp_path):
    pack = IntentPack.at(write_pack(tmp_path / "wipers", cases="cases:\n  - {text: wipers fast, intents: "
                                                                   "[{name: set_wipers, slots: {speed: fast}}]}\n"))
    problems, summary = check_pack(pack)
    assert problems == []
    assert summary[0].startswith("2 intents in 1 files: 1 run by the simulated car, 0 answered by the dialog, "
                                 "1 understood only")
    assert "eval set own: 1 cases" in summary


def test_a_broken_catalog_file_is_reported_with_its_file_and_line(tmp_path):
    broken = WIPERS.replace('values: ["off", slow, fast, auto], ', "")
    problems, _ = check_pack(IntentPack.at(write_pack(tmp_path / "broken", broken)))
    assert len(problems) == 1
    assert f"{tmp_path / 'broken' / 'body.yaml'}:6: intents[set_wipers].slots[speed]" in problems[0]
    assert "an enum slot needs `values`" in problems[0]


def test_an_eval_case_with_a_wrong_label_is_reported_with_its_line(tmp_path):
    cases = ("cases:\n  - {text: wipers fast, intents: [{name: set_wipers, slots: {speed: fast}}]}\n"
             "  - {text: wipers turbo, intents: [{name: set_wipers, slots: {speed: turbo}}]}\n")
    problems, _ = check_pack(IntentPack.at(write_pack(tmp_path / "labels", cases=cases)))
    assert problems == [f"{tmp_path / 'labels' / 'eval' / 'body.yaml'}:3: case 'wipers turbo': set_wipers: "
                        f"slot 'speed' cannot be 'turbo'"]


def test_an_intent_naming_a_car_action_must_fit_that_action(tmp_path):
    unfit = WIPERS.replace("[driver, passenger, rear_left, rear_right, all]", "[front_left, driver]").replace(
        "open_pct", "side")
    catalog = load_intent_catalog(write_pack(tmp_path / "unfit", unfit))
    problems = car_mismatches(catalog)
    assert "intent 'set_window': the car's action 'set_window' has no field 'side'" in problems[0]
    assert any("takes no window 'front_left'" in problem for problem in problems)
    assert any("needs 'open_pct'" in problem for problem in problems)
    with pytest.raises(NotActionable):
        Dialog(Vehicle(), catalog)


def test_an_intent_the_car_lacks_is_understood_and_reported_not_executed(tmp_path):
    catalog = load_intent_catalog(write_pack(tmp_path / "wipers"))
    vehicle = Vehicle()
    before = vehicle.snapshot()
    turn = Dialog(vehicle, catalog).respond(Understanding(
        text="wipers on fast", intents=[Call("set_wipers", {"speed": "fast"})], raw_output="", understood=True))
    assert turn.kind == "not_executed" and turn.actions == []
    assert "set wipers, speed fast" in turn.reply
    assert vehicle.snapshot() == before


def test_the_pack_s_car_intents_still_drive_the_car(tmp_path):
    catalog = load_intent_catalog(write_pack(tmp_path / "wipers"))
    vehicle = Vehicle()
    turn = Dialog(vehicle, catalog).respond(Understanding(
        text="open the passenger window", intents=[Call("set_window", {"window": "passenger", "open_pct": 100})],
        raw_output="", understood=True))
    assert turn.kind == "acted"
    assert vehicle.snapshot().vehicle.windows.passenger == 100


def test_a_student_refuses_a_pack_with_intents_it_was_never_trained_on(tmp_path):
    catalog = load_intent_catalog(write_pack(tmp_path / "wipers"))
    with pytest.raises(ModelNotForTheseIntents, match="does not know set_wipers.*full prompt"):
        check_trained_for(Path("student"), None, catalog)
    check_trained_for(Path("student"), ["set_wipers", "set_window"], catalog)
    check_trained_for(Path("student"), None, load_intent_catalog())


def test_intents_check_exits_1_with_the_problems_and_0_when_clean(tmp_path):
    broken = write_pack(tmp_path / "broken", WIPERS.replace("    description: Windscreen", "    descr: Windscreen"))
    result = carvoice("intents", "check", str(broken))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{broken / 'body.yaml'}:" in result.stdout and "1 problem(s)" in result.stdout
    clean = carvoice("intents", "check", str(write_pack(tmp_path / "clean")))
    assert clean.returncode == 0 and clean.stdout.rstrip().endswith(": ok")


def test_intents_lists_the_configured_pack_and_what_runs_where(tmp_path):
    result = carvoice("intents", "--json", "--intents", str(write_pack(tmp_path / "wipers")))
    assert result.returncode == 0, result.stderr
    rows = {row["intent"]: row["runs_on"] for row in map(json.loads, result.stdout.splitlines())}
    assert rows == {"set_wipers": "understood only", "set_window": "car"}


def test_a_missing_pack_folder_is_a_clear_error(tmp_path):
    result = carvoice("intents", "--intents", str(tmp_path / "nothere"))
    assert result.returncode == 1 and "no such intent pack folder" in result.stderr and "Traceback" not in result.stderr


def test_a_pack_s_vocabulary_and_phrasebook_are_not_read_as_catalog_files(tmp_path):
    folder = write_pack(tmp_path / "extras")
    (folder / "vocabulary.yaml").write_text("wipers: [intermittent wipe]\n", encoding="utf-8")
    (folder / "phrases.yaml").write_text("templates: {}\n", encoding="utf-8")
    pack = IntentPack.at(folder)
    problems, summary = check_pack(pack)
    assert problems == [] and f"phrasebook: {folder / 'phrases.yaml'}" in summary
    assert pack.vocabulary_file == folder / "vocabulary.yaml"
    assert [domain.domain for domain in pack.catalog().domains] == ["body"]
