"""Audio in and out: decoding files, the microphone with VAD endpointing, playback, and cabin noise.

Everything inside carvoice exchanges audio as an `AudioSegment`: 16 kHz mono float32 samples in [-1, 1].
"""

from carvoice.audio.segment import SAMPLE_RATE, AudioSegment

__all__ = ["SAMPLE_RATE", "AudioSegment"]
