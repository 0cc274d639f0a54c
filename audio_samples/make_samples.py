"""Render audio_samples/commands.yaml to 16 kHz mono 16-bit WAVs in audio_samples/wav/.

    python audio_samples/make_samples.py [--piper-voice PATH.onnx] [--only ID ...]

The piper voice defaults to the configured one from the model store (pulled if needed); espeak-ng is
Debian's `espeak-ng` package.

Reproducible: piper's sampling noise is seeded per command id (onnxruntime's seed is read when the
session is created, so the voice is reloaded for each command), and espeak-ng's speaking rate is drawn
from the same seed. Leading and trailing silence is cut to fixed margins and every file is peak-normalised,
so the set stays small. Noisy variants are not stored: carvoice.bench.samples mixes them at run time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnxruntime
import soundfile
from piper import PiperVoice

from carvoice.audio.decode import from_array, load_audio
from carvoice.audio.segment import SAMPLE_RATE
from carvoice.bench.samples import COMMANDS_FILE, WAV_DIR, SpokenCommand, load_commands, wav_path
from carvoice.config import builtin_catalog, load_settings
from carvoice.models import ModelStore, Role, resolve

LEAD_SILENCE_S = 0.2
TAIL_SILENCE_S = 0.3
PEAK = 0.7
ESPEAK_WORDS_PER_MINUTE = (150, 180)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--piper-voice", type=Path, help="the piper .onnx voice (default: the configured voice)")
    parser.add_argument("--commands", type=Path, default=COMMANDS_FILE)
    parser.add_argument("--out", type=Path, default=WAV_DIR)
    parser.add_argument("--only", nargs="*", help="render only these command ids")
    args = parser.parse_args(argv)
    commands = [c for c in load_commands(args.commands) if not args.only or c.id in args.only]
    piper_voice = args.piper_voice or configured_piper_voice()
    args.out.mkdir(parents=True, exist_ok=True)
    for command in commands:
        samples = tidy(render(command, piper_voice))
        soundfile.write(wav_path(command, args.out), samples, SAMPLE_RATE, subtype="PCM_16")
    total = sum(wav_path(c, args.out).stat().st_size for c in commands)
    print(f"wrote {len(commands)} files, {total / 1e6:.2f} MB, to {args.out}")
    return 0


def configured_piper_voice() -> Path:
    settings = load_settings()
    return resolve(Role.TTS, settings.tts_voice, ModelStore(settings.home, builtin_catalog())).path


def render(command: SpokenCommand, piper_voice: Path) -> np.ndarray:
    if command.engine == "piper":
        if command.voice_name not in piper_voice.name:
            raise SystemExit(f"{command.id} wants piper voice {command.voice_name!r}, got {piper_voice}")
        return render_piper(command, piper_voice)
    return render_espeak(command)


def render_piper(command: SpokenCommand, voice_path: Path) -> np.ndarray:
    onnxruntime.set_seed(command.stable_seed % 2**31)
    voice = PiperVoice.load(voice_path)
    chunks = list(voice.synthesize(command.text))
    audio = np.concatenate([chunk.audio_float_array for chunk in chunks])
    return from_array(audio, chunks[0].sample_rate, command.id).samples


def render_espeak(command: SpokenCommand) -> np.ndarray:
    rate = np.random.default_rng(command.stable_seed).integers(*ESPEAK_WORDS_PER_MINUTE)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "speech.wav"
        subprocess.run(
            ["espeak-ng", "-v", command.voice_name, "-s", str(rate), "-w", str(out), command.text], check=True
        )
        return load_audio(out).samples


def tidy(samples: np.ndarray, threshold: float = 0.003) -> np.ndarray:
    """Cut silence to fixed margins around the loud part and normalise the peak."""
    loud = np.flatnonzero(np.abs(samples) > threshold * np.abs(samples).max())
    speech = samples[loud[0] : loud[-1] + 1]
    lead = np.zeros(round(LEAD_SILENCE_S * SAMPLE_RATE), dtype=np.float32)
    tail = np.zeros(round(TAIL_SILENCE_S * SAMPLE_RATE), dtype=np.float32)
    return np.concatenate([lead, PEAK * speech / np.abs(speech).max(), tail])


if __name__ == "__main__":
    sys.exit(main())
