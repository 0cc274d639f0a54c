"""Text-to-speech benchmark: voice load time, time to first audio and real-time factor.

The replies are typical assistant answers; each is synthesised as a stream (what the pipeline does), once
more without cutting the first sentence at a clause, to show what that cut is worth, and once more as a reply
the car said before (its pieces kept as audio).

    run_tts_bench("piper-en_US-joe-medium", voice_path, print)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from carvoice.tts import TextToSpeech

REPLIES = (
    "Okay.",
    "Done.",
    "Setting the temperature to twenty two degrees.",
    "Turning on the defrost for the windshield.",
    "Playing Kind of Blue by Miles Davis.",
    "Navigating to Baker Street, you will arrive in about twelve minutes.",
    "I have set the driver side to twenty one degrees and the passenger side to twenty three degrees.",
    "Sorry, I can't open the trunk while driving. Is there anything else I can do?",
    "There is heavy traffic on the motorway, so I found a faster route through the city centre.",
    "The nearest charging station is two kilometres away. Shall I take you there?",
)
UNSPLIT_FIRST_SENTENCE = 10_000


class TtsBenchRow(BaseModel):
    voice: str
    variant: str
    replies: int
    load_s: float
    first_audio_p50_s: float
    first_audio_p95_s: float
    first_audio_max_s: float
    real_time_factor: float


def run_tts_bench(
    voice_name: str, voice_path: Path, on_row: Callable[[TtsBenchRow], None], replies: Sequence[str] = REPLIES
) -> None:
    tts = TextToSpeech(voice_path, cached_pieces=0)  # each reply synthesised afresh in the first two variants
    streamed = tts.first_chunk_words
    variants = (("streamed", streamed, 0), ("whole-sentences", UNSPLIT_FIRST_SENTENCE, 0),
                ("said before", streamed, len(replies) * 4))
    for variant, first_chunk_words, cached_pieces in variants:
        tts.first_chunk_words, tts.cached_pieces = first_chunk_words, cached_pieces
        if cached_pieces:
            for reply in replies:
                tts.synthesize(reply)
        timings = [tts.synthesize(reply)[1] for reply in replies]
        first = [t.first_audio_s or 0.0 for t in timings]
        on_row(TtsBenchRow(
            voice=voice_name, variant=variant, replies=len(replies), load_s=tts.load_s,
            first_audio_p50_s=float(np.percentile(first, 50)), first_audio_p95_s=float(np.percentile(first, 95)),
            first_audio_max_s=max(first),
            real_time_factor=sum(t.total_s for t in timings) / sum(t.audio_s for t in timings),
        ))
