"""Asking when unsure: the model nearly gave another reading that asks the car for something else."""

from __future__ import annotations

import pytest
from vehicle_sim import Vehicle

from carvoice.nlu.understand import ASK_BELOW_MARGIN, Understander
from carvoice.pipeline import Pipeline, Stages

from .conftest import ScriptedSlm


@pytest.mark.parametrize(("margin", "alternative", "unsure"), [
    (0.3, 'set_seat_ventilation(level=2)\n', True),  # heating or cooling: ask
    (0.3, 'set_seat_heat(seat="driver", level=2)\n', False),  # the same request written another way
    (ASK_BELOW_MARGIN + 1, 'set_seat_ventilation(level=2)\n', False),  # a clear lead
    (0.3, None, False),  # no runner-up reading that finishes
    (0.3, 'play_track(title="Moon River")\n', False),  # a runner-up naming what was not said is no reading
])
def test_the_assistant_is_unsure_only_between_readings_that_differ(understander, margin, alternative, unsure):
    scripted = Understander(ScriptedSlm("set_seat_heat(level=2)\n", margin=margin, alternative=alternative),
                            understander.catalog)
    assert scripted.understand("turn on my seat heater").unsure is unsure


def test_an_unsure_reading_is_asked_about_and_a_yes_does_it(understander):
    scripted = Understander(ScriptedSlm("set_seat_heat(level=2)\n", margin=0.3,
                                        alternative="set_seat_ventilation(level=2)\n"), understander.catalog)
    pipeline = Pipeline(Stages(understander=scripted), Vehicle(seed=3))
    asked = pipeline.run_text("turn on my seat heater")
    assert asked.dialog is not None and asked.dialog.kind == "confirm_needed"
    assert pipeline.vehicle.get("climate.seats.driver.heat") == 0
    yes = Understander(ScriptedSlm('yes()\n'), understander.catalog)
    pipeline.stages.understander = yes
    pipeline.run_text("yes")
    assert pipeline.vehicle.get("climate.seats.driver.heat") == 2


def test_one_call_beside_a_reason_is_read_again_from_the_clauses_the_car_can_take(understander):
    """Clauses and calls do not pair up: the model reads the other clauses alone, once, and its reading decides."""
    slm = ScriptedSlm("set_mute(on=True)")
    scripted = Understander(slm, understander.catalog)
    understanding = scripted.understand("I'm taking a phone call so mute the music")
    assert [(call.name, call.slots) for call in understanding.intents] == [("set_mute", {"on": True})]
    assert len(slm.turns) == 2 and "mute the music" in slm.turns[1] and "phone" not in slm.turns[1]
    assert understanding.out_of_scope_reason is None
