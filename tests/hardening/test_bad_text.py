"""Bad text through the real SLM: each gets a clear reply, the car is not changed by what it cannot do, and a
transcript far too long is refused at once instead of holding the assistant for a minute."""

from __future__ import annotations

import re

import pytest
from vehicle_sim import Vehicle

from carvoice.dialog import Dialog
from carvoice.nlu.catalog import Call, load_intent_catalog
from carvoice.nlu.understand import Understanding
from carvoice.pipeline import APOLOGY

CATALOG = load_intent_catalog()


@pytest.mark.parametrize("text", [
    "blorp quaxx zindle frumious",
    "um uh er hmm well you know",
    "🚗🔥🎵🙂",
    "set it to 500 degrees",
    "turn the volume to 1000",
    "navigate to the moon",
    "play songs by the Zorblax Quintet",
])
def test_odd_text_gets_a_reply_and_changes_nothing(text_pipeline, text):
    pipeline = text_pipeline()
    before = pipeline.vehicle.snapshot()
    record = pipeline.run_text(text)
    assert record.error is None and record.reply
    assert pipeline.vehicle.snapshot() == before


def test_a_5000_character_transcript_is_refused_quickly_with_the_reason(text_pipeline):
    pipeline = text_pipeline()
    before = pipeline.vehicle.snapshot()
    record = pipeline.run_text("turn on the radio and " * 228)
    assert record.reply == APOLOGY
    assert "nlu failed" in record.error and "at most 512 are understood in one turn" in record.error
    assert record.spans["nlu"].seconds < 2.0
    assert pipeline.vehicle.snapshot() == before
    assert pipeline.run_text("open the sunroof").error is None


OUT_OF_RANGE = [
    (Call(name="set_temperature", slots={"value": 500}), r"\b(16|28|61|82|84)\b"),
    (Call(name="set_temperature", slots={"value": 72, "unit": "C"}), r"\b28\b"),  # in range only as Fahrenheit
    (Call(name="set_volume", slots={"level": 1000}), r"\b(0|26|30)\b"),
    (Call(name="set_fan", slots={"speed": 99}), r"\b(0|7)\b"),
]


@pytest.mark.parametrize(("intent", "limit"), OUT_OF_RANGE, ids=[i.name for i, _ in OUT_OF_RANGE])
def test_a_number_out_of_range_gets_the_range_and_leaves_the_car_alone(intent, limit):
    """Whatever number the SLM passes on: the reply says the range, and the car is not changed."""
    car = Vehicle(seed=3)
    before = car.snapshot()
    turn = Dialog(car, CATALOG).respond(Understanding(text="x", intents=[intent], raw_output="", understood=True))
    assert turn.reply and re.search(limit, turn.reply), turn.reply
    assert car.snapshot() == before
