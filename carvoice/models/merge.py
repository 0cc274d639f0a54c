"""Fold a LoRA adapter into its base model once, so that llama.cpp runs one plain model instead of adding the
adapter's two small products to every adapted projection on every token.

    merge_adapter(Path("base.gguf"), Path("adapter.gguf"), Path("merged.gguf"))   # CarvoiceError: cannot merge
    merge_adapter(base, adapter, out, MergeOptions(weights="Q8_0"))   # the merged weights in another type

Each weight W the adapter changes becomes W + (alpha / rank) · B·A (llama.cpp's scale), computed in float32
from the dequantised weight and quantised back into the weight's own type when gguf-py can write it (Q5_0 and
Q8_0, those of the default base), else F16. gguf-py holds a tensor with its ggml dimensions reversed: W is
out × in, A rank × in and B out × rank. Every other tensor and all metadata are copied as they are; the file is
written beside `out` and moved into place when whole.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from carvoice.errors import CarvoiceError
from carvoice.models.gguf_header import check_slm_files
from carvoice.models.manifest import trusted_sha256

MERGED_FROM_KEYS = ("carvoice.merged.base_sha256", "carvoice.merged.adapter_sha256")
MERGE_VERSION = 1  # part of a cached merged model's name (store.py): a change to merging builds them again


class MergeError(CarvoiceError):
    """An adapter that fits its base but cannot be folded into it here (a type gguf-py cannot read or write)."""


@dataclass(frozen=True)
class MergeOptions:
    weights: str | None = None  # ggml type of the merged weights ("Q8_0", "Q4_0", "F16"...); None: each
    # weight's own type where gguf-py can quantise to it, else F16


def merge_adapter(base: Path, adapter: Path, out: Path, options: MergeOptions = MergeOptions()) -> Path:
    """Write `base` with `adapter` folded in to `out`; returns `out`. A damaged file or an adapter that does not
    fit is the one-line error of check_slm_files."""
    import gguf

    check_slm_files(base, adapter)
    base_gguf, adapter_gguf = gguf.GGUFReader(base), gguf.GGUFReader(adapter)
    pairs = _lora_pairs(adapter_gguf)
    writer = gguf.GGUFWriter(None, str(base_gguf.fields["general.architecture"].contents()))
    writer.data_alignment = base_gguf.alignment
    _copy_metadata(base_gguf, writer)
    for key, path in zip(MERGED_FROM_KEYS, (base, adapter)):
        writer.add_string(key, trusted_sha256(path))
    for tensor in base_gguf.tensors:
        pair = pairs.get(tensor.name)
        data, kind = (tensor.data, tensor.tensor_type) if pair is None else _merged(tensor, *pair, options)
        writer.add_tensor(tensor.name, data, raw_dtype=kind)
    _write_atomically(writer, out)
    return out


def _lora_pairs(adapter) -> dict[str, tuple[np.ndarray, np.ndarray, float]]:
    """weight name -> (A, B, scale), A and B as float32 arrays."""
    halves = {tensor.name: _dequantized(tensor) for tensor in adapter.tensors}
    alpha_field = adapter.fields.get("adapter.lora.alpha")
    alpha = float(alpha_field.contents()) if alpha_field is not None else 0.0
    pairs = {}
    for name, a in halves.items():
        if name.endswith(".lora_a"):
            b = halves[name[: -len("a")] + "b"]
            rank = b.shape[1]
            pairs[name.removesuffix(".lora_a")] = (a, b, alpha / rank if alpha else 1.0)  # as llama.cpp scales
    return pairs


def _merged(tensor, a: np.ndarray, b: np.ndarray, scale: float, options: MergeOptions):
    """(data, ggml type) of W + scale · B·A."""
    from gguf.quants import QuantError, quantize
    from gguf import GGMLQuantizationType

    weight = _dequantized(tensor) + scale * (b @ a)
    if options.weights is not None:
        if options.weights not in GGMLQuantizationType.__members__:
            raise MergeError(f"{options.weights!r} is not a ggml tensor type (Q8_0, Q5_0, Q4_0, F16...)")
        kind = GGMLQuantizationType[options.weights]
        try:
            return quantize(weight, kind), kind
        except (NotImplementedError, QuantError) as exc:
            raise MergeError(f"cannot write {tensor.name} as {kind.name}: {exc}") from exc
    try:
        return quantize(weight, tensor.tensor_type), tensor.tensor_type
    except (NotImplementedError, QuantError):  # e.g. the K-quants: gguf-py only reads them
        return weight.astype(np.float16), GGMLQuantizationType.F16


def _dequantized(tensor) -> np.ndarray:
    from gguf.quants import dequantize

    try:
        return dequantize(tensor.data, tensor.tensor_type).astype(np.float32, copy=False)
    except NotImplementedError as exc:
        raise MergeError(f"cannot merge {tensor.name}: gguf-py cannot read {tensor.tensor_type.name} "
                         "weights; load the adapter unmerged") from exc


def _copy_metadata(reader, writer) -> None:
    """Every key as it is, but those the writer adds itself."""
    from gguf import GGUFValueType

    for field in reader.fields.values():
        if field.name.startswith("GGUF.") or field.name == "general.architecture":
            continue
        kind = field.types[0]
        sub_kind = field.types[-1] if kind is GGUFValueType.ARRAY else None
        writer.add_key_value(field.name, field.contents(), kind, sub_type=sub_kind)


def _write_atomically(writer, out: Path) -> None:
    partial = out.with_name(f"{out.name}.{os.getpid()}.partial")
    try:
        writer.write_header_to_file(partial)
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
