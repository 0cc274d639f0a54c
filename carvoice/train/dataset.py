"""The training set: generated from the phrasebook, labelled by construction (and sentences people wrote with
their labels, add_written), never equal or nearly equal to a text of an evaluation set (the pack's eval/ and
eval_blind/, see nearness.py), stored as JSON lines. An example whose label the pack's catalog does not take (an undo follow-up for a pack without undo) is
dropped.

    examples, report = generate_dataset(GenerationOptions(size=4000, seed=7), catalog)
    report.eval_overlap  # always 0: every text equal or near to an eval text (normalised) is dropped
    write_examples(examples, Path("train.jsonl"))
    generate_dataset(options, pack.catalog(), pack_phrasebook(pack), held_out_cases(pack))  # any intent pack
    generate_dataset(options, catalog, hear=Hearing(...))  # some texts as speech-to-text hears them (heard.py)
    written = load_eval_set(WRITTEN_DIR, catalog)  # sentences people wrote for training, labelled
    examples += add_written(examples, written, held_out_cases(pack), catalog, report, repeat=2)
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType


from pydantic import BaseModel, ConfigDict, ValidationError

from carvoice.nlu.catalog import Call, IntentCatalog
from carvoice.nlu.evalset import EvalCase, load_eval_set, load_eval_sets, normalise_text
from carvoice.nlu.prompt import Exchange
from carvoice.pack import IntentPack
from carvoice.train.errors import TrainError
from carvoice.train.nearness import NEAR, NearTexts
from carvoice.train.templates import Labelled, Phrasebook, load_phrasebook
from carvoice.train.variety import DIALOG_INTENTS, after_injection, combine, follow_up, restyle

WRITTEN_DIR = Path(__file__).parent / "written"  # sentences written for training by people who saw no eval set

# How often each kind of example is drawn (they need not sum to 1).
KIND_WEIGHTS = {"single": 0.52, "multi": 0.12, "follow_up": 0.14, "out_of_scope": 0.12, "injection": 0.03,
                "multi_out_of_scope": 0.03, "with_context": 0.04}


class PreviousTurn(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    text: str
    calls: list[Call]


class TrainingExample(BaseModel):
    """One utterance with the calls the student should write; `previous` is the exchange before it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    text: str
    calls: list[Call]
    previous: PreviousTurn | None = None
    kind: str
    styles: list[str] = []
    source: str = "template"  # template | teacher | written

    @property
    def exchange(self) -> Exchange | None:
        if self.previous is None:
            return None
        return Exchange(self.previous.text, list(self.previous.calls))


@dataclass(frozen=True)
class GenerationOptions:
    size: int = 4000
    seed: int = 7
    style_share: float = 0.45  # probability of each of filler / polite / ASR slip
    written_repeat: int = 1  # how many times each written sentence (add_written) goes into the set
    # how often each kind of example is drawn, relative to the others; a kind left out is never drawn
    kind_weights: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(KIND_WEIGHTS))

    def __post_init__(self) -> None:
        unknown = sorted(set(self.kind_weights) - set(KIND_WEIGHTS))
        if unknown:
            raise TrainError(f"unknown kind of example {', '.join(unknown)}; the kinds: {', '.join(KIND_WEIGHTS)}")
        if self.written_repeat < 1:
            raise TrainError(f"--written-repeat {self.written_repeat}: each written sentence goes in at least once")
        weights = self.kind_weights.values()
        if not all(math.isfinite(w) and w >= 0 for w in weights) or not any(weights):
            raise TrainError("kind weights must be finite numbers, 0 or more, and one of them more than 0")
        object.__setattr__(self, "kind_weights", MappingProxyType(dict(self.kind_weights)))  # frozen all through

    def weighted(self, changes: Mapping[str, float]) -> GenerationOptions:
        """These options with some kinds drawn more or less often (the others keep their weight)."""
        return replace(self, kind_weights={**self.kind_weights, **changes})


@dataclass
class DatasetReport:
    generated: int = 0
    kept: int = 0
    duplicates_dropped: int = 0
    eval_overlap_dropped: int = 0  # generated texts equal or near (similarity >= near_threshold) to an eval text
    near_threshold: float = NEAR
    eval_overlap: int = 0  # eval texts still in the kept set: must be 0
    off_catalog_dropped: int = 0  # generated examples naming an intent or slot value the catalog does not take
    heard_tried: int = 0  # examples said and transcribed (heard.py); those kept have the style "heard"
    heard_dropped: dict[str, int] = field(default_factory=dict)  # heard examples dropped, by reason (heard.py)
    written_kept: int = 0  # sentences people wrote with their labels (add_written), each counted once
    written_dropped: int = 0  # written sentences equal or near to an eval text, or to a generated one
    kind_weights: dict[str, float] = field(default_factory=dict)  # the weights the kinds were drawn with
    kinds: dict[str, int] = field(default_factory=dict)
    intents: dict[str, int] = field(default_factory=dict)
    styles: dict[str, int] = field(default_factory=dict)
    distinct_texts: int = 0


def generate_dataset(options: GenerationOptions, catalog: IntentCatalog, book: Phrasebook | None = None,
                     eval_cases: list[EvalCase] | None = None,
                     hear: Callable[[TrainingExample], TrainingExample | None] | None = None
                     ) -> tuple[list[TrainingExample], DatasetReport]:
    """`options.size` distinct examples (fewer only if the templates run dry), none equal or near to a text of
    any evaluation set (the own set and the blind one). `hear` may change each drawn example's text (or drop
    it: None) before it is checked against those sets and the examples kept."""
    book = book or load_phrasebook()
    held_out = eval_cases if eval_cases is not None else \
        [case for cases in load_eval_sets(catalog=catalog).values() for case in cases]
    forbidden = eval_texts(held_out)
    near = NearTexts(forbidden)
    rng = random.Random(options.seed)
    report = DatasetReport(kind_weights=dict(options.kind_weights))
    kept: dict[str, TrainingExample] = {}
    attempts = 0
    while len(kept) < options.size and attempts < options.size * 20:
        attempts += 1
        example = _draw(book, catalog, rng, options)
        report.generated += 1
        if example is None:
            report.off_catalog_dropped += 1
            continue
        if hear is not None and (example := hear(example)) is None:
            continue
        key = _key(example)
        if near.is_near(normalise_text(example.text)):
            report.eval_overlap_dropped += 1
        elif key in kept:
            report.duplicates_dropped += 1
        else:
            kept[key] = example
    examples = list(kept.values())
    _summarise(examples, forbidden, report)
    return examples, report


def add_written(examples: list[TrainingExample], written: list[EvalCase], held_out: list[EvalCase],
                catalog: IntentCatalog, report: DatasetReport, repeat: int = 1) -> list[TrainingExample]:
    """The written sentences (labelled like an eval set, a dialog turn with the turn before it) as training
    examples, each `repeat` times, for `examples += ...`; those equal or near to an evaluation text, or the same
    as a generated example, are dropped and counted in `report`, which is summarised again."""
    forbidden = eval_texts(held_out)
    near, taken = NearTexts(forbidden), {_key(e) for e in examples}
    kept: list[TrainingExample] = []
    for case in written:
        before = case.context[-1] if case.context else None
        previous = before and PreviousTurn(text=before.text, calls=_labels(tuple(before.intents), catalog))
        example = TrainingExample(text=case.text, calls=_labels(tuple(case.intents), catalog), kind="written",
                                  source="written", previous=previous)
        key = _key(example)
        if near.is_near(normalise_text(case.text)) or key in taken:
            report.written_dropped += 1
            continue
        taken.add(key)
        kept.append(example)
    added = [example for example in kept for _ in range(repeat)]
    report.written_kept = len(kept)
    _summarise(examples + added, forbidden, report)
    return added


def held_out_cases(pack: IntentPack) -> list[EvalCase]:
    """The cases of the pack's evaluation sets (own and blind, those it has), which training keeps away from."""
    catalog = pack.catalog()
    return [case for folder in pack.eval_sets.values() for case in load_eval_set(folder, catalog)]


def eval_texts(cases: list[EvalCase]) -> set[str]:
    return {normalise_text(case.text) for case in cases}


def eval_overlap(examples: list[TrainingExample], cases: list[EvalCase]) -> list[str]:
    """Training texts that equal an evaluation text once normalised (the context turns included)."""
    forbidden = eval_texts(cases)
    return [e.text for e in examples if normalise_text(e.text) in forbidden]


def _key(example: TrainingExample) -> str:
    previous = normalise_text(example.previous.text) if example.previous else ""
    return f"{previous}|{normalise_text(example.text)}"


def _summarise(examples: list[TrainingExample], forbidden: set[str], report: DatasetReport) -> None:
    report.kept = len(examples)
    report.eval_overlap = sum(normalise_text(e.text) in forbidden for e in examples)
    report.kinds = dict(Counter(e.kind for e in examples).most_common())
    report.intents = dict(Counter(c.name for e in examples for c in e.calls).most_common())
    report.styles = dict(Counter(s for e in examples for s in e.styles).most_common())
    report.distinct_texts = len({normalise_text(e.text) for e in examples})


def _draw(book: Phrasebook, catalog: IntentCatalog, rng: random.Random, options: GenerationOptions
          ) -> TrainingExample | None:
    weights = options.kind_weights
    kind = rng.choices(list(weights), weights=list(weights.values()))[0]
    previous: Labelled | None = None
    if kind == "single":
        item = _single(book, rng)
    elif kind == "multi":
        item = combine(_different_requests(book, rng, rng.choice((2, 2, 2, 3))), rng)
    elif kind == "out_of_scope":
        item = book.sample_out_of_scope(rng)
    elif kind == "multi_out_of_scope":
        parts = [_single(book, rng, car_only=True), book.sample_out_of_scope(rng)]
        item = combine(parts if rng.random() < 0.6 else parts[::-1], rng)
    elif kind == "injection":
        item = after_injection(_single(book, rng), book.injection(rng))
    elif kind == "follow_up":
        previous, item = _follow_up_pair(book, rng)
    else:  # with_context: an unrelated earlier exchange the model must not be misled by
        previous, item = _single(book, rng), _single(book, rng)
    item, styles = restyle(item, rng, options.style_share)
    return _example(item, previous, kind, styles, catalog)


def _single(book: Phrasebook, rng: random.Random, car_only: bool = False) -> Labelled:
    """One templated request; `car_only` leaves out the dialog intents (yes, no, undo...), which are not
    said in one breath with another request."""
    names = [n for n in book.intent_names if n not in DIALOG_INTENTS] if car_only else book.intent_names
    return book.sample(rng.choice(names), rng)


def _different_requests(book: Phrasebook, rng: random.Random, count: int) -> list[Labelled]:
    """Up to `count` requests said in one breath, none the same call as another ("driver 21, passenger 23" is
    two calls; "go back a song and go back a song" taught the student to write one call twice). A pack with
    too few different calls gives fewer."""
    parts: list[Labelled] = []
    for _ in range(count * 20):
        part = _single(book, rng, car_only=True)
        if not any(call in earlier.calls for earlier in parts for call in part.calls):
            parts.append(part)
        if len(parts) == count:
            break
    return parts


def _follow_up_pair(book: Phrasebook, rng: random.Random) -> tuple[Labelled, Labelled]:
    while True:
        previous = _single(book, rng)
        if len(previous.calls) == 1 and (after := follow_up(previous.calls[0], rng)) is not None:
            return previous, after


def _example(item: Labelled, previous: Labelled | None, kind: str, styles: list[str],
             catalog: IntentCatalog) -> TrainingExample | None:
    """The labelled example, or None when the catalog does not take one of its calls."""
    if not all(_takes(catalog, call) for call in (*item.calls, *(previous.calls if previous else ()))):
        return None
    before = None if previous is None else PreviousTurn(text=previous.text, calls=_labels(previous.calls, catalog))
    return TrainingExample(text=item.text, calls=_labels(item.calls, catalog), previous=before, kind=kind,
                           styles=styles)


def _takes(catalog: IntentCatalog, call: Call) -> bool:
    intent = catalog.by_name.get(call.name)
    return intent is not None and not intent.slot_problems(call.slots)


def _labels(calls: tuple[Call, ...], catalog: IntentCatalog) -> list[Call]:
    """Slots in the catalog's order, so the student always learns one way to write a call."""
    labels = []
    for call in calls:
        order = [slot.name for slot in catalog.by_name[call.name].slots]
        labels.append(Call(name=call.name, slots={k: call.slots[k] for k in order if k in call.slots}))
    return labels


def write_examples(examples: list[TrainingExample], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(e.model_dump_json() + "\n" for e in examples), encoding="utf-8")


def read_examples(path: Path) -> list[TrainingExample]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise TrainError(f"{path}: cannot read the training set ({exc.strerror}); "
                         f"make one with `carvoice train data`") from exc
    examples = []
    for number, line in enumerate(lines, 1):
        try:
            examples.append(TrainingExample.model_validate(json.loads(line)))
        except (ValueError, ValidationError) as exc:
            raise TrainError(f"{path}:{number}: not a training example ({str(exc).splitlines()[0]})") from exc
    return examples
