"""Measuring the speech stages: WER, latency and real-time factor of STT; load time, time to first audio
and real-time factor of TTS. `carvoice bench stt|tts` prints these reports."""
