"""A step's expectations against a hand-made turn: what passes, what fails and what it says when it does."""

import pytest
from vehicle_sim import Vehicle

from carvoice.dialog import DialogTurn
from carvoice.nlu.catalog import Call, load_intent_catalog
from carvoice.nlu.understand import Understanding
from carvoice.stt import Transcript
from carvoice.suites.checks import check_step
from carvoice.suites.runner import StepResult
from carvoice.suites.schema import Step, SuiteSettings
from carvoice.turn import TurnRecord


@pytest.fixture(scope="module")
def catalog():
    return load_intent_catalog()


def turn(intents=(), reply="Okay, driver side at 22 degrees.", kind="acted", heard=None, latency=None):
    understanding = Understanding(text="", intents=[Call(name=n, slots=s) for n, s in intents],
                                  raw_output="", understood=True)
    record = TurnRecord(turn_id=1, source="text", input="typed", started_at=100.0, understanding=understanding,
                        dialog=DialogTurn(reply=reply, kind=kind), reply=reply)
    if heard is not None:
        record.transcript = Transcript(text=heard, confidence=1, language="en", audio_duration_s=1,
                                       speech_duration_s=1, no_speech_prob=0)
    if latency is not None:
        record.first_audio_at = 100.0 + latency
    return record


def failures(step: dict, record: TurnRecord, catalog, vehicle=None, **options) -> dict[str, str]:
    checks = check_step(Step.model_validate(step), record, vehicle or Vehicle(), catalog, SuiteSettings(), **options)
    return {check.name: check.detail for check in checks if check.failed}


def test_matching_intents_with_defaults_filled_in_pass(catalog):
    step = {"text": "x", "expect": {"intents": [{"name": "set_temperature", "slots": {"value": 22}}]}}
    assert failures(step, turn([("set_temperature", {"value": 22.0, "zone": "driver"})]), catalog) == {}


def test_wrong_intents_fail_and_show_both_sides(catalog):
    step = {"text": "x", "expect": {"intents": [{"name": "set_temperature", "slots": {"value": 22}}]}}
    detail = failures(step, turn([("adjust_temperature", {"delta": 1})]), catalog)["intents"]
    assert detail == "expected set_temperature(value=22), got adjust_temperature(delta=1)"


def test_state_compares_numbers_as_numbers_and_names_each_wrong_path(catalog):
    vehicle = Vehicle(overrides={"climate": {"driver": {"set_point": 22}}})
    assert failures({"text": "x", "expect": {"state": {"climate.driver.set_point": 22}}}, turn(), catalog, vehicle) == {}
    step = {"text": "x", "expect": {"state": {"climate.driver.set_point": 22, "climate.ac": False,
                                              "navigation.destination": None}}}
    assert failures(step, turn(), catalog, Vehicle()) == {"state": "climate.driver.set_point is 21.0, expected 22; "
                                                         "climate.ac is True, expected False"}


def test_reply_contains_ignores_case_and_regex_searches(catalog):
    step = {"text": "x", "expect": {"reply_contains": ["DRIVER SIDE", "22"], "reply_matches": r"\d+ degrees"}}
    assert failures(step, turn(), catalog) == {}
    step = {"text": "x", "expect": {"reply_contains": "passenger", "reply_matches": "^Sorry"}}
    assert set(failures(step, turn(), catalog)) == {"reply"}


def test_kind_and_a_failed_stage_are_checked(catalog):
    assert "kind" in failures({"text": "x", "expect": {"kind": "confirm_needed"}}, turn(), catalog)
    broken = turn()
    broken.error = "nlu failed: RuntimeError: boom"
    assert failures({"text": "x"}, broken, catalog) == {"turn": "nlu failed: RuntimeError: boom"}


def test_the_transcript_passes_within_its_wer_limit(catalog):
    step = {"audio": "clim-01", "transcript": "Set the temperature to twenty two degrees."}
    assert failures(step, turn(heard="Set the temperature to 22°."), catalog) == {}
    assert "WER 29%" in failures({**step, "max_wer": 0.2}, turn(heard="Set temperature to 22"), catalog)["transcript"]


def test_a_latency_budget_is_reported_and_only_enforced_when_strict(catalog):
    step = {"text": "x", "latency_budget_s": 1.5}
    slow = turn(latency=2.0)
    checks = check_step(Step.model_validate(step), slow, Vehicle(), catalog, SuiteSettings())
    latency = next(check for check in checks if check.name == "latency")
    assert not latency.passed and not latency.failed and "2.00s" in latency.detail
    assert "latency" in failures(step, slow, catalog, strict_latency=True)
    assert failures(step, turn(latency=1.0), catalog, strict_latency=True) == {}


@pytest.mark.parametrize(("xfail", "expect_state", "status"), [
    (None, 21, "pass"), (None, 30, "fail"), ("known", 30, "xfail"), ("known", 21, "xpass"),
])
def test_a_step_status_follows_its_checks_and_its_xfail_mark(catalog, xfail, expect_state, status):
    step = Step.model_validate({"text": "x", "expect": {"state": {"climate.driver.set_point": expect_state}}})
    record = turn()
    checks = check_step(step, record, Vehicle(), catalog, SuiteSettings())
    assert StepResult(0, step, record, checks, xfail).status == status
