"""Where spoken replies go: a speaker, WAV files, or nowhere (synthesised and timed, not heard).

    output, no_speaker = reply_output_for(settings)      # the speaker, or SilentOutput and the reason
    conversation = assistant.converse(reply_output=WavOutput(Path("reply.wav")))
    speaker.heard_by(wake)        # a SpeakerOutput: the wake word never wakes on it, and its earcon plays on it
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from carvoice.audio.playback import PlaybackResult, Player, write_wav
from carvoice.audio.wake import WakeWord
from carvoice.config import Settings
from carvoice.errors import CarvoiceError
from carvoice.pipeline import ReplyOutput
from carvoice.tts import SpeechChunk


class SilentOutput:
    """Synthesise every chunk (so timings are real) and drop the audio."""

    def play(self, chunks: Iterator[SpeechChunk], turn_id: int) -> float | None:
        for _ in chunks:
            pass
        return None


class SpeakerOutput:
    def __init__(self, player: Player) -> None:
        self.player = player
        self._play: Callable[[Iterator[SpeechChunk]], PlaybackResult] = player.play

    def play(self, chunks: Iterator[SpeechChunk], turn_id: int) -> float | None:
        return self._play(chunks).first_audio_at

    def heard_by(self, wake: WakeWord) -> None:
        """What this speaker plays is known to `wake`, so the reply heard back never wakes it; the wake word's
        earcon plays here."""
        self._play = wake.speaks_on(self.player.play)


class WavOutput:
    """Each turn's reply in its own file: `reply.wav` for one turn, `reply-2.wav` etc. for the later ones."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.written: list[Path] = []

    def play(self, chunks: Iterator[SpeechChunk], turn_id: int) -> float | None:
        path = self.path if not self.written else self.path.with_name(f"{self.path.stem}-{turn_id}{self.path.suffix}")
        self.written.append(write_wav(chunks, path).path)
        return None


def reply_output_for(settings: Settings, out: Path | None = None) -> tuple[ReplyOutput, str | None]:
    """WAV files when asked, else the speaker; without a speaker, replies are synthesised and timed, not heard.
    The second value says why there is no speaker, when there is none."""
    if out is not None:
        return WavOutput(out), None
    try:
        return SpeakerOutput(Player(settings.output_device)), None
    except CarvoiceError as exc:
        return SilentOutput(), f"no speaker ({exc}); replies are synthesised but not played"
