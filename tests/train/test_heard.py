"""Training texts as the product's ear hears them (carvoice/train/heard.py): the drop rule with a fake
recogniser, the near-copy filter after hearing, share 0 changing nothing, the CLI's check of the share, and a
small real run (piper voice, cabin noise, whisper-tiny.en) that keeps the labels and counts what it dropped."""

from __future__ import annotations

import argparse
import json

import pytest

from carvoice.cli import common_options
from carvoice.cli import train as train_cli
from carvoice.nlu.catalog import Call, load_intent_catalog
from carvoice.nlu.evalset import load_eval_set
from carvoice.pack import IntentPack
from carvoice.train.dataset import GenerationOptions, PreviousTurn, TrainingExample, generate_dataset
from carvoice.train.errors import TrainError
from carvoice.train.heard import (NAME_LOST, NOTHING_HEARD, NUMBER_LOST, Hearing, HearingOptions, drop_reason,
                                  load_ear)
from carvoice.train.run import RunFolder, make_data


class FakeEar:
    """Hears what it is told to (else the text as written); remembers what it was asked to say."""

    def __init__(self, heard: dict[str, str] | None = None) -> None:
        self.heard = heard or {}
        self.said: list[tuple[str, float | None]] = []

    def hear(self, text: str, snr_db: float | None, condition, seed: int) -> str:
        self.said.append((text, snr_db))
        return self.heard.get(text, text)


class DeafEar:
    def hear(self, *args) -> str:
        raise AssertionError("share 0 must not say anything")


def _example(text: str, *calls: Call, previous: PreviousTurn | None = None) -> TrainingExample:
    return TrainingExample(text=text, calls=list(calls), previous=previous, kind="single")


@pytest.fixture(scope="module")
def catalog():
    return load_intent_catalog()


ARTIST = Call("play_artist", {"artist": "Marina Vale"})
TEMPERATURE = Call("set_temperature", {"zone": "driver", "value": 21.5})


@pytest.mark.parametrize(("written", "call", "heard", "reason"), [
    ("play Marina Vale", ARTIST, "Play Marina Veil.", None),  # an ASR slip the NLU stage grounds too
    ("play Marina Vale", ARTIST, "Play marina.", None),  # most of the name's words are there
    ("play Marina Vale", ARTIST, "Play the radio.", NAME_LOST),
    ("play Marina Vale", ARTIST, " . ", NOTHING_HEARD),
    ("play Marina Vale", ARTIST, "", NOTHING_HEARD),
    ("driver side to twenty one and a half", TEMPERATURE, "Driver side to 21.5.", None),
    ("driver side to 21.5", TEMPERATURE, "Driver side to twenty one point five.", None),
    ("driver side to 21.5", TEMPERATURE, "Driver side to 21.", NUMBER_LOST),
    ("driver side to 21.5", TEMPERATURE, "Driver side too.", NUMBER_LOST),
    ("turn it down by two", Call("adjust_volume", {"delta": -2}), "Turn it down by 2.", None),  # size, not sign
    ("max volume", Call("set_volume", {"level": 100}), "Max volume.", None),  # a number never said is not lost
])
def test_a_heard_text_keeps_the_label_unless_a_name_or_number_is_lost(written, call, heard, reason):
    assert drop_reason(_example(written, call), heard) == reason


def test_a_follow_up_may_take_its_name_from_the_previous_turn_as_written():
    previous = PreviousTurn(text="play Marina Vale", calls=[ARTIST])
    follow_up = _example("play her album", Call("play_artist", {"artist": "Marina Vale"}), previous=previous)
    assert drop_reason(follow_up, "Play her album.") is None
    hearing = Hearing(HearingOptions(share=1.0), FakeEar({"play her album": "Play her album."}))
    heard = hearing(follow_up)
    assert heard.text == "Play her album." and heard.previous == previous  # only the new utterance is heard


def test_hearing_replaces_the_text_keeps_the_label_and_counts_drops():
    ear = FakeEar({"play Marina Vale": "Play Marina Veil.", "set it to 19": "Set it to.", "stop": ""})
    hearing = Hearing(HearingOptions(share=1.0, snrs_db=(10.0,)), ear)
    heard = hearing(_example("play Marina Vale", ARTIST))
    assert (heard.text, heard.calls, heard.styles) == ("Play Marina Veil.", [ARTIST], ["heard", "heard_10db"])
    assert hearing(_example("set it to 19", Call("set_temperature", {"value": 19}))) is None
    assert hearing(_example("stop", Call("pause"))) is None
    assert hearing.tried == 3 and hearing.dropped == {NUMBER_LOST: 1, NOTHING_HEARD: 1}
    assert [snr for _, snr in ear.said] == [10.0] * 3


def test_a_share_hears_about_that_share_and_draws_levels_from_the_set():
    hearing = Hearing(HearingOptions(share=0.3, seed=1), FakeEar())
    results = [hearing(_example(f"pause number {n}", Call("pause"))) for n in range(400)]
    levels = {style for example in results for style in example.styles if style.startswith("heard_")}
    assert 80 < hearing.tried < 160 and sum("heard" in e.styles for e in results) == hearing.tried
    assert levels == {"heard_clean", "heard_20db", "heard_10db", "heard_5db"}


@pytest.mark.parametrize("share", [-0.1, 1.5, float("nan")])
def test_a_share_outside_0_to_1_is_refused(share):
    with pytest.raises(TrainError, match="between 0 and 1"):
        HearingOptions(share=share)


@pytest.mark.parametrize("value", ["1.5", "-1", "abc", "nan"])
def test_the_cli_refuses_a_bad_share_with_a_usage_error(value, capsys):
    parser = argparse.ArgumentParser(prog="carvoice")
    train_cli.register(parser.add_subparsers(), common_options())
    with pytest.raises(SystemExit) as exit_:
        parser.parse_args(["train", "data", "--heard", value])
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert "argument --heard: a share from 0 to 1" in error and "Traceback" not in error


def test_share_0_leaves_every_example_as_generated(catalog):
    options = GenerationOptions(size=60, seed=5)
    unheard, _ = generate_dataset(options, catalog)
    heard, _ = generate_dataset(options, catalog, hear=Hearing(HearingOptions(share=0.0), DeafEar()))
    assert [e.model_dump_json() for e in heard] == [e.model_dump_json() for e in unheard]


def test_the_cli_without_heard_loads_no_speech_model_and_writes_what_it_wrote_before(tmp_path, settings,
                                                                                   monkeypatch):
    monkeypatch.setattr("carvoice.train.heard.load_ear", lambda settings: pytest.fail("a speech model loaded"))
    parser = argparse.ArgumentParser()
    train_cli.register(parser.add_subparsers(), common_options())
    files = {}
    for name, extra in (("plain", []), ("zero", ["--heard", "0"])):
        args = parser.parse_args(["train", "data", "--size", "30", "--run", str(tmp_path / name), *extra])
        assert args.handler(args, settings) == 0
        files[name] = (tmp_path / name / "train.jsonl").read_bytes()
    assert files["zero"] == files["plain"]


def test_the_near_copy_filter_runs_on_the_heard_text(catalog):
    eval_text = load_eval_set(catalog=catalog)[0].text
    examples, report = generate_dataset(GenerationOptions(size=5, seed=2), catalog,
                                        hear=lambda example: example.model_copy(update={"text": eval_text}))
    assert examples == [] and report.eval_overlap == 0
    assert report.eval_overlap_dropped == report.generated - report.off_catalog_dropped


class RecordedHearing(Hearing):
    """Hearing that remembers each example it was given and what became of it."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.pairs: list[tuple[TrainingExample, TrainingExample | None]] = []

    def __call__(self, example: TrainingExample) -> TrainingExample | None:
        self.pairs.append((example, super().__call__(example)))
        return self.pairs[-1][1]


def test_a_small_real_run_hears_with_piper_and_whisper_and_keeps_the_labels(tmp_path, settings):
    hearing = RecordedHearing(HearingOptions(share=1.0, seed=3), load_ear(settings))
    run = RunFolder(tmp_path)
    lines: list[str] = []
    make_data(run, GenerationOptions(size=4, seed=11), IntentPack.builtin(), lines.append, hearing=hearing)
    kept = [json.loads(line) for line in run.examples.read_text().splitlines()]
    report = json.loads(run.data_report.read_text())
    heard = [(written, after) for written, after in hearing.pairs if after is not None]
    assert len(kept) == 4 and report["eval_overlap"] == 0
    assert all("heard" in example["styles"] for example in kept)  # share 1: every kept example was heard
    assert report["styles"]["heard"] == 4 and report["heard_tried"] == len(hearing.pairs)
    assert sum(report["heard_dropped"].values()) == len(hearing.pairs) - len(heard)
    for written, after in heard:
        assert (after.calls, after.previous, after.kind) == (written.calls, written.previous, written.kind)
        assert after.text and drop_reason(written, after.text) is None
    assert any(after.text != written.text for written, after in heard)  # whisper writes its own way
    assert lines[0].startswith(f"heard {len(hearing.pairs)} examples, kept 4")
