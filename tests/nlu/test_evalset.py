"""The NLU eval set is big and varied enough, apart from the prompt examples, real, and its loader reports bad files."""

from collections import Counter
from pathlib import Path

import pytest

from carvoice.nlu.catalog import IntentCatalog, load_intent_catalog
from carvoice.nlu.evalset import (EVAL_DIR, EvalCase, EvalSetError, load_eval_set, normalise_text,
                                  overlap_with_prompt_examples)
from vehicle_sim.citymap import CityMap, load_city
from vehicle_sim.handlers.base import Rejected
from vehicle_sim.library import load_library
from vehicle_sim.places import resolve_any
from vehicle_sim.state import Navigation

DOMAIN_FILES = {"climate", "media", "navigation", "vehicle", "system", "out_of_scope", "multi_intent", "dialogs"}


@pytest.fixture(scope="module")
def catalog() -> IntentCatalog:
    return load_intent_catalog()


@pytest.fixture(scope="module")
def cases(catalog: IntentCatalog) -> list[EvalCase]:
    return load_eval_set(EVAL_DIR, catalog)


def _slot_values(cases: list[EvalCase], slot: str, intents: set[str]) -> list[str]:
    """The values of `slot` in intents named `intents`, leaving out names the case marks as misheard."""
    return [intent.slots[slot] for case in cases if "misheard_name" not in case.tags
            for intent in case.intents if intent.name in intents and slot in intent.slots]


def test_one_file_per_domain():
    assert {path.stem for path in EVAL_DIR.glob("*.yaml")} == DOMAIN_FILES


def test_set_is_big_enough_with_out_of_scope_and_multi_intent_cases(cases):
    assert len(cases) >= 400
    assert sum(case.is_out_of_scope for case in cases) >= 80
    assert sum(case.is_multi_intent for case in cases) >= 30


def test_dialogs_have_several_turns_each_carrying_the_earlier_ones(cases):
    turns_by_dialog = Counter(case.dialog_id for case in cases if case.dialog_id)
    assert len(turns_by_dialog) >= 8
    assert min(turns_by_dialog.values()) >= 2
    assert Counter(case.dialog_id for case in cases if case.dialog_id and case.turn == 0).most_common(1)[0][1] == 1
    for case in cases:
        assert case.turn == len(case.context)
        assert all(earlier.dialog_id == case.dialog_id for earlier in case.context)
        assert [earlier.turn for earlier in case.context] == list(range(case.turn))


def test_every_catalog_intent_is_tested_at_least_three_times(cases, catalog):
    uses = Counter(intent.name for case in cases for intent in case.intents)
    assert {intent.name: uses[intent.name] for intent in catalog.intents if uses[intent.name] < 3} == {}


def test_no_case_repeats_a_prompt_example(cases, catalog):
    assert overlap_with_prompt_examples(cases, catalog) == []


def test_overlap_is_found_whatever_the_case_and_punctuation(catalog):
    example = catalog.intents[0].examples[0]
    shouted = EvalCase(text=f"  {example.text.upper()}!! ", intents=[{"name": catalog.intents[0].name}])
    assert overlap_with_prompt_examples([shouted], catalog) == [shouted.text]


def test_no_text_appears_twice(cases):
    counts = Counter(normalise_text(case.text) for case in cases)
    assert [text for text, count in counts.items() if count > 1] == []


def test_media_names_are_in_the_car_library(cases):
    library = load_library()
    indexes = {"artist": library.index_of("artist"), "album": library.index_of("album"),
               "playlist": library.playlist_index, "station": library.station_index, "title": library.title_index()}
    media_intents = {"play_artist", "play_album", "play_track", "play_playlist", "tune_radio"}
    unknown = [(slot, name) for slot, index in indexes.items()
               for name in _slot_values(cases, slot, media_intents) if index.find(name).item is None]
    assert unknown == []


def test_places_are_on_the_city_map(cases):
    city = load_city()
    places = _slot_values(cases, "place", {"navigate_to", "add_stop"})
    assert len(places) >= 20
    assert [place for place in places if not _on_map(city, place)] == []


def _on_map(city: CityMap, place: str) -> bool:
    try:
        resolve_any(city, place, Navigation())
    except Rejected:
        return False
    return True


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "broken.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(("content", "problem"), [
    ('cases: [{text: "fly me to the moon", intents: [{name: launch_rocket}]}]',
     "'fly me to the moon': intent 'launch_rocket' is not in the intent catalog"),
    ('cases: [{text: "purple seats", intents: [{name: set_seat_heat, slots: {level: 2, colour: purple}}]}]',
     "'purple seats': set_seat_heat: unknown slot 'colour'"),
    ('cases: [{text: "make it nice", intents: [{name: set_temperature, slots: {value: nice}}]}]',
     "'make it nice': set_temperature: slot 'value' cannot be 'nice'"),
    ('cases: [{text: "heat my seat", intents: [{name: set_seat_heat, slots: {seat: driver}}]}]',
     "'heat my seat': set_seat_heat: missing slot 'level'"),
    ('cases: [{text: "yep", intents: [{name: yes}]}]', 'write the intent name in quotes ("yes", "no")'),
    ('cases: [{text: "AC on", intents: [{name: set_ac, slots: {on: true}}]}]', 'write it in quotes ("on")'),
    ('cases: [{text: "louder", intents: [{name: adjust_volume, slots: {delta: 2}}], tags: [lowd]}]',
     "'louder':\n  tags: Value error, unknown tags ['lowd']"),
    ('cases: [{text: "louder", intents: []}]', "'louder':\n  intents: List should have at least 1 item"),
    ('dialogs: [{id: lonely, turns: [{text: "hello", intents: [{name: out_of_scope}]}]}]',
     "dialog 'lonely':\n  turns: List should have at least 2 items"),
    ('case: []', "invalid eval set file:\n  case: Extra inputs are not permitted"),
    ("- just a list", "an eval set file is a mapping"),
    ("cases: [unclosed", "cannot read eval set file"),
])
def test_a_broken_file_is_reported_with_its_name_case_and_problem(tmp_path, catalog, content, problem):
    folder = _write(tmp_path / "eval", content)
    with pytest.raises(EvalSetError) as error:
        load_eval_set(folder, catalog)
    assert str(folder / "broken.yaml") in str(error.value)
    assert problem in str(error.value)


def test_an_empty_folder_is_reported(tmp_path):
    with pytest.raises(EvalSetError, match="no eval set files"):
        load_eval_set(tmp_path)


def test_your_own_cases_load_from_json_lines_with_clear_errors(tmp_path: Path, catalog: IntentCatalog) -> None:
    mine = tmp_path / "mine.jsonl"
    mine.write_text('{"text": "crank the heat on my side to 24", "intents": [{"name": "set_temperature", '
                    '"slots": {"zone": "driver", "value": 24}}]}\n\n{"text": "skip this song", "intents": '
                    '[{"name": "skip", "slots": {}}]}\n', encoding="utf-8")
    cases = load_eval_set(mine, catalog)
    assert [c.text for c in cases] == ["crank the heat on my side to 24", "skip this song"]
    assert cases[0].intents[0].slots == {"zone": "driver", "value": 24}

    (tmp_path / "broken.jsonl").write_text('{"text": "fine", "intents": [{"name": "skip"}]}\nnot json\n')
    with pytest.raises(EvalSetError, match=r"broken.jsonl:2: not a JSON object"):
        load_eval_set(tmp_path / "broken.jsonl", catalog)
    (tmp_path / "fly.jsonl").write_text('{"text": "take off", "intents": [{"name": "fly"}]}\n')
    with pytest.raises(EvalSetError, match="'fly' is not in the intent catalog"):
        load_eval_set(tmp_path / "fly.jsonl", catalog)
    with pytest.raises(EvalSetError, match="no eval set files"):
        load_eval_set(tmp_path / "nowhere", catalog)
