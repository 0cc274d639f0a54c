"""Property tests: random action sequences and ticks never break an invariant, and undo restores the state."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vehicle_sim import ACTION_KINDS, Vehicle, default_world
from vehicle_sim.invariants import violations

WORLD = default_world()
POLICY_REASONS = {rule.reason for kind in ACTION_KINDS for rule in WORLD.policy.rules_for(kind)}
NAMES = st.sampled_from(["Marina Vale", "marina veil", "jazz", "Road Trip", "Night Ferry", "Slow Tide", "nobody",
                         "Central Station", "coffee", "charger", "home", "work", "Maple Avenue 12", "Oak Street",
                         "Harbour Quay 900", "Country Roads", ""])
ZONES = st.sampled_from(["driver", "passenger", "rear", "all"])
SEATS = st.sampled_from(["driver", "passenger", "rear_left", "rear_right", "all"])
WINDOWS = st.sampled_from(["driver", "passenger", "rear_left", "rear_right", "all"])
NUMBERS = st.floats(min_value=-200, max_value=400, allow_nan=False)
DELTAS = st.integers(min_value=-40, max_value=40)


def _action(kind: str, **fields) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({"kind": st.just(kind), **fields})


_TARGET = st.one_of(*(st.fixed_dictionaries({key: NAMES}) for key in ("address", "poi", "category", "saved_place",
                                                                      "place")))


def _navigation(kind: str) -> st.SearchStrategy[dict]:
    return st.builds(lambda target, along: {"kind": kind, **target, "along_route": along}, _TARGET, st.booleans())


ACTIONS = st.one_of(
    _action("set_temperature", zone=ZONES, value=NUMBERS, unit=st.sampled_from(["C", "F", None])),
    _action("set_temperature", zone=ZONES, level=st.sampled_from(["LO", "HI"])),
    _action("adjust_temperature", zone=ZONES, delta=st.floats(-20, 20)),
    _action("set_fan", speed=st.one_of(DELTAS, st.just("auto"))),
    _action("adjust_fan", delta=DELTAS),
    *(_action(kind, on=st.booleans()) for kind in ("set_ac", "set_recirculation", "set_steering_wheel_heat",
                                                   "set_climate_sync", "set_shuffle", "set_mute")),
    _action("set_defrost", window=st.sampled_from(["front", "rear"]), on=st.booleans()),
    _action("set_seat_heat", seat=SEATS, level=DELTAS),
    _action("set_seat_ventilation", seat=SEATS, level=DELTAS),
    _action("set_source", source=st.sampled_from(["fm", "am", "dab", "bluetooth", "usb"])),
    _action("play_artist", artist=NAMES), _action("play_album", album=NAMES), _action("play_genre", genre=NAMES),
    _action("play_playlist", playlist=NAMES), _action("play_track", title=NAMES),
    _action("tune_radio", station=NAMES), _action("tune_radio", frequency=st.floats(80, 1500)),
    _action("pause"), _action("resume"),
    _action("skip", direction=st.sampled_from(["next", "previous"]), count=st.integers(1, 30)),
    _action("set_repeat", mode=st.sampled_from(["off", "one", "all"])),
    _action("set_volume", level=NUMBERS), _action("adjust_volume", delta=DELTAS),
    _navigation("navigate_to"), _navigation("add_stop"), _action("cancel_route"),
    _action("set_window", window=WINDOWS, open_pct=NUMBERS), _action("set_sunroof", open_pct=NUMBERS),
    _action("set_door_lock", locked=st.booleans()),
    _action("driver_input", speed_kmh=NUMBERS, gear=st.sampled_from(["P", "R", "N", "D"])),
    _action("set_units", temperature_unit=st.sampled_from(["C", "F"])),
    *(_action(kind) for kind in ACTION_KINDS if kind.startswith("query_")),
    _action("undo"),
)
STEPS = st.lists(st.one_of(st.tuples(st.just("act"), ACTIONS, st.booleans()),
                           st.tuples(st.just("tick"), st.floats(0, 900), st.just(False))), max_size=25)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_step(car: Vehicle, before_speed: float, before_sunroof: int) -> None:
    state = car.snapshot()
    assert violations(state, WORLD) == []
    assert state.media.volume <= 26, "the volume cap holds after every step"
    if before_speed > 120:
        assert state.vehicle.sunroof_pct <= before_sunroof, "no action opens the sunroof above 120 km/h"


@FAST
@given(seed=st.integers(0, 3), steps=STEPS)
def test_random_sequences_never_break_an_invariant(seed: int, steps: list) -> None:
    car = Vehicle(seed=seed)
    for step, payload, confirmed in steps:
        before = car.snapshot().vehicle
        if step == "tick":
            car.tick(payload)
        else:
            outcome = car.apply(payload, confirmed=confirmed)
            assert outcome.code != "invalid_result", outcome.message
        _check_step(car, before.speed_kmh, before.sunroof_pct)


@FAST
@given(seed=st.integers(0, 3), warmup=st.lists(ACTIONS, max_size=6), tick=st.floats(0, 300), action=ACTIONS)
def test_undo_restores_the_state_before_a_change(seed: int, warmup: list, tick: float, action: dict) -> None:
    car = Vehicle(seed=seed)
    for earlier in warmup:
        car.apply(earlier, confirmed=True)
    car.tick(tick)
    before = car.snapshot()
    outcome = car.apply(action, confirmed=True)
    if outcome.status != "done" or not outcome.changes or action["kind"] == "undo":
        return
    after = car.snapshot()
    undone = car.undo()
    # the safety policy may forbid going back (to park at speed) or ask first (a cancelled route, while driving)
    if undone.status in ("refused", "needs_confirmation"):
        assert undone.code in POLICY_REASONS and car.snapshot() == after
    else:
        assert undone.status == "done" and car.snapshot() == before
