"""`carvoice stt`, `carvoice say`, `carvoice listen` and `carvoice devices`: the speech stages on their own."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from carvoice.config import Settings
from carvoice.errors import CarvoiceError
from carvoice.models import Role

FALLBACK_REPLY_FILE = Path("reply.wav")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    stt = subparsers.add_parser("stt", parents=[common], help="transcribe audio files",
                                description="Transcribe audio files (WAV, FLAC, OGG, MP3, ...; any rate, mono or "
                                "stereo) with the speech-to-text model.")
    stt.add_argument("files", nargs="+", type=Path, metavar="FILE")
    stt.add_argument("--json", action="store_true", help="one JSON object per file, with text and timings")
    add_stt_options(stt)
    stt.set_defaults(handler=transcribe_files)

    say = subparsers.add_parser("say", parents=[common], help="speak text with the TTS voice",
                                description="Synthesise text sentence by sentence and play it, or write a WAV.")
    say.add_argument("text")
    say.add_argument("--out", type=Path, metavar="FILE.wav",
                     help=f"write a WAV instead of playing (without a speaker: {FALLBACK_REPLY_FILE}, or "
                     f"{FALLBACK_REPLY_FILE.stem}-2{FALLBACK_REPLY_FILE.suffix} ... when it exists)")
    say.set_defaults(handler=say_text)

    listen = subparsers.add_parser("listen", parents=[common], help="transcribe what the microphone hears",
                                   description="Hands-free: each spoken command is endpointed by VAD and "
                                   "transcribed, until Ctrl-C (or the end of a --replay file).")
    listen.add_argument("--end-silence", type=float, default=0.6, metavar="S",
                        help="seconds of silence that end a command (default 0.6)")
    listen.add_argument("--replay", type=Path, metavar="FILE",
                        help="play an audio file into the microphone path, in real time, instead of a device")
    add_stt_options(listen)
    listen.set_defaults(handler=listen_to_microphone)

    devices = subparsers.add_parser("devices", parents=[common], help="list microphones and speakers")
    devices.set_defaults(handler=list_audio_devices)


def add_stt_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("speech-to-text options")
    group.add_argument("--vocabulary", nargs="*", default=[], metavar="PHRASE",
                       help="domain phrases to favour (artist, street names, ...)")
    group.add_argument("--prompt", help="text whisper takes as what was said before (Moonshine ignores it)")
    group.add_argument("--beam", type=int, default=5, help="beam size (1 is greedy; default 5; whisper only: "
                       "Moonshine decodes greedily)")
    group.add_argument("--window", type=float, default=30.0, metavar="S",
                       help="encoder window in seconds: 30 is whisper's own (default); 12 is ~4x faster to "
                       "encode, as accurate on clean speech, worse in noise (whisper only: Moonshine encodes the "
                       "speech alone)")


def stt_options(args: argparse.Namespace, settings: Settings):
    from carvoice.stt import SttOptions

    try:
        return SttOptions(threads=settings.threads, vocabulary=tuple(args.vocabulary), prompt=args.prompt,
                          beam_size=args.beam, encoder_window_s=args.window)
    except ValueError as error:
        raise CarvoiceError(f"invalid speech-to-text option: {error}") from error


def model_path(role: Role, spec: str, settings: Settings) -> Path:
    """The model's files, pulled into the store first if it is a catalog model not yet there."""
    from carvoice.assistant.startup import resolve_model
    from carvoice.cli.output import PullDisplay

    with PullDisplay() as display:
        return resolve_model(settings, role, spec, display).path


def transcribe_files(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.audio.decode import AudioDecodeError, load_audio
    from carvoice.stt import load_speech_to_text

    require_files(args.files)
    stt = load_speech_to_text(model_path(Role.STT, settings.stt_model, settings), stt_options(args, settings))
    failures = 0
    for path in args.files:
        try:
            transcript = stt.transcribe(load_audio(path))
        except AudioDecodeError as error:
            failures += 1
            _report_failure(path, error, args.json)
            continue
        if args.json:
            print(json.dumps({"file": str(path), **transcript.model_dump(exclude={"source", "speech_ended_at"})}))
        else:
            note = f"  [{transcript.rejected}]" if transcript.rejected else ""
            print(f"{path}: {transcript.text}{note}  ({transcript.timings.total_s * 1000:.0f} ms)")
    return 1 if failures else 0


def _report_failure(path: Path, error: CarvoiceError, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"file": str(path), "error": str(error)}))
    else:
        print(f"carvoice: error: {error}", file=sys.stderr)


def say_text(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.tts import TextToSpeech

    player = None if args.out else _speaker_or_none(settings)
    out = args.out or (None if player is not None else _unused_name(FALLBACK_REPLY_FILE))
    if player is None and args.out is None:
        print(f"carvoice: writing {out} instead", file=sys.stderr)
    tts = TextToSpeech(model_path(Role.TTS, settings.tts_voice, settings))
    stream = tts.stream(args.text)
    if player is not None:
        player.play(stream)
    else:
        from carvoice.audio.playback import write_wav

        result = write_wav(stream, out)
        print(f"wrote {result.path} ({result.duration_s:.2f} s at {result.sample_rate} Hz)")
    timings = stream.timings
    print(f"first audio after {timings.first_audio_s * 1000:.0f} ms; {timings.audio_s:.2f} s of speech "
          f"synthesised in {timings.total_s:.2f} s (real-time factor {timings.real_time_factor:.3f})")
    return 0


def _speaker_or_none(settings: Settings):
    """The configured speaker, or None (with a note on stderr) when there is none to play through."""
    from carvoice.audio.devices import AudioDeviceError
    from carvoice.audio.playback import Player

    try:
        return Player(settings.output_device)
    except AudioDeviceError as error:
        print(f"carvoice: {error}", file=sys.stderr)
        return None


def _unused_name(path: Path) -> Path:
    """`path`, or `NAME-2.wav`, `NAME-3.wav`, ... when it exists: a file nobody named is never overwritten."""
    candidate, number = path, 2
    while candidate.exists():
        candidate, number = path.with_name(f"{path.stem}-{number}{path.suffix}"), number + 1
    return candidate


def require_files(paths: list[Path]) -> None:
    """Refuse missing input files at once, before any model loads (seconds), not after."""
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise CarvoiceError(f"no such file: {', '.join(missing)}")


def listen_to_microphone(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.audio.endpoint import EndpointOptions
    from carvoice.stt import load_speech_to_text

    microphone = _microphone(args, settings, EndpointOptions(end_silence_s=args.end_silence))
    stt = load_speech_to_text(model_path(Role.STT, settings.stt_model, settings), stt_options(args, settings))
    print("listening; speak a command (Ctrl-C to stop)", file=sys.stderr)
    while (utterance := microphone.listen()) is not None:
        transcript = stt.transcribe(utterance.audio)
        since_speech_end = time.monotonic() - (utterance.audio.speech_ended_at or time.monotonic())
        print(f"{transcript.text or '[' + (transcript.rejected or 'nothing') + ']'}  (speech-to-text "
              f"{transcript.timings.total_s * 1000:.0f} ms; {since_speech_end * 1000:.0f} ms after the end of "
              f"speech, {args.end_silence * 1000:.0f} ms of it waiting for silence)", flush=True)
    return 0


def _microphone(args: argparse.Namespace, settings: Settings, options):
    from carvoice.audio.mic import Microphone, StreamFormat

    if args.replay is None:
        return Microphone(settings.input_device, options)
    require_files([args.replay])
    from carvoice.audio.decode import load_audio
    from carvoice.audio.replay import replay_stream_factory
    from carvoice.audio.segment import SAMPLE_RATE

    audio = load_audio(args.replay)
    return Microphone(options=options, stream_factory=replay_stream_factory(audio.samples, realtime=True),
                      stream_format=StreamFormat(SAMPLE_RATE, 1, None))


def list_audio_devices(args: argparse.Namespace, settings: Settings) -> int:
    from rich.table import Table

    from carvoice.audio.devices import list_devices
    from carvoice.cli.output import stdout_console

    devices = list_devices()
    if not devices:
        print("no audio devices: PortAudio found no microphone and no speaker on this machine. "
              "Use audio files (`carvoice stt FILE`) and `carvoice say TEXT --out FILE.wav`.")
        return 0
    table = Table(title="audio devices (choose with --input-device / --output-device, by index or name)")
    for column in ("index", "name", "host API", "inputs", "outputs", "rate", "default"):
        table.add_column(column)
    for d in devices:
        default = ", ".join(k for k, flag in (("input", d.is_default_input), ("output", d.is_default_output)) if flag)
        table.add_row(str(d.index), d.name, d.host_api, str(d.input_channels), str(d.output_channels),
                      f"{d.default_sample_rate} Hz", default)
    stdout_console().print(table)
    return 0
