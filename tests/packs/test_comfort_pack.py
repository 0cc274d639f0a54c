"""The comfort pack in the repository (packs/comfort): it checks clean, and with a real full-prompt model the
car executes its window and sunroof intents and answers the others "understood, not executed by this car"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from carvoice.dialog import Dialog
from carvoice.models import Role, resolve
from carvoice.nlu.catalog import Call, load_intent_catalog
from carvoice.nlu.understand import Understanding
from tests.test_cli import carvoice
from vehicle_sim import Vehicle

PACK = Path(__file__).resolve().parents[2] / "packs" / "comfort"
MODEL = "qwen2.5-coder-0.5b-instruct"  # a plain GGUF: the full prompt lists the pack's intents


@pytest.fixture(scope="module")
def turns(model_store) -> dict[str, dict]:
    """Each line a fresh conversation on a fresh car, through `carvoice text`, by line; one model load for all
    (its first evaluation of the pack's prompt takes about a minute on 2 cores). Understanding is tested here,
    not speed: a busy CI machine gets more than the 20 s a turn may take in the car."""
    resolve(Role.SLM, MODEL, model_store)
    lines = ["switch the wipers to fast", "open the sunroof to 60 percent"]
    run = subprocess.run([sys.executable, "-m", "carvoice", "text", "-", "--intents", str(PACK), "--slm", MODEL,
                          "--no-speech", "--json", "--independent"], input="\n".join(lines), capture_output=True,
                         text=True, timeout=600, check=False, env={**os.environ, "CARVOICE_NLU_TIMEOUT_S": "300"})
    assert run.returncode == 0, run.stderr[-2000:]
    return dict(zip(lines, map(json.loads, run.stdout.splitlines()), strict=True))


def test_the_comfort_pack_checks_clean():
    result = carvoice("intents", "check", str(PACK))
    assert result.returncode == 0, result.stdout
    assert "3 run by the simulated car, 5 answered by the dialog" in result.stdout
    assert result.stdout.rstrip().endswith(": ok")


@pytest.mark.parametrize("intent", ["out_of_scope", "help"])
def test_the_dialog_offers_the_pack_s_areas_not_the_built_in_car_s(intent):
    dialog = Dialog(Vehicle(), load_intent_catalog(PACK))
    turn = dialog.respond(Understanding(text="play some jazz", intents=[Call(intent)], raw_output="", understood=True))
    assert "windows, comfort, lights, mirrors and wipers" in turn.reply and "climate" not in turn.reply


def test_a_wipers_command_is_understood_and_not_executed(turns):
    turn = turns["switch the wipers to fast"]
    assert turn["intents"] == [{"name": "set_wipers", "slots": {"speed": "fast"}}]
    assert turn["kind"] == "not_executed" and turn["outcomes"] == []
    assert "wipers" in turn["reply"]


def test_the_sunroof_is_opened_by_the_car(turns):
    turn = turns["open the sunroof to 60 percent"]
    assert turn["intents"] == [{"name": "set_sunroof", "slots": {"open_pct": 60}}]
    assert turn["kind"] == "acted"
    [outcome] = turn["outcomes"]
    assert outcome["action"] == "set_sunroof" and outcome["status"] == "done" and outcome["changes"]
