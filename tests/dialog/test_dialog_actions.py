"""Intent -> action dict: only catalog actions, only catalog slots, and the temperature unit a number implies."""

from __future__ import annotations

import pytest

from carvoice.dialog import NotActionable, action_for, retry_with_suggestion
from carvoice.dialog.actions import check_catalog
from carvoice.nlu.catalog import Call, DomainFile, IntentCatalog
from vehicle_sim import Vehicle


def _action(catalog, name: str, **slots) -> dict:
    return action_for(Call(name=name, slots=slots), catalog)


def test_an_intent_becomes_its_action_kind_with_its_slots(catalog) -> None:
    assert _action(catalog, "set_window", window="passenger", open_pct=20) == {
        "kind": "set_window", "window": "passenger", "open_pct": 20}
    assert _action(catalog, "query_eta") == {"kind": "query_eta"}


@pytest.mark.parametrize(("value", "unit"), [(16, "C"), (22, "C"), (28.5, "C"), (40, "C"), (50, "F"), (72, "F"),
                                            (84, "F")])
def test_a_temperature_without_a_unit_is_read_in_the_plausible_one(catalog, value, unit) -> None:
    assert _action(catalog, "set_temperature", value=value)["unit"] == unit


def test_an_implausible_temperature_is_left_to_the_display_unit(catalog) -> None:
    assert "unit" not in _action(catalog, "set_temperature", value=45)


def test_a_unit_the_driver_said_is_kept(catalog) -> None:
    assert _action(catalog, "set_temperature", value=20, unit="F")["unit"] == "F"


def test_levels_and_relative_changes_get_no_unit(catalog) -> None:
    assert "unit" not in _action(catalog, "set_temperature", level="HI")
    assert "unit" not in _action(catalog, "adjust_temperature", delta=2)


def test_a_fahrenheit_number_sets_the_right_celsius_on_a_celsius_car(catalog) -> None:
    car = Vehicle()
    car.apply(_action(catalog, "set_temperature", value=72))
    assert car.get("climate.driver.set_point") == 22.0


@pytest.mark.parametrize("name", ["cancel", "help", "yes", "no", "out_of_scope"])
def test_dialog_only_intents_are_not_car_actions(catalog, name) -> None:
    with pytest.raises(NotActionable, match="dialog"):
        _action(catalog, name)


def test_an_unknown_intent_is_not_an_action(catalog) -> None:
    with pytest.raises(NotActionable, match="not an intent"):
        _action(catalog, "driver_input", speed_kmh=200)


def test_a_slot_cannot_override_the_action_kind(catalog) -> None:
    with pytest.raises(NotActionable, match="unknown slot 'kind'"):
        _action(catalog, "set_volume", level=10, kind="driver_input")


def test_slots_must_fit_the_catalog(catalog) -> None:
    with pytest.raises(NotActionable, match="missing slot 'level'"):
        _action(catalog, "set_volume")
    with pytest.raises(NotActionable, match="cannot be"):
        _action(catalog, "set_ac", on="maybe")


def test_a_catalog_that_maps_speech_to_driver_input_is_rejected() -> None:
    domain = DomainFile.model_validate({"domain": "bad", "intents": [
        {"name": "speed_up", "description": "go faster", "action": "driver_input"}]})
    with pytest.raises(NotActionable, match="only the driver"):
        check_catalog(IntentCatalog(domains=[domain]))


def test_the_shipped_catalog_never_reaches_driver_input(catalog) -> None:
    check_catalog(catalog)
    assert all(intent.action != "driver_input" for intent in catalog.intents)


def test_a_single_suggestion_becomes_the_same_action_with_that_name(catalog) -> None:
    outcome = Vehicle().apply({"kind": "play_playlist", "playlist": "roadtrip songs"})
    assert retry_with_suggestion(outcome) == {"kind": "play_playlist", "playlist": "Road Trip"}


def test_several_or_no_suggestions_give_nothing_to_retry() -> None:
    car = Vehicle()
    assert retry_with_suggestion(car.apply({"kind": "play_genre", "genre": "polka"})) is None
    assert retry_with_suggestion(car.apply({"kind": "navigate_to", "place": "Zorbulon"})) is None
    assert retry_with_suggestion(car.apply({"kind": "set_ac", "on": False})) is None
