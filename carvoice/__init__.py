"""carvoice: an offline automotive voice assistant simulator.

One turn flows through small stages: audio in -> speech-to-text -> understanding (on-board SLM)
-> the simulated vehicle -> a spoken reply. Each stage lives in its own module.
"""

__version__ = "0.1.0"
