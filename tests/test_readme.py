"""The README's examples, run: every `carvoice` line of its command blocks parses with carvoice's own parser,
the ones that can run here run (on the real default models) and do what the README says, its sample turn is what
a turn prints, and its carvoice.toml is a valid config naming every setting. A new line in the README must be
added to RUNS or NOT_RUN below, so the README cannot drift from the program."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from carvoice.cli import build_parser
from carvoice.config import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SAMPLE_WAV = "audio_samples/wav/navi-10.wav"
# What a placeholder of the README stands for when a line is parsed.
PLACEHOLDERS = {"N": "2", "FILE": SAMPLE_WAV, "FILE...": SAMPLE_WAV, "DIR": "out", "NAME": "whisper-tiny.en"}


def _blocks(language: str) -> list[str]:
    fences = re.finditer(r"^```(\w*)\n(.*?)^```", README, flags=re.DOTALL | re.MULTILINE)
    return [fence.group(2) for fence in fences if fence.group(1) == language]


def readme_commands() -> list[str]:
    """Each `carvoice` command line of the README's sh blocks, without its comment."""
    lines = (re.split(r"\s#\s", line)[0].strip() for block in _blocks("sh") for line in block.splitlines())
    return [line for line in lines if re.match(r"(printf .* \| )?carvoice ", line)]


def argv_of(line: str) -> list[str]:
    """The arguments after `carvoice`, optional parts included, the first of alternatives, placeholders filled."""
    line = re.split(r"\s<\s", line)[0]  # standard input from a file is the shell's, not an argument
    words = shlex.split(line.split("| ", 1)[1] if line.startswith("printf") else line)[1:]
    words = [PLACEHOLDERS.get(word.strip("[]"), word.strip("[]")) for word in words]
    return [word.split("|")[0] if "|" in word and not word.startswith("-") else word for word in words]


def carvoice(line: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run a README line as a user would, from `cwd`, with the venv's `carvoice` first on PATH."""
    bin_dir = Path(sys.executable).parent
    return subprocess.run(line, shell=True, cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(Path.home())})


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A folder outside the repository with the spoken samples at hand, as after `cd` into a project."""
    (tmp_path / "audio_samples").symlink_to(ROOT / "audio_samples")
    (tmp_path / "packs").symlink_to(ROOT / "packs")
    shutil.copy(ROOT / SAMPLE_WAV, tmp_path / "command.wav")
    return tmp_path


def _json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def _follow_up_warms_the_passenger_side(result, _):
    second = _json_lines(result.stdout)[1]
    assert [c["path"] for o in second["outcomes"] for c in o["changes"]] == ["climate.passenger.set_point"]


def _understood(*intents: str):
    def check(result, _):
        assert all(f"{intent}(" in result.stdout for intent in intents), result.stdout
    return check


def _one_json_turn_with_intents(result, _):
    (turn,) = _json_lines(result.stdout)
    assert turn["transcript"] and turn["intents"]


def _wrote(name: str):
    def check(_, cwd: Path):
        assert (cwd / name).read_bytes()[:4] == b"RIFF"
    return check


def _prints(text: str):
    def check(result, _):
        assert text in result.stdout, result.stdout
    return check


def _ten_demo_turns(result, _):
    assert result.stdout.count("» ") == 10 and "not understood" not in result.stdout


def _says_why_without_microphone(result, _):
    assert result.returncode == 1 and "no microphone" in result.stderr


def _lists_devices_or_says_there_are_none(result, _):
    assert "no audio devices" in result.stdout or "microphone" in result.stdout.lower()


# README line -> check of its result (after exit code 0 unless it is the check for a missing microphone).
RUNS = {
    'carvoice text "turn on the A/C and play some jazz"': _understood("set_ac", "play_genre"),
    "printf 'set the passenger side to 20\\na bit more\\n' | carvoice text - --json":
        _follow_up_warms_the_passenger_side,
    "carvoice run audio_samples/wav/navi-10.wav --json": _one_json_turn_with_intents,
    "carvoice run command.wav --out reply.wav": _wrote("reply.wav"),
    "carvoice talk [--barge-in] [--fixed-endpointing]": _says_why_without_microphone,
    "carvoice talk --wake-word okay_nabu": _says_why_without_microphone,
    "carvoice run --wake-word okay_nabu FILE --json": _prints('"woken": false'),
    "carvoice demo": _ten_demo_turns,
    "carvoice stt FILE... [--json]": _prints('"text": "Go to Central Station."'),
    "carvoice listen [--replay FILE]": _prints("Go to Central Station."),
    'carvoice say "Driver side set to 22 degrees." --out reply.wav': _wrote("reply.wav"),
    "carvoice models list": _prints("qwen2.5-coder-0.5b-carvoice"),
    "carvoice models pull --defaults": _prints("whisper-tiny.en"),
    "carvoice models path whisper-tiny.en": _prints("whisper-tiny.en"),
    "carvoice devices": _lists_devices_or_says_there_are_none,
    "carvoice intents check packs/comfort": _prints(": ok"),
    "carvoice intents --intents packs/comfort": _prints("understood only"),
    'carvoice text --intents packs/comfort --slm qwen2.5-coder-0.5b-instruct "switch the wipers to fast"':
        _understood("set_wipers"),
}
NOT_RUN = {
    "carvoice dashboard [--demo]": "interactive; tests/dashboard drives the app and takes its snapshots",
    "carvoice bench stt": "minutes; .ci/run runs `bench all --quick`, which includes it",
    "carvoice bench tts": "minutes; .ci/run runs `bench all --quick`, which includes it",
    "carvoice bench nlu [--all-models] [--set own|blind] [--cases FILE] [--confusions N] [--misses FILE] [--ray [ADDRESS]]":
        "minutes; tests/nlu/test_bench_nlu.py, and tests/bench/test_cluster.py for --ray",
    "carvoice bench nlu --ray --limit 60": "a minute or two; tests/bench/test_cluster.py runs two workers",
    "carvoice bench nlu --ray auto --all-models": "needs a Ray cluster; tests/bench/test_cluster.py runs a local one",
    "carvoice bench nlu --ray ray://head:10001 --cases mine.jsonl": "needs a Ray cluster and your own cases",
    "carvoice bench adversarial [--set FILE] [--spoken] [--speeds 0 60 120] [--check]":
        "minutes; .ci/run runs it with --check",
    "carvoice bench endpointing [--limit N]": "minutes of live replay; tests/speech/test_smart_endpointing.py",
    "carvoice bench e2e [--limit N]": "minutes of live replay; `bench all --quick` in .ci/run measures the same turns; "
                                      "tests/bench/test_end_to_end.py",
    "carvoice bench all [--quick] [--out DIR]": "half an hour; .ci/run runs it --quick",
    "carvoice bench compare A/report.json B/report.json": "needs two reports; tests/bench/test_compare.py",
    "carvoice text - --json --independent --no-speech < my_sentences.txt":
        "needs your file; tests/test_cli.py::test_independent_lines_share_no_context_and_no_speech_loads_no_voice",
    "carvoice bench nlu --cases my_cases.jsonl": "needs your file; tests/nlu/test_bench_nlu.py runs --cases",
    "carvoice bench nlu --intents packs/comfort --slm qwen2.5-coder-1.5b-instruct":
        "minutes with the 1.5B model; tests/packs/test_comfort_pack.py runs the pack with the 0.5B one",
    "carvoice train data --intents packs/comfort --run runs/comfort --size 4000":
        "minutes; tests/train/test_pack_training.py makes a pack's data",
    "carvoice train fit --intents packs/comfort --run runs/comfort --minutes 30": "half an hour",
    "carvoice train export --intents packs/comfort --run runs/comfort":
        "needs a trained run; tests/train/test_pack_training.py exports for a pack",
    "carvoice bench nlu --intents packs/comfort --slm runs/comfort/adapter": "needs a trained run",
    "carvoice bench soak [--quick]": "minutes; tests/hardening/test_soak.py",
    "carvoice bench wake [--quick]": "minutes; tests/wake/test_bench_wake.py runs it --quick",
    "carvoice train all --quick": "minutes of training; tests/train/test_quick_path.py",
    "carvoice test audio_samples/suites/*.yaml [--junit r.xml] [--json]": ".ci/run runs every suite",
    "carvoice train data --size 20000 --written carvoice/train/written --written-repeat 3 --run runs/q05":
        "minutes; tests/train/test_dataset.py",
    "carvoice train fit --run runs/q05 --epochs 2 --batch 32 --learning-rate 3e-4 --device cuda": "needs a GPU",
    "carvoice train fit --run runs/q05 --minutes 60": "an hour",
    "carvoice train export --run runs/q05": "needs a trained run; tests/train/test_quick_path.py",
    "carvoice train fit --run runs/more --from carvoice/models/adapters/qwen2.5-coder-0.5b-carvoice --minutes 30":
        "half an hour",
    "carvoice train fit --run runs/more --resume --minutes 30": "half an hour",
    "carvoice train data --teacher qwen2.5-coder-1.5b-instruct --run runs/q05": "hours with the 1.5B teacher",
    "carvoice models verify": "re-hashes every installed model (GBs); tests/models/test_store.py",
    "carvoice models remove NAME": "would delete an installed model; tests/models/test_store.py",
}


def test_every_readme_command_is_run_here_or_says_why_not():
    lines = readme_commands()
    assert sorted(set(lines)) == sorted(RUNS.keys() | NOT_RUN.keys())


@pytest.mark.parametrize("line", readme_commands())
def test_every_readme_command_parses(line):
    args = build_parser().parse_args(argv_of(line))
    assert hasattr(args, "handler")


@pytest.mark.parametrize("line", sorted(RUNS))
def test_readme_command_does_what_the_readme_says(line, workdir, default_slm_path, whisper_tiny_path,
                                                  piper_voice_path):
    if RUNS[line] is _says_why_without_microphone and _has_microphone():
        pytest.skip("a microphone is present: talk would wait for speech")
    as_run = line if line.startswith("printf") else shlex.join(["carvoice", *argv_of(line)])
    result = carvoice(as_run, workdir)
    assert "Traceback" not in result.stderr, result.stderr
    if RUNS[line] is not _says_why_without_microphone:
        assert result.returncode == 0, result.stderr
    RUNS[line](result, workdir)


def _has_microphone() -> bool:
    from carvoice.audio.devices import AudioDeviceError, list_devices

    try:
        return any(device.input_channels > 0 for device in list_devices())
    except AudioDeviceError:  # no PortAudio at all
        return False


def test_the_sample_turn_is_what_a_turn_prints(workdir, default_slm_path, piper_voice_path):
    sample = next(block for block in _blocks("") if block.startswith("» "))
    said = sample.splitlines()[0].removeprefix("» ")
    printed = carvoice(f'carvoice text "{said}"', workdir).stdout

    def masked(text: str) -> list[str]:
        return [re.sub(r"\d+\.\d+s", "N.NNs", line) for line in text.strip().splitlines()]

    assert masked(printed) == masked(sample)


def test_the_readme_config_is_valid_and_names_every_setting():
    (toml_block,) = _blocks("toml")
    config = tomllib.loads(toml_block)
    assert config.get("slm_model", Settings().slm_model) == Settings().slm_model, "the example swaps the default"
    Settings(**config)
    unnamed = [name for name in Settings.model_fields if not re.search(rf"\b{name}\b", toml_block)]
    assert not unnamed, f"settings the README's carvoice.toml never names: {unnamed}"
