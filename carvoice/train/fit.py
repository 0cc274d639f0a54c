"""LoRA fine-tuning of a student on the training set, on CPU or a CUDA GPU, optionally time-boxed.

The student's weights come from its GGUF file (transformers de-quantises it), so no model hub is needed.
Only the answer tokens are scored, and the output layer is applied to those positions only: with a
150k-word vocabulary that layer is most of the cost of a short example.

    result = fit(examples, catalog, FitOptions(base_gguf=path, steps=200), Path("run/peft"))
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from carvoice.nlu.catalog import IntentCatalog
from carvoice.train.dataset import TrainingExample
from carvoice.train.encode import prompt_parts
from carvoice.train.errors import TrainError

IGNORE = -100
ATTENTION = ("q_proj", "k_proj", "v_proj", "o_proj")
FEED_FORWARD = ("gate_proj", "up_proj", "down_proj")
LORA_TARGETS = {"attention": ATTENTION, "all": ATTENTION + FEED_FORWARD}
OPTIMISER_STATE = "optimizer.pt"  # beside the adapter, so that a time-boxed fit can be resumed


@dataclass(frozen=True)
class FitOptions:
    base_gguf: Path
    steps: int = 300
    epochs: float | None = None  # when given, the steps are this many passes over the training set
    batch_size: int = 16
    learning_rate: float = 3e-4
    warmup_steps: int = 10
    rank: int = 16
    alpha: int = 32
    targets: str = "attention"  # a key of LORA_TARGETS: "all" adds the feed-forward projections (2-4x the size)
    max_tokens: int = 96  # longer examples are cut (the answer's end would be lost, so they are rare)
    max_minutes: float | None = None  # time box for the optimisation steps (loading not counted)
    seed: int = 7
    threads: int = 2
    device: str = "auto"  # "auto": the CUDA GPU when torch sees one, else the CPU
    start_from: Path | None = None  # a peft adapter folder to go on training (rank, alpha and targets are its own)
    resume: bool = False  # go on from the adapter and optimiser state `fit` saved in its output folder

    def __post_init__(self) -> None:
        if self.targets not in LORA_TARGETS:
            raise TrainError(f"LoRA targets {self.targets!r}: choose one of {', '.join(LORA_TARGETS)}")


def pick_device(wanted: str) -> str:
    import torch

    if wanted == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if wanted.startswith("cuda") and not torch.cuda.is_available():
        raise TrainError(f"--device {wanted}: this torch sees no CUDA GPU (torch {torch.__version__})")
    return wanted


@dataclass
class FitResult:
    steps: int
    examples_seen: int
    wall_s: float
    seconds_per_step: float
    losses: list[float] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    earlier_steps: int = 0  # steps of earlier fits this one went on from (--resume)

    @property
    def final_loss(self) -> float:
        tail = self.losses[-10:]
        return sum(tail) / len(tail) if tail else float("nan")


def load_student(base_gguf: Path, threads: int, device: str = "cpu"):
    """The student (float32, de-quantised from its GGUF, on `device`) and its tokenizer."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if not base_gguf.is_file():
        raise TrainError(f"{base_gguf}: no such GGUF file to train from")
    torch.set_num_threads(threads)
    folder, name = str(base_gguf.parent), base_gguf.name
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
        model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    except (ValueError, KeyError, OSError) as exc:
        raise TrainError(f"{base_gguf}: transformers cannot load this GGUF for training ({exc})") from exc
    return model.to(device), tokenizer


def encode(example: TrainingExample, catalog: IntentCatalog, tokenizer, max_tokens: int) -> tuple[list[int], list[int]]:
    """Token ids and labels (IGNORE on the prompt, the ids on the answer)."""
    parts = prompt_parts(example, catalog)
    prompt = tokenizer(parts.prefix, add_special_tokens=True)["input_ids"] + \
        tokenizer(parts.turn, add_special_tokens=False)["input_ids"]
    answer = tokenizer(parts.answer, add_special_tokens=False)["input_ids"]
    ids = (prompt + answer)[-max_tokens:]
    labels = ([IGNORE] * len(prompt) + answer)[-max_tokens:]
    return ids, labels


def fit(examples: list[TrainingExample], catalog: IntentCatalog, options: FitOptions, out: Path,
        log: Callable[[str], None] = print) -> FitResult:
    """Train a LoRA adapter and save it (peft format) to `out`."""
    import torch
    from peft import LoraConfig, get_peft_model

    if not examples:
        raise TrainError("the training set is empty")
    started = time.perf_counter()
    torch.manual_seed(options.seed)
    options = replace(options, device=pick_device(options.device))
    if options.device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = True  # fp32 LoRA steps are compute-bound; the H200 fits ran so
    model, tokenizer = load_student(options.base_gguf, options.threads, options.device)
    start = out if options.resume else options.start_from
    if start is None:
        model = get_peft_model(model, LoraConfig(r=options.rank, lora_alpha=options.alpha, lora_dropout=0.0,
                                                 target_modules=list(LORA_TARGETS[options.targets]),
                                                 task_type="CAUSAL_LM"))
    else:
        model = _continued(model, start)
    encoded = [encode(e, catalog, tokenizer, options.max_tokens) for e in examples]
    if options.epochs is not None:
        options = replace(options, steps=max(1, math.ceil(options.epochs * len(encoded) / options.batch_size)))
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=options.learning_rate, weight_decay=0.0)
    if options.resume and (out / OPTIMISER_STATE).is_file():
        optimiser.load_state_dict(torch.load(out / OPTIMISER_STATE, map_location=options.device))
    log(f"loaded the student on {options.device} in {time.perf_counter() - started:.0f} s; {len(encoded)} examples, "
        f"{sum(p.numel() for p in trainable):,} trainable parameters")
    result = _train_loop(model, optimiser, encoded, pad, options, log)
    result.wall_s = time.perf_counter() - started
    result.earlier_steps = _earlier_steps(out) if options.resume else 0
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    torch.save(optimiser.state_dict(), out / OPTIMISER_STATE)
    (out / "fit.json").write_text(json.dumps(asdict(result), indent=1, default=str), encoding="utf-8")
    return result


def _continued(model, start: Path):
    """The student with the adapter saved in `start` (peft format), trainable."""
    from peft import PeftModel

    if not (start / "adapter_config.json").is_file():
        raise TrainError(f"{start}: no adapter to go on from (adapter_config.json); run `carvoice train fit` "
                         f"without --resume first")
    return PeftModel.from_pretrained(model, str(start), is_trainable=True)


def _earlier_steps(out: Path) -> int:
    """Steps of the earlier fits of a resumed adapter, from the fit.json they left."""
    try:
        earlier = json.loads((out / "fit.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    return int(earlier.get("steps", 0)) + int(earlier.get("earlier_steps", 0))


def _train_loop(model, optimiser, encoded, pad: int, options: FitOptions, log) -> FitResult:
    """Up to `options.steps` steps; with a time box, the schedule follows the elapsed share of the box, so a
    busy machine gets fewer steps but still a complete warm-up and decay."""
    import torch

    rng = random.Random(options.seed)
    order: list[int] = []
    losses: list[float] = []
    started = time.perf_counter()
    budget_s = None if options.max_minutes is None else options.max_minutes * 60
    model.train()
    step, progress = 0, 0.0
    while step < options.steps and progress < 1.0:
        if len(order) < options.batch_size:
            order += rng.sample(range(len(encoded)), len(encoded))
        batch, order = order[:options.batch_size], order[options.batch_size:]
        _set_learning_rate(optimiser, options, step, progress)
        loss = _answer_loss(model, *_collate([encoded[i] for i in batch], pad, model.device))
        if not torch.isfinite(loss):
            raise TrainError(f"the loss became {float(loss)} at step {step + 1}: training diverged; "
                             f"try a lower --learning-rate than {options.learning_rate:g}")
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
        optimiser.step()
        optimiser.zero_grad(set_to_none=True)
        losses.append(float(loss.detach()))
        step += 1
        elapsed = time.perf_counter() - started
        progress = max(step / options.steps, elapsed / budget_s if budget_s else 0.0)
        if step % 10 == 0 or step <= 3:
            log(f"step {step}  loss {sum(losses[-10:]) / len(losses[-10:]):.3f}  {elapsed / step:.1f} s/step  "
                f"{progress:.0%} done")
    elapsed = time.perf_counter() - started
    return FitResult(steps=step, examples_seen=step * options.batch_size, wall_s=elapsed,
                     seconds_per_step=elapsed / max(step, 1), losses=losses,
                     options={k: str(v) for k, v in asdict(options).items()})


def _set_learning_rate(optimiser, options: FitOptions, step: int, progress: float) -> None:
    """Linear warm-up over the first steps, then cosine decay to a tenth as `progress` goes from 0 to 1."""
    scale = 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))
    if step < options.warmup_steps:
        scale *= (step + 1) / options.warmup_steps
    for group in optimiser.param_groups:
        group["lr"] = options.learning_rate * scale


def _collate(batch: list[tuple[list[int], list[int]]], pad: int, device):
    import torch

    width = max(len(ids) for ids, _ in batch)
    ids = torch.full((len(batch), width), pad, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, (tokens, targets) in enumerate(batch):
        ids[row, :len(tokens)] = torch.tensor(tokens)
        labels[row, :len(targets)] = torch.tensor(targets)
        mask[row, :len(tokens)] = 1
    return ids.to(device), labels.to(device), mask.to(device)


def _answer_loss(model, ids, labels, mask):
    """Cross-entropy of the answer tokens, with the output layer applied only where it is scored."""
    import torch

    causal = model.get_base_model()
    targets = labels[:, 1:]
    scored = targets != IGNORE
    hidden = causal.model(input_ids=ids, attention_mask=mask).last_hidden_state[:, :-1]
    logits = causal.lm_head(hidden[scored])
    return torch.nn.functional.cross_entropy(logits.float(), targets[scored])
