"""The model card of a trained adapter (MODEL_CARD.md): what it was trained on, how, and how well it does."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from carvoice.train.dataset import DatasetReport
from carvoice.train.fit import FitResult

BUILTIN_DATA = ("from the phrasebook (carvoice/train/phrases.yaml) for the intents of intents/*.yaml, with names "
                "from the vehicle's media library and city map")
TARGET_WORDS = {"attention": "attention projections (q/k/v/o)",
                "all": "attention (q/k/v/o) and feed-forward (gate/up/down) projections"}


@dataclass
class ModelCard:
    name: str
    base: str
    data: DatasetReport
    fit: FitResult
    metrics: dict[str, float] = field(default_factory=dict)  # from `carvoice bench nlu`, when measured
    notes: list[str] = field(default_factory=list)
    data_source: str = BUILTIN_DATA  # where the examples came from, after "N synthetic examples"
    held_out: str = "intents/eval"  # the evaluation sets the examples were kept away from

    def markdown(self) -> str:
        options = self.fit.options
        lines = [
            f"# {self.name}", "",
            f"A LoRA adapter for `{self.base}`, trained by `carvoice train` to turn what a driver says into the "
            "NLU stage's function calls with the short prompt (no catalog listing), under the same output grammar.",
            "", "## Training data", "",
            f"- {self.data.kept - self.data.kinds.get('written', 0)} synthetic examples {self.data_source}, "
            f"labelled by construction ({self.data.duplicates_dropped} duplicates dropped).",
            *_written(self.data),
            f"- Overlap with the evaluation set ({self.held_out}, normalised text): **{self.data.eval_overlap}** "
            f"({self.data.eval_overlap_dropped} generated texts equal to an eval text or at least "
            f"{self.data.near_threshold:.0%} similar to one were dropped).",
            f"- Kinds: {_counts(self.data.kinds)}.",
            f"- Styles applied: {_counts(self.data.styles)}.",
            "", "## Training", "",
            f"- LoRA rank {options.get('rank')}, alpha {options.get('alpha')}, on the "
            f"{TARGET_WORDS.get(options.get('targets', 'attention'), options.get('targets'))}; "
            f"learning rate {options.get('learning_rate')}, batch {options.get('batch_size')}, seed {options.get('seed')}, "
            f"on {options.get('device', 'cpu')}.",
            f"- {self.fit.steps} steps, {self.fit.examples_seen} examples seen, {self.fit.seconds_per_step:.1f} s per "
            f"step, wall time {self.fit.wall_s / 60:.1f} min; final loss {self.fit.final_loss:.3f}.",
        ]
        if self.metrics:
            lines += ["", "## Measured", "", "| metric | value |", "|---|---|"]
            lines += [f"| {key} | {_metric(key, value)} |" for key, value in self.metrics.items()]
        if self.notes:
            lines += ["", "## Notes", ""] + [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"

    def write(self, path: Path) -> Path:
        path.write_text(self.markdown(), encoding="utf-8")
        return path


def _written(data: DatasetReport) -> list[str]:
    """The line on the sentences people wrote (`train data --written`), if the set has any."""
    if not data.written_kept:
        return []
    return [f"- {data.written_kept} sentences people wrote with their labels (`--written`), "
            f"{data.kinds.get('written', 0)} examples with their repeats ({data.written_dropped} equal or near to an "
            f"eval text or to a generated example dropped)."]


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items()) or "none"


def _metric(key: str, value: float) -> str:
    if isinstance(value, float) and key.endswith("_s"):
        return f"{value * 1000:.0f} ms"
    if isinstance(value, float):
        return f"{value:.1%}" if value <= 1 else f"{value:.1f}"
    return str(value)


def load_fit_result(peft_folder: Path) -> FitResult:
    data = json.loads((peft_folder / "fit.json").read_text(encoding="utf-8"))
    return FitResult(**data)
