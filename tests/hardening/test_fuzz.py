"""Property and fuzz tests: random SLM output, random suite YAML, random config TOML and random audio bytes
give a result or a clear `CarvoiceError`, never anything else."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from vehicle_sim import Vehicle

from carvoice.audio.decode import AudioDecodeError, load_audio
from carvoice.config import ConfigError, read_config_file
from carvoice.nlu.catalog import load_intent_catalog
from carvoice.nlu.syntax import END, CallSyntax, State, SyntaxRejected, parse_calls
from carvoice.nlu.understand import Understander
from carvoice.pipeline import Pipeline, Stages
from carvoice.suites import SuiteFileError, load_suite

from .conftest import SAMPLES, ScriptedSlm

CATALOG = load_intent_catalog()
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])
CALL_CHARS = sorted({c for i in CATALOG.intents for c in i.name + "".join(s.name + "".join(s.values)
                                                                          for s in i.slots)}
                    | set('()=,;" .-0123456789TrueFals\n'))
CALL_LIKE = st.one_of(st.text(max_size=80), st.text(alphabet=CALL_CHARS, max_size=80),
                      st.builds(lambda name, body: f"{name}({body})\n", st.sampled_from(sorted(CATALOG.by_name)),
                                st.text(alphabet=CALL_CHARS, max_size=40)))


def _is_valid_catalog_call(name: str, slots: dict) -> bool:
    intent = CATALOG.by_name.get(name)
    return intent is not None and not intent.slot_problems(slots)


@FUZZ
@given(data=st.data())
def test_whatever_the_constrained_decoder_emits_parses_into_valid_catalog_calls(data):
    """A random walk through the output syntax, as the decoder takes it: every accepted text is valid."""
    syntax, state, text = CallSyntax(CATALOG), State(), ""
    while state.phase != "done" and len(text) < 400:
        allowed = [c for c in CALL_CHARS if syntax.advance(state, c) is not None]
        assert allowed, f"the syntax has no way on after {text!r}"
        char = data.draw(st.sampled_from(allowed))
        state, text = syntax.advance(state, char), text + char
    if state.phase == "done":
        assert text.endswith(END)
        assert all(_is_valid_catalog_call(call.name, call.slots) for call in parse_calls(text))


@pytest.fixture(scope="module")
def scripted_pipeline(understander):
    slm = ScriptedSlm("")
    return Pipeline(Stages(understander=Understander(slm, understander.catalog)), Vehicle(seed=3)), slm


@FUZZ
@given(output=CALL_LIKE)
@example("set_ac(on=1+1)\n")
@example("set_door_lock(locked=False); set_door_lock(locked=False)\n")
@example("unlock_everything(now=True)\n")
def test_any_slm_answer_ends_as_valid_catalog_intents_or_none(scripted_pipeline, output):
    """Unconstrained, fault-injected SLM output: the turn never raises, and only valid catalog calls get through."""
    pipeline, slm = scripted_pipeline
    slm.output = output
    record = pipeline.run_text("do something")
    assert record.reply
    intents = record.understanding.intents if record.understanding else []
    assert all(_is_valid_catalog_call(i.name, i.slots) for i in intents)


@FUZZ
@given(text=CALL_LIKE)
@example("set_ac(on=1+1)\n")
@example("set_ac(**slots)\n")
def test_parse_calls_returns_calls_or_rejects_the_text(text):
    try:
        parse_calls(text)
    except SyntaxRejected:
        pass


YAML_VALUES = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                                     st.text(max_size=20)),
                           lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                   st.dictionaries(st.sampled_from(
                                                       ["name", "steps", "text", "audio", "expect", "intents",
                                                        "state", "kind", "settings", "initial_state", "x"]),
                                                       inner, max_size=4)), max_leaves=20)


@FUZZ
@given(text=st.one_of(st.text(max_size=200), YAML_VALUES.map(yaml.safe_dump)))
def test_a_random_suite_file_loads_or_gets_a_line_precise_error(tmp_path, text):
    path = tmp_path / "suite.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_suite(path, CATALOG)
    except SuiteFileError as error:
        assert error.problems and all(line >= 1 for line, _, _ in error.problems)
        assert f"{path}:" in str(error)


@FUZZ
@given(text=st.text(max_size=200))
def test_a_random_config_file_loads_or_gets_a_clear_error(tmp_path, text):
    path = tmp_path / "carvoice.toml"
    path.write_text(text, encoding="utf-8")
    try:
        read_config_file(path)
    except ConfigError as error:
        assert str(path) in str(error)


def _encoded(fmt: str) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, np.sin(np.arange(4000) / 5).astype(np.float32) * 0.3, 16000, format=fmt)
    return buffer.getvalue()


REAL_FILES = [(SAMPLES / "clim-01.wav").read_bytes()[:6000], _encoded("FLAC"), _encoded("OGG")]
MAGIC = [b"RIFF", b"fLaC", b"OggS", b"ID3", b"\xff\xfb", b"FORM", b"\x1aE\xdf\xa3", b"\x00\x00\x00\x18ftypM4A "]


@st.composite
def audio_like_bytes(draw) -> bytes:
    """Random bytes, a format's signature and random bytes, or a real file with some bytes changed and cut."""
    kind = draw(st.sampled_from(["random", "magic", "damaged"]))
    if kind == "random":
        return draw(st.binary(max_size=2000))
    if kind == "magic":
        return draw(st.sampled_from(MAGIC)) + draw(st.binary(max_size=2000))
    data = bytearray(draw(st.sampled_from(REAL_FILES)))
    for position in draw(st.lists(st.integers(0, 199), max_size=12)):
        data[position] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(1, len(data)))])


@FUZZ
@given(data=audio_like_bytes())
def test_random_bytes_decode_or_get_an_audio_decode_error(tmp_path, data):
    path = tmp_path / "input.wav"
    path.write_bytes(data)
    try:
        audio = load_audio(path)
    except AudioDecodeError as error:
        assert str(path) in str(error)
    else:
        assert audio.samples.ndim == 1 and np.isfinite(audio.samples).all()
