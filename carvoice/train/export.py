"""Write a peft LoRA adapter as a GGUF LoRA that llama.cpp (llama-cpp-python's `Llama(lora_path=...)`) loads.

Written with the `gguf` package rather than llama.cpp's convert_lora_to_gguf.py: that script needs the base
model as a Hugging Face folder (config.json, safetensors) and the llama.cpp source tree beside it, while
here the base exists only as a GGUF file. The format is small: per adapted weight W (out x in), attention or
feed-forward, two tensors `<gguf name>.lora_a` (rank x in) and `.lora_b` (out x rank), and `adapter.lora.alpha`
(llama.cpp scales B·A by alpha / rank, as peft does).

llama.cpp's converter permutes the rows of the query and key projections of "llama" models (rotary
embedding layout); transformers undoes that when it reads the GGUF, so an adapter trained on those weights
must be permuted back the same way before it is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from carvoice.models.gguf_header import BASE_SHA256_KEY, GgufHeader, lora_shape_problem, read_gguf_header
from carvoice.models.store import trusted_sha256
from carvoice.train.errors import TrainError

PEFT_NAME = re.compile(r"^base_model\.model\.model\.layers\.(\d+)\.(?:self_attn|mlp)\.(\w+)_proj"
                       r"\.lora_([AB])\.weight$")
GGUF_PROJECTION = {"q": "attn_q", "k": "attn_k", "v": "attn_v", "o": "attn_output",
                   "gate": "ffn_gate", "up": "ffn_up", "down": "ffn_down"}
PERMUTED_ARCHITECTURES = {"llama"}


@dataclass(frozen=True)
class BaseShape:
    architecture: str
    heads: int
    kv_heads: int


def read_base_shape(base: GgufHeader) -> BaseShape:
    architecture = base.architecture
    return BaseShape(architecture, base.integer(f"{architecture}.attention.head_count"),
                     base.integer(f"{architecture}.attention.head_count_kv"))


def trained_base(peft_folder: Path) -> Path | None:
    """The base GGUF the adapter in `peft_folder` was fitted on, as `fit` recorded it (None if it did not)."""
    try:
        options = json.loads((peft_folder / "fit.json").read_text(encoding="utf-8")).get("options", {})
    except (OSError, ValueError, AttributeError):
        return None
    return Path(options["base_gguf"]) if isinstance(options, dict) and options.get("base_gguf") else None


def _check_same_base(peft_folder: Path, base_gguf: Path) -> None:
    """An adapter put over another base than the one it was fitted on makes llama.cpp crash, or talk nonsense."""
    fitted_on = trained_base(peft_folder)
    if fitted_on is not None and fitted_on.name != base_gguf.name:
        raise TrainError(f"{peft_folder.parent}: this run was fitted on {fitted_on.name}, not {base_gguf.name}; "
                         f"export it with the --student (or --quick) it was fitted with")


def _field(reader, key: str):
    field = reader.fields.get(key)
    if field is None:
        raise TrainError(f"the base model's GGUF has no {key!r}")
    value = field.parts[field.data[0]]
    return bytes(value).decode("utf-8") if field.types[0].name == "STRING" else value[0]


def export_lora(peft_folder: Path, base_gguf: Path, out: Path, metadata: dict[str, str] | None = None) -> Path:
    """Convert the adapter saved by `fit` into `out` (a .gguf file); returns `out`."""
    import gguf
    from safetensors.numpy import load_file

    config_path, weights_path = peft_folder / "adapter_config.json", peft_folder / "adapter_model.safetensors"
    if not config_path.is_file() or not weights_path.is_file():
        raise TrainError(f"{peft_folder}: no trained adapter here (adapter_config.json and "
                         f"adapter_model.safetensors); run `carvoice train fit` first")
    config = json.loads(config_path.read_text(encoding="utf-8"))
    shape, tensors = _checked_tensors(peft_folder, load_file(str(weights_path)), base_gguf)
    writer = gguf.GGUFWriter(str(out), shape.architecture)
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(config["lora_alpha"]))
    for key, value in (metadata or {}).items():
        writer.add_string(f"carvoice.{key}", value)
    writer.add_uint32("carvoice.heads", shape.heads)
    writer.add_uint32("carvoice.kv_heads", shape.kv_heads)
    writer.add_string(BASE_SHA256_KEY, trusted_sha256(base_gguf))
    for name, tensor in sorted(tensors.items()):
        writer.add_tensor(name, tensor.astype(np.float16))
    out.parent.mkdir(parents=True, exist_ok=True)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return out


def _checked_tensors(peft_folder: Path, weights: dict[str, np.ndarray], base_gguf: Path
                     ) -> tuple[BaseShape, dict[str, np.ndarray]]:
    """The adapter's GGUF tensors, refused unless they fit the base they are exported over."""
    _check_same_base(peft_folder, base_gguf)
    base = read_gguf_header(base_gguf)
    shape = read_base_shape(base)
    tensors = _gguf_tensors(weights, shape)
    problem = lora_shape_problem(base, {name: tuple(reversed(value.shape)) for name, value in tensors.items()})
    if problem is not None:
        raise TrainError(f"{peft_folder}: this adapter does not fit {base_gguf.name}: {problem}")
    return shape, tensors


def _gguf_tensors(weights: dict[str, np.ndarray], shape: BaseShape) -> dict[str, np.ndarray]:
    tensors = {}
    for name, value in weights.items():
        match = PEFT_NAME.match(name)
        if match is None or match.group(2) not in GGUF_PROJECTION:
            raise TrainError(f"the adapter has a weight the exporter does not know: {name}")
        layer, projection, half = match.groups()
        if half == "B" and projection in ("q", "k") and shape.architecture in PERMUTED_ARCHITECTURES:
            value = _permute_rows(value, shape.heads if projection == "q" else shape.kv_heads)
        tensors[f"blk.{layer}.{GGUF_PROJECTION[projection]}.weight.lora_{half.lower()}"] = value
    return tensors


def _permute_rows(rows: np.ndarray, heads: int) -> np.ndarray:
    """The rotary layout llama.cpp's converter gives q/k rows (convert_hf_to_gguf.py, LlamaModel.permute)."""
    return rows.reshape(heads, 2, rows.shape[0] // heads // 2, *rows.shape[1:]).swapaxes(1, 2).reshape(rows.shape)


def import_lora(adapter_gguf: Path, out: Path) -> Path:
    """The reverse of `export_lora`: a GGUF LoRA (such as a shipped adapter) as a peft folder that `fit` can go on
    training from. Returns `out`."""
    import gguf
    from safetensors.numpy import save_file

    reader = gguf.GGUFReader(adapter_gguf)
    if _field(reader, "general.type") != "adapter":
        raise TrainError(f"{adapter_gguf}: not a GGUF LoRA adapter")
    architecture = _field(reader, "general.architecture")
    weights, projections, rank = {}, set(), 0
    for tensor in reader.tensors:
        layer, projection, half = _gguf_name(tensor.name)
        projections.add(projection)
        rank = int(tensor.data.shape[0 if half == "A" else 1])
        value = np.asarray(tensor.data, dtype=np.float32)
        if half == "B" and projection in ("q", "k") and architecture in PERMUTED_ARCHITECTURES:
            value = _unpermute_rows(value, _heads(reader, architecture, projection))
        part = "self_attn" if projection in ("q", "k", "v", "o") else "mlp"
        weights[f"base_model.model.model.layers.{layer}.{part}.{projection}_proj.lora_{half}.weight"] = value
    out.mkdir(parents=True, exist_ok=True)
    save_file(weights, str(out / "adapter_model.safetensors"))
    config = {"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": rank,
              "lora_alpha": float(_field(reader, gguf.Keys.Adapter.LORA_ALPHA)), "lora_dropout": 0.0,
              "target_modules": sorted(f"{p}_proj" for p in projections), "bias": "none"}
    (out / "adapter_config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    return out


def _heads(reader, architecture: str, projection: str) -> int:
    """An adapter file does not record its base's head counts: they come from the carvoice metadata export wrote."""
    key = "carvoice.heads" if projection == "q" else "carvoice.kv_heads"
    if key not in reader.fields:
        raise TrainError(f"this {architecture} adapter does not record its base's attention heads ({key}); "
                         f"only adapters exported by carvoice can be imported")
    return int(_field(reader, key))


def _unpermute_rows(rows: np.ndarray, heads: int) -> np.ndarray:
    """The inverse of `_permute_rows`."""
    return rows.reshape(heads, rows.shape[0] // heads // 2, 2, *rows.shape[1:]).swapaxes(1, 2).reshape(rows.shape)


def _gguf_name(name: str) -> tuple[str, str, str]:
    """`blk.3.attn_q.weight.lora_a` -> ("3", "q", "A")."""
    match = re.match(r"^blk\.(\d+)\.(\w+)\.weight\.lora_([ab])$", name)
    projection = {gguf_name: short for short, gguf_name in GGUF_PROJECTION.items()}.get(match.group(2)) \
        if match else None
    if match is None or projection is None:
        raise TrainError(f"the adapter has a tensor the importer does not know: {name}")
    return match.group(1), projection, match.group(3).upper()
