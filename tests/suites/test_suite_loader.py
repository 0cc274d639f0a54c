"""Suite files: the shipped ones load, and a bad one is reported with the file, the line and the path."""

from pathlib import Path

import pytest

from carvoice.errors import CarvoiceError
from carvoice.suites import SuiteFileError, load_suite, load_suites
from carvoice.yaml_lines import dotted, line_map

SUITES_DIR = Path(__file__).resolve().parents[2] / "audio_samples" / "suites"

GOOD = """\
name: example
initial_state: {vehicle: {speed_kmh: 50}}
settings: {noise: {type: city, snr_db: 10}, latency_budget_s: 3}
steps:
  - audio: clim-01
    transcript: Set the temperature to twenty two degrees.
    expect:
      intents: [{name: set_temperature, slots: {value: 22}}]
      state: {climate.driver.set_point: 22, navigation.destination.name: Work}
      reply_contains: "22"
  - text: and the passenger side too
    expect: {kind: acted, reply_matches: "\\\\d+"}
"""


def write(tmp_path: Path, text: str, name: str = "suite.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(SuiteFileError) as caught:
        load_suite(write(tmp_path, text))
    return caught.value.problems


def test_a_good_suite_loads_with_its_audio_found(tmp_path):
    loaded = load_suite(write(tmp_path, GOOD))
    first, second = loaded.suite.steps
    assert loaded.audio_path(first).name == "clim-01.wav"
    assert second.expect.reply_contains == [] and loaded.suite.settings.noise.type == "city"
    assert first.expect.reply_contains == ["22"]


def test_the_shipped_suites_load_and_include_a_smoke_suite_and_eight_multi_turn_ones():
    suites = load_suites(sorted(SUITES_DIR.glob("*.yaml")))
    assert any(suite.path.name == "smoke.yaml" for suite in suites)
    assert sum(len(suite.suite.steps) >= 3 and suite.path.name != "smoke.yaml" for suite in suites) >= 8


def test_a_bad_expectation_is_reported_on_its_own_line(tmp_path):
    text = GOOD.replace("climate.driver.set_point: 22", "climate.driver.setpoint: 22")
    [(line, where, message)] = problems_of(tmp_path, text)
    assert line == 9
    assert where == "steps[0].expect.state['climate.driver.setpoint']"
    assert "has no 'setpoint'" in message


def test_the_error_message_names_file_line_and_path(tmp_path):
    path = write(tmp_path, GOOD.replace("kind: acted", "kind: acting"))
    with pytest.raises(SuiteFileError, match=rf"{path}:12: steps\[1\]\.expect\.kind: Input should be"):
        load_suite(path)


@pytest.mark.parametrize(("change", "line", "where", "words"), [
    (("text: and the", "audio: nope\n    text: and the"), 11, "steps[1]", "exactly one of `text` or `audio`"),
    (("  - text: and", "  - transcript: hello\n    text: and"), 11, "steps[1]", "only applies to `audio`"),
    (("reply_contains", "reply_contain"), 10, "steps[0].expect.reply_contain", "Extra inputs"),
    (("\\\\d+", "(unclosed"), 12, "steps[1].expect.reply_matches", "is not a regular expression"),
    (("name: set_temperature", "name: set_temperatur"), 8, "steps[0].expect.intents[0].name",
     "unknown intent 'set_temperatur'. Did you mean 'set_temperature'"),
    (("{value: 22}", "{value: 22, zone: moon}"), 8, "steps[0].expect.intents[0].slots", "moon"),
    (("audio: clim-01", "audio: no-such-sample"), 5, "steps[0].audio", "no audio file"),
    (("speed_kmh: 50", "speed_kmh: -5"), 2, "initial_state", "speed_kmh"),
    (("snr_db: 10", "snr_db: loud"), 3, "settings.noise.snr_db", "valid number"),
])
def test_each_kind_of_mistake_is_pinned_to_its_line(tmp_path, change, line, where, words):
    [(got_line, got_where, message)] = problems_of(tmp_path, GOOD.replace(*change))
    assert (got_line, got_where) == (line, where)
    assert words in message


def test_an_unquoted_yaml_boolean_gets_a_hint(tmp_path):
    text = GOOD.replace("{name: set_temperature, slots: {value: 22}}", "{name: set_ac, slots: {on: true}}")
    [(line, _, message)] = problems_of(tmp_path, text)
    assert line == 8 and "quote" in message


def test_every_problem_of_a_file_is_listed_at_once(tmp_path):
    text = GOOD.replace("audio: clim-01", "audio: missing-one").replace("climate.driver.set_point", "climate.x")
    assert [line for line, *_ in problems_of(tmp_path, text)] == [5, 9]


def test_a_repeated_key_is_an_error_rather_than_silently_dropped(tmp_path):
    [(line, where, message)] = problems_of(tmp_path, GOOD.replace("name: example", "name: example\nname: again"))
    assert (line, where) == (2, "name") and "twice" in message


def test_broken_yaml_and_a_missing_file_are_clear_errors(tmp_path):
    [(line, where, _)] = problems_of(tmp_path, "name: x\nsteps: [\n  - text: a\n")
    assert where == "(yaml)" and line >= 3
    with pytest.raises(SuiteFileError, match="cannot read it"):
        load_suite(tmp_path / "absent.yaml")


def test_load_suites_reports_all_the_bad_files_together(tmp_path):
    bad_one = write(tmp_path, "name: a\nsteps: []\n", "a.yaml")
    bad_two = write(tmp_path, "steps:\n  - text: hi\n", "b.yaml")
    with pytest.raises(CarvoiceError) as caught:
        load_suites([bad_one, write(tmp_path, GOOD, "good.yaml"), bad_two])
    assert f"{bad_one}:2: steps:" in str(caught.value)
    assert f"{bad_two}:1: name: Field required" in str(caught.value)


def test_the_line_map_points_at_keys_and_list_items():
    lines = line_map("a:\n  b:\n    - x\n    - {c: 1}\n")
    assert lines.line_of(("a", "b", 1, "c")) == 4
    assert lines.line_of(("a", "b", 0)) == 3
    assert lines.line_of(("a", "missing", "deeper")) == 1
    assert dotted(("steps", 3, "expect", "state", "a.b")) == "steps[3].expect.state['a.b']"
