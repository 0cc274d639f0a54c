"""Shared terminal output: progress of long work, tables that keep every row's name."""

import io
import os
import subprocess
import sys

import pytest

from pydantic import BaseModel
from rich.console import Console

from carvoice.cli.output import RowPrinter, WorkProgress

MODELS = ["qwen2.5-coder-0.5b-carvoice", "qwen2.5-coder-0.5b-instruct", "qwen2.5-coder-1.5b-instruct"]


def test_work_progress_in_a_log_says_when_a_task_starts_and_at_each_quarter():
    log = io.StringIO()
    with WorkProgress(Console(file=log, force_terminal=False)) as tasks:
        tasks.note("loading qwen2.5-coder-0.5b-carvoice")
        advance = tasks("qwen2.5-coder-0.5b-carvoice own", 8)
        for _ in range(8):
            advance()
    assert log.getvalue().splitlines() == [
        "loading qwen2.5-coder-0.5b-carvoice", *(f"qwen2.5-coder-0.5b-carvoice own: {n}/8" for n in (0, 2, 4, 6, 8))]


class WideRow(BaseModel):
    model: str
    exact_match: float
    intent_accuracy: float
    slot_f1: float
    oos_precision: float
    oos_recall: float
    latency_p50_s: float
    latency_p95_s: float
    prompt_tokens_mean: float
    output_tokens_mean: float
    ask_share: float
    ask_needed: float


def test_a_wide_table_keeps_every_model_name_whole(capsys):
    rows = RowPrinter(False, "understanding", {field: field.replace("_", " ") for field in WideRow.model_fields},
                      threads=2)
    for name in MODELS:
        rows.add(WideRow(model=name, **{field: 0.5 for field in list(WideRow.model_fields)[1:]}))
    rows.finish("caption")
    printed = capsys.readouterr().out
    assert all(name in printed for name in MODELS)
    assert printed.count("50.0%") == 3 * 7 and "…" not in printed  # piped: no figure cut either
    assert "machine: " in printed and "2 threads per model" in printed  # the figures name their machine


@pytest.mark.parametrize(("flags", "bar_shown"), [([], False), (["--verbose"], True)])
def test_library_progress_bars_only_with_verbose(flags, bar_shown):
    script = ("import sys; from carvoice.cli import main; main(['config', *sys.argv[1:]]); "
              "from tqdm.auto import tqdm; list(tqdm(range(3), desc='library bar'))")
    quiet = ("TQDM_DISABLE", "HF_HUB_DISABLE_PROGRESS_BARS", "TRANSFORMERS_VERBOSITY")  # an earlier main() set them
    env = {name: value for name, value in os.environ.items() if name not in quiet}
    result = subprocess.run([sys.executable, "-c", script, *flags], capture_output=True, text=True, env=env)
    assert ("library bar" in result.stderr) == bar_shown
