"""The three steps of `carvoice train`, each reading what the one before wrote into one run folder:

    <run>/train.jsonl, data_report.json   data: generated (and optionally teacher-filtered) examples
    <run>/pack.json                        data: the intent pack they were made for (fit and export check it)
    <run>/peft/                            fit: the LoRA adapter in peft format, fit.json (losses, timing)
    <run>/adapter/                         export: adapter.gguf, slm.json (base + adapter + prompt), MODEL_CARD.md
                                           -> `carvoice --slm <run>/adapter ...` loads it
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from carvoice.models.recipe import SlmRecipe, write_recipe
from carvoice.nlu.evalset import load_eval_set
from carvoice.pack import IntentPack
from carvoice.train.card import ModelCard, load_fit_result
from carvoice.train.dataset import (DatasetReport, GenerationOptions, add_written, generate_dataset, held_out_cases,
                                    read_examples, write_examples)
from carvoice.train.encode import STUDENT_PROMPT
from carvoice.train.errors import TrainError
from carvoice.train.export import export_lora
from carvoice.train.fit import FitOptions, FitResult, fit
from carvoice.train.pack_phrases import pack_phrasebook

if TYPE_CHECKING:  # hearing loads the speech models: imported by the command that asks for it
    from carvoice.train.heard import Hearing

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
    def pack(self) -> Path:
        return self.path / "pack.json"

    @property
    def peft(self) -> Path:
        return self.path / "peft"

    @property
    def adapter(self) -> Path:
        return self.path / "adapter"


def make_data(run: RunFolder, options: GenerationOptions, pack: IntentPack, log: Log,
              teacher: Callable[[list], tuple[list, object]] | None = None,
              hearing: Hearing | None = None, written: Sequence[Path] = ()) -> DatasetReport:
    """Generate the set for the pack's intents (with some texts as speech-to-text hears them, and let a teacher
    filter or relabel it), and add the sentences of the `written` files or folders (labelled in the eval sets'
    format); writes train.jsonl, data_report.json and pack.json."""
    catalog = pack.catalog()
    held_out = held_out_cases(pack)
    examples, report = generate_dataset(options, catalog, pack_phrasebook(pack), held_out, hearing)
    if written:
        cases = [case for path in written for case in load_eval_set(path, catalog)]
        examples += add_written(examples, cases, held_out, catalog, report, options.written_repeat)
        log(f"written: {report.written_kept} sentences added {options.written_repeat} times each, "
            f"{report.written_dropped} equal or near to an eval text or a generated one dropped")
    if hearing is not None:
        report.heard_tried, report.heard_dropped = hearing.tried, dict(hearing.dropped.most_common())
        log(f"heard {hearing.tried} examples, kept {report.styles.get('heard', 0)}; dropped: "
            f"{', '.join(f'{count} {reason}' for reason, count in hearing.dropped.items()) or 'none'}")
    log(f"{report.kept} examples ({report.duplicates_dropped} duplicates and {report.eval_overlap_dropped} "
        f"texts equal or near to an eval text dropped); overlap with the {pack.name} pack's eval sets "
        f"({', '.join(pack.eval_sets) or 'none'}): {report.eval_overlap}")
    if teacher is not None:
        examples, teacher_report = teacher(examples)
        log(f"teacher: {teacher_report}")
        report.kept = len(examples)
    write_examples(examples, run.examples)
    run.data_report.write_text(json.dumps(asdict(report), indent=1), encoding="utf-8")
    intents = None if pack.is_builtin else [intent.name for intent in catalog.intents]
    run.pack.write_text(json.dumps({"pack": str(pack.folder), "intents": intents}, indent=1), encoding="utf-8")
    return report


def trained_intents(run: RunFolder, pack: IntentPack) -> list[str] | None:
    """The intent names the run's data was made for (None: the built-in pack's), refused unless that is `pack`
    (a run without pack.json was made for the built-in pack)."""
    try:
        recorded = json.loads(run.pack.read_text(encoding="utf-8")) if run.pack.is_file() else {}
    except (OSError, ValueError) as exc:
        raise TrainError(f"{run.pack}: unreadable ({exc}); make the data again with `carvoice train data`") from exc
    folder = Path(recorded.get("pack", IntentPack.builtin().folder))
    if folder.resolve() != pack.folder.resolve():
        given = "without --intents" if folder.resolve() == IntentPack.builtin().folder.resolve() else \
            f"with --intents {folder}"
        raise TrainError(f"{run.path}: its training data was made for the intent pack {folder}, not "
                         f"{pack.folder}; run this step {given}")
    return recorded.get("intents")


def fit_adapter(run: RunFolder, options: FitOptions, pack: IntentPack, log: Log) -> FitResult:
    trained_intents(run, pack)
    return fit(read_examples(run.examples), pack.catalog(), options, run.peft, log)


def export_adapter(run: RunFolder, base_name: str, base_gguf: Path, name: str, pack: IntentPack,
                   metrics: dict[str, float] | None = None) -> Path:
    """adapter.gguf + slm.json + MODEL_CARD.md in <run>/adapter; returns that folder. The recipe lists the intents
    of a pack other than the built-in one, so that the student is loaded only with its pack."""
    intents = trained_intents(run, pack)
    folder = run.adapter
    folder.mkdir(parents=True, exist_ok=True)
    adapter = export_lora(run.peft, base_gguf, folder / "adapter.gguf",
                          {"base_model": base_name, "prompt": STUDENT_PROMPT})
    write_recipe(folder, SlmRecipe(base=base_gguf.resolve(), adapter=Path(adapter.name), prompt=STUDENT_PROMPT,
                                   intents=intents))
    data = DatasetReport(**json.loads(run.data_report.read_text(encoding="utf-8")))
    ModelCard(name, base_name, data, load_fit_result(run.peft), metrics or {},
              **_card_words(pack)).write(folder / "MODEL_CARD.md")
    return folder


def _card_words(pack: IntentPack) -> dict[str, str]:
    """What the model card says the data came from and was kept away from, for a pack other than the built-in."""
    if pack.is_builtin:
        return {}
    templates = f"its {pack.phrasebook_file.name} and " if pack.phrasebook_file else ""
    held_out = [f"{pack.folder.name}/{folder.name}" for folder in pack.eval_sets.values()]
    return {"data_source": f"from {templates}its catalog (examples with other slot values, command frames) for the "
                           f"{len(pack.catalog().intents)} intents of the intent pack {pack.folder.name}",
            "held_out": ", ".join(held_out) or "the pack has none"}
