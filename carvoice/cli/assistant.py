"""`carvoice text`, `carvoice run`, `carvoice demo`: the assistant end to end on typed text or audio files."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from carvoice.cli.output import PullDisplay, print_turn
from carvoice.config import Settings
from carvoice.errors import CarvoiceError

if TYPE_CHECKING:  # the pipeline is imported when a command runs, so that `carvoice --help` stays fast
    from carvoice.assistant.assistant import Assistant
    from carvoice.assistant.conversation import Conversation
    from carvoice.audio.segment import AudioSegment
    from carvoice.audio.speculation import SmartEndOptions
    from carvoice.audio.wake import WakeWord
    from carvoice.pipeline import ReplyOutput


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    text = subparsers.add_parser("text", parents=[common], help="type commands instead of speaking them",
                                 description="Understand typed commands and act on one simulated car, "
                                 "turn by turn. Use - to read one command per line from standard input.")
    text.add_argument("words", nargs="+", metavar="TEXT", help="the command, or - for standard input")
    _add_turn_options(text)
    text.add_argument("--independent", action="store_true",
                      help="each line a new conversation on a new car (no follow-ups between lines): for "
                           "evaluating a list of your own sentences")
    text.add_argument("--no-speech", action="store_true",
                      help="do not load the voice or synthesise replies: understanding and acting only")
    text.set_defaults(handler=run_text)

    run = subparsers.add_parser("run", parents=[common], help="one turn per audio file",
                                description="Transcribe, understand and act on each audio file in turn "
                                "(WAV, FLAC, OGG; any rate), all on one simulated car. With --wake-word a file is "
                                "heard as the microphone would be: the command after the wake word is its turn, a "
                                "file without the wake word has none.")
    run.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _add_turn_options(run)
    run.set_defaults(handler=run_files)

    talk = subparsers.add_parser("talk", parents=[common], help="talk to the car through the microphone",
                                 description="Listen on the microphone (hands-free, voice activity detection), "
                                 "act on each command and speak the reply; Ctrl-C to stop. With --wake-word "
                                 "okay_nabu only what follows the wake word is a command (in the same breath or "
                                 "after a pause).")
    talk.add_argument("--json", action="store_true", help="one JSON object per turn")
    talk.add_argument("--fixed-endpointing", action="store_true",
                      help="end each command after a fixed 0.6 s of silence, instead of as soon as what was "
                      "said so far is understood as a whole command")
    talk.add_argument("--barge-in", action="store_true",
                      help="keep listening while a reply plays and stop it when you speak (needs a headset or "
                      "an echo-cancelling microphone, or the assistant hears itself)")
    talk.set_defaults(handler=run_talk)

    demo = subparsers.add_parser("demo", parents=[common], help="the live demo on the default models",
                                 description="Play the scripted demo commands from audio_samples/suites/demo.yaml "
                                 "through the real pipeline, printing each turn.")
    demo.add_argument("--json", action="store_true", help="one JSON object per turn")
    demo.set_defaults(handler=run_demo)


def _add_turn_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per turn, per line")
    parser.add_argument("--out", type=Path, metavar="WAV", help="write the spoken replies to this WAV file "
                        "(later turns to NAME-2.wav, ...)")


def run_text(args: argparse.Namespace, settings: Settings) -> int:
    if args.no_speech and args.out is not None:
        raise CarvoiceError("--out writes the spoken replies; it cannot go with --no-speech")
    lines = _stdin_lines() if args.words == ["-"] else [" ".join(args.words)]
    assistant, reply_output, _ = _loaded(settings, speech_in=False, speech_out=not args.no_speech, out=args.out)
    conversation = None
    for line in lines:
        if conversation is None or args.independent:
            conversation = assistant.converse(reply_output=reply_output)
        _show(conversation.text(line), args.json)
    return 0


def run_files(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.audio.decode import load_audio
    from carvoice.cli.speech import require_files

    require_files(args.files)
    conversation = _conversation(settings, speech_in=True, out=args.out)
    failures = 0
    for path in args.files:
        try:
            audio = load_audio(path)
        except CarvoiceError as exc:
            print(f"carvoice: {exc}", file=sys.stderr)
            failures += 1
            continue
        if conversation.wake is None:
            _show(conversation.audio(audio), args.json)
        else:
            _turn_after_wake(conversation, audio, path, args.json)
    return 1 if failures else 0


def _turn_after_wake(conversation: Conversation, audio: AudioSegment, path: Path, as_json: bool) -> None:
    """The file heard behind the wake word as `carvoice talk` hears it: the command after the wake word is one
    turn; without the wake word there is none, and that is said."""
    heard = conversation.after_wake(audio)
    if heard.record is not None:
        _show(heard.record, as_json)
    elif as_json:
        print(json.dumps({"file": str(path), "wake_word": heard.phrase, "woken": heard.woken is not None,
                          "turn": None}), flush=True)
    else:
        print(f"carvoice: {path}: {heard.why_no_turn}", file=sys.stderr)


def run_talk(args: argparse.Namespace, settings: Settings) -> int:
    from carvoice.assistant.reply_audio import reply_output_for
    from carvoice.audio.events import ignore_events
    from carvoice.audio.mic import Microphone
    from carvoice.audio.speculation import SmartEndOptions
    from carvoice.talk import HandsFreeTalk

    reply = reply_output_for(settings)
    player = getattr(reply[0], "player", None) if args.barge_in else None
    # no microphone: a clear CarvoiceError before the models load
    microphone = Microphone(settings.input_device, on_event=player.stop_on_speech if player else ignore_events)
    smart = None if args.fixed_endpointing else SmartEndOptions()
    conversation = _conversation(settings, speech_in=True, reply=reply, smart=smart)
    wake = f"say {conversation.wake.model.phrase!r}, then a command" if conversation.wake else "say a command"
    print(f"listening; {wake} (Ctrl-C to stop)", file=sys.stderr)
    HandsFreeTalk(conversation, microphone, lambda record: _show(record, args.json), barge_in=player is not None,
                  on_problem=lambda problem: print(f"carvoice: {problem}", file=sys.stderr)).run()
    return 0


def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    """The dashboard in a terminal; elsewhere (a pipe, a CI log) the same turns printed one by one."""
    if sys.stdout.isatty() and sys.stdin.isatty() and not args.json:
        from carvoice.dashboard import run_dashboard

        return run_dashboard(settings, demo=True)
    from carvoice.demo import load_demo_script, play_step

    script = load_demo_script()
    conversation = _conversation(settings, speech_in=True, out=None)
    if not args.json:
        print(f"carvoice demo: {script.name} ({len(script.recordings)} spoken commands)\n")
    for recording in script.recordings:
        _show(play_step(conversation, script, recording), args.json)
    return 0


def _show(record, as_json: bool) -> None:
    if as_json:
        print(json.dumps(record.summary()), flush=True)
    else:
        print_turn(record)


def _stdin_lines() -> Iterable[str]:
    """The non-empty lines of standard input; bytes that are not UTF-8 are shown as U+FFFD, with a warning."""
    for number, raw in enumerate(sys.stdin.buffer, start=1):
        line = raw.decode("utf-8", errors="replace").strip()
        if "\ufffd" in line and "\ufffd".encode() not in raw:
            print(f"carvoice: line {number} of standard input is not valid UTF-8; the bad bytes are read as "
                  f"\N{REPLACEMENT CHARACTER}: {line!r}", file=sys.stderr)
        if line:
            yield line


def _conversation(settings: Settings, *, speech_in: bool, out: Path | None = None,
                  reply: tuple[ReplyOutput, str | None] | None = None,
                  smart: SmartEndOptions | None = None) -> Conversation:
    """The configured models loaded (pulled first when missing, with progress), one conversation on a new car."""
    assistant, reply_output, wake = _loaded(settings, speech_in=speech_in, out=out, reply=reply)
    return assistant.converse(reply_output=reply_output, smart=smart, wake=wake)


def _loaded(settings: Settings, *, speech_in: bool, speech_out: bool = True, out: Path | None = None,
            reply: tuple[ReplyOutput, str | None] | None = None) -> tuple[Assistant, ReplyOutput | None, WakeWord | None]:
    """The configured models loaded, where replies go (None without `speech_out`), and the wake word, if one is
    set and speech comes in."""
    from carvoice.assistant.reply_audio import reply_output_for
    from carvoice.assistant.startup import load_assistant
    from carvoice.assistant.wake_word import load_wake_word

    reply_output, no_speaker = (reply or reply_output_for(settings, out)) if speech_out else (None, None)
    if no_speaker:
        print(f"carvoice: {no_speaker}", file=sys.stderr)
    with PullDisplay() as display:
        wake = load_wake_word(settings, progress=display) if speech_in else None
        assistant = load_assistant(settings, speech_in=speech_in, speech_out=speech_out, progress=display)
    print(assistant.describe_models(), file=sys.stderr)
    return assistant, reply_output, wake
