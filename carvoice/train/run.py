"""The three steps of `carvoice train`, each reading what the one before wrote into one run folder:

    <run>/train.jsonl, data_report.json   data: generated (and optionally teacher-filtered) examples
    <run>/peft/                            fit: the LoRA adapter in peft format, fit.json (losses, timing)
    <run>/adapter/                         export: adapter.gguf, slm.json (base + adapter + prompt), MODEL_CARD.md
                                           -> `carvoice --slm <run>/adapter ...` loads it
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from carvoice.models.recipe import SlmRecipe, write_recipe
from carvoice.nlu.catalog import IntentCatalog
from carvoice.train.card import ModelCard, load_fit_result
from carvoice.train.dataset import DatasetReport, GenerationOptions, generate_dataset, read_examples, write_examples
from carvoice.train.encode import STUDENT_PROMPT
from carvoice.train.export import export_lora
from carvoice.train.fit import FitOptions, FitResult, fit

Log = Callable[[str], None]


@dataclass(frozen=True)
class RunFolder:
    path: Path

    @property
    def examples(self) -> Path:
        return self.path / "train.jsonl"

    @property
    def data_report(self) -> Path:
        return self.path / "data_report.json"

    @property
    def peft(self) -> Path:
        return self.path / "peft"

    @property
    def adapter(self) -> Path:
        return self.path / "adapter"


def make_data(run: RunFolder, options: GenerationOptions, catalog: IntentCatalog, log: Log,
              teacher: Callable[[list], tuple[list, object]] | None = None) -> DatasetReport:
    """Generate the set (and let a teacher filter or relabel it); writes train.jsonl and data_report.json."""
    examples, report = generate_dataset(options, catalog)
    log(f"{report.kept} examples ({report.duplicates_dropped} duplicates and {report.eval_overlap_dropped} "
        f"texts equal or near to an eval text dropped); overlap with intents/eval: {report.eval_overlap}")
    if teacher is not None:
        examples, teacher_report = teacher(examples)
        log(f"teacher: {teacher_report}")
        report.kept = len(examples)
    write_examples(examples, run.examples)
    run.data_report.write_text(json.dumps(asdict(report), indent=1), encoding="utf-8")
    return report


def fit_adapter(run: RunFolder, options: FitOptions, catalog: IntentCatalog, log: Log) -> FitResult:
    return fit(read_examples(run.examples), catalog, options, run.peft, log)


def export_adapter(run: RunFolder, base_name: str, base_gguf: Path, name: str,
                   metrics: dict[str, float] | None = None) -> Path:
    """adapter.gguf + slm.json + MODEL_CARD.md in <run>/adapter; returns that folder."""
    folder = run.adapter
    folder.mkdir(parents=True, exist_ok=True)
    adapter = export_lora(run.peft, base_gguf, folder / "adapter.gguf",
                          {"base_model": base_name, "prompt": STUDENT_PROMPT})
    write_recipe(folder, SlmRecipe(base=base_gguf.resolve(), adapter=Path(adapter.name), prompt=STUDENT_PROMPT))
    data = DatasetReport(**json.loads(run.data_report.read_text(encoding="utf-8")))
    ModelCard(name, base_name, data, load_fit_result(run.peft), metrics or {}).write(folder / "MODEL_CARD.md")
    return folder
