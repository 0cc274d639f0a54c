"""One turn end to end on the real default models: typed or spoken in, the car acts, a reply is spoken."""

from pathlib import Path

import pytest
import soundfile
from vehicle_sim import Vehicle

from carvoice.assistant.reply_audio import SilentOutput, WavOutput
from carvoice.audio.decode import load_audio
from carvoice.pipeline import APOLOGY, HEARD_SURE, Pipeline, Stages
from carvoice.turn import EventKind

SAMPLES = Path(__file__).resolve().parents[1] / "audio_samples" / "wav"


def test_a_typed_turn_acts_on_the_car_and_records_every_stage(pipeline):
    events = []
    pipeline.subscribe(lambda event: events.append(event.kind))
    record = pipeline.run_text("open the sunroof")
    assert pipeline.vehicle.get("vehicle.sunroof_pct") == 100
    assert record.reply and record.error is None
    assert set(record.spans) == {"nlu", "vehicle", "tts"}
    assert all(span.seconds >= 0 for span in record.spans.values())
    assert 0 < record.latency_s < 30
    assert events == [EventKind.UNDERSTOOD, EventKind.VEHICLE_CHANGED, EventKind.REPLYING, EventKind.FIRST_AUDIO,
                      EventKind.DONE]


def test_a_spoken_turn_is_transcribed_understood_and_done(pipeline):
    record = pipeline.run_audio(load_audio(SAMPLES / "navi-10.wav"))  # "Go to Central Station."
    assert "central station" in record.transcript.text.lower()
    assert pipeline.vehicle.get("navigation.destination.name") == "Central Station"
    assert record.speech_ended_at is not None and record.latency_s > 0
    assert set(record.spans) == {"stt", "nlu", "vehicle", "tts"}
    summary = record.summary()
    assert summary["intents"] == [{"name": "navigate_to", "slots": {"place": "Central Station"}}]
    assert summary["latency_s"]["end_to_first_audio"] > 0


def test_turns_share_the_car_and_the_dialog(pipeline):
    pipeline.run_text("set the passenger side to twenty")
    record = pipeline.run_text("undo that")
    assert record.understanding.intents[0].name == "undo"
    assert pipeline.vehicle.get("climate.passenger.set_point") == 21.0


def test_a_failing_stage_ends_the_turn_with_an_apology_and_the_next_turn_works(pipeline, monkeypatch):
    before = pipeline.vehicle.snapshot()
    real_understand = pipeline.stages.understander.understand

    def broken(*args, **kwargs):
        raise RuntimeError("model crashed")

    monkeypatch.setattr(pipeline.stages.understander, "understand", broken)
    failed = pipeline.run_text("open the sunroof")
    assert failed.reply == APOLOGY
    assert "nlu failed: RuntimeError: model crashed" in failed.error
    assert pipeline.vehicle.snapshot() == before
    monkeypatch.setattr(pipeline.stages.understander, "understand", real_understand)
    assert pipeline.run_text("open the sunroof").error is None


def test_a_broken_subscriber_does_not_break_the_turn(pipeline):
    pipeline.subscribe(lambda event: 1 / 0)
    assert pipeline.run_text("open the sunroof").error is None


def test_replies_can_be_written_to_wav_files(understander, tts, tmp_path):
    output = WavOutput(tmp_path / "reply.wav")
    pipeline = Pipeline(Stages(understander=understander, tts=tts), Vehicle(), reply_output=output)
    pipeline.run_text("open the sunroof")
    pipeline.run_text("close the sunroof")
    assert [p.name for p in output.written] == ["reply.wav", "reply-2.wav"]
    audio, rate = soundfile.read(output.written[0])
    assert rate == tts.sample_rate and len(audio) > rate * 0.3


def test_words_the_recogniser_was_unsure_of_are_asked_about_before_acting(pipeline, monkeypatch):
    real_transcribe = pipeline.stages.stt.transcribe

    def unsure(audio):
        return real_transcribe(audio).model_copy(update={"confidence": HEARD_SURE - 0.1})

    monkeypatch.setattr(pipeline.stages.stt, "transcribe", unsure)
    record = pipeline.run_audio(load_audio(SAMPLES / "navi-10.wav"))  # "Go to Central Station."
    assert record.understanding.unsure
    assert pipeline.vehicle.get("navigation.destination") is None
    assert "?" in record.reply
