"""Cold start, end to end and peak memory, measured in a fresh Python process.

A fresh process is the only place where loading is really cold for the process and where peak RSS is the
assistant's alone (the benchmark process holds every model of the matrix). The parent sends the settings
and the command ids on stdin; the child answers with one JSON line on stdout.

This module imports nothing heavy at the top, so the child's clock starts before the stages' imports.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Sequence

from carvoice.errors import CarvoiceError


class FreshProcessError(CarvoiceError):
    pass


def run_fresh(settings, commands: Sequence, timeout_s: float = 3600):
    """The `EndToEnd` section: cold start, the commands through the pipeline, and peak RSS, in a new process."""
    from carvoice.bench.report.schema import EndToEnd

    request = {"settings": settings.model_dump(mode="json"), "commands": [c.id for c in commands]}
    try:
        done = subprocess.run([sys.executable, "-m", __name__], input=json.dumps(request), capture_output=True,
                              text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired as exc:
        raise FreshProcessError(f"the end-to-end run took over {timeout_s:.0f} s and was stopped") from exc
    if done.returncode != 0 or not done.stdout.strip():
        raise FreshProcessError(f"the end-to-end run (a fresh process) failed with exit code {done.returncode}:"
                                f"\n{done.stderr[-2000:]}")
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return EndToEnd(**answer)


def _child() -> None:
    started = time.perf_counter()
    request = json.loads(sys.stdin.read())
    from carvoice.assistant.startup import load_assistant
    from carvoice.bench.report.e2e import describe_endpointing, measure_end_to_end
    from carvoice.bench.samples import load_commands
    from carvoice.config import Settings

    # a benchmark measures how long turns take on this machine: a slow one must not cut them at the deadline
    settings = Settings(**request["settings"]).model_copy(update={"nlu_timeout_s": 600.0})
    assistant = load_assistant(settings, speech_in=True)
    cold_start = {"total_s": time.perf_counter() - started,
                  "per_model_s": {f"{m.role} {m.name}": m.load_s for m in assistant.models}}
    by_id = {command.id: command for command in load_commands()}
    commands = [by_id[command_id] for command_id in request["commands"]]
    turns = measure_end_to_end(assistant, commands)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux counts in KiB
    print(json.dumps({"cold_start": cold_start, "turns": [t.model_dump() for t in turns],
                      "endpointing": describe_endpointing(),
                      "peak_rss_mb": peak_rss_mb}))


if __name__ == "__main__":
    _child()
