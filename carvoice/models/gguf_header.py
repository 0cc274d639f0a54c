"""Read a GGUF file's header (metadata and tensor shapes) without loading its weights, and check that a LoRA
adapter fits the base model it is put on: llama.cpp crashes (a segmentation fault, no message) on an adapter
made for another model, and on a truncated file.

    header = read_gguf_header(Path("model.gguf"))   # GgufError: damaged, truncated or not GGUF
    header.architecture, header.block_count, header.tensors["token_embd.weight"]   # 'qwen2', 24, (896, 151936)
    check_slm_files(Path("model.gguf"), Path("adapter.gguf"))   # AdapterMismatchError when it does not fit

Only the header is parsed (a few MB for a large vocabulary, read through mmap); gguf-py's GGUFReader takes
seconds on the same files because it turns every tokenizer entry into numpy arrays.
"""

from __future__ import annotations

import mmap
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from carvoice.errors import CarvoiceError
from carvoice.models.manifest import trusted_sha256

GGUF_MAGIC = b"GGUF"
BASE_SHA256_KEY = "carvoice.base_sha256"  # written by `carvoice train export`: the base the adapter was fitted on
_SCALAR_FORMATS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q",
                   12: "<d"}
_STRING, _ARRAY = 8, 9
# ggml tensor types -> (elements per block, bytes per block), as gguf-py's GGML_QUANT_SIZES; a type missing here
# is only checked to start inside the file
_BLOCK_SIZES = {0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34),
                9: (32, 40), 10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176), 14: (256, 210),
                15: (256, 292), 24: (1, 1), 25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8), 30: (1, 2)}
_LORA_TENSOR = re.compile(r"^(?P<target>.+)\.lora_(?P<half>[ab])$")


class GgufError(CarvoiceError):
    """A file llama.cpp must not be given: not GGUF, damaged or truncated."""


class AdapterMismatchError(CarvoiceError):
    """A LoRA adapter that was made for another base model."""


@dataclass(frozen=True)
class GgufHeader:
    path: Path
    metadata: dict[str, object]  # scalar and string values; arrays (the tokenizer's) are skipped
    tensors: dict[str, tuple[int, ...]]  # name -> dimensions in ggml order (the input width first)

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", "unknown"))

    @property
    def kind(self) -> str:
        """'model' or 'adapter'."""
        return str(self.metadata.get("general.type", "model"))

    @property
    def block_count(self) -> int | None:
        value = self.metadata.get(f"{self.architecture}.block_count")
        return int(value) if value is not None else None

    def integer(self, key: str) -> int:
        if key not in self.metadata:
            raise GgufError(f"{self.path}: the GGUF header has no {key!r}")
        return int(self.metadata[key])


def read_gguf_header(path: Path) -> GgufHeader:
    """The header of the GGUF file at `path`, checked to be whole: every tensor's data lies inside the file."""
    try:
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if data[:4] != GGUF_MAGIC:
                raise GgufError(f"{path}: not a GGUF model file (it does not start with the GGUF signature)")
            return _parse(path, _Cursor(data))
    except (struct.error, UnicodeDecodeError, OverflowError) as exc:
        raise GgufError(f"{path}: damaged or truncated GGUF file: its header cannot be read ({exc})") from exc
    except ValueError as exc:  # mmap of an empty file
        raise GgufError(f"{path}: not a GGUF model file ({exc})") from exc
    except OSError as exc:
        raise GgufError(f"{path}: cannot read the model file ({exc.strerror})") from exc


def check_slm_files(model: Path, adapter: Path | None = None) -> None:
    """Raise a one-line error for a language model (and LoRA adapter) llama.cpp would fail or crash on."""
    base = read_gguf_header(model)
    if base.kind != "model":
        raise GgufError(f"{model}: a LoRA adapter, not a model: load it over its base (a folder with slm.json)")
    if adapter is None:
        return
    problem = adapter_problem(base, read_gguf_header(adapter))
    if problem is not None:
        raise AdapterMismatchError(f"{adapter}: this LoRA adapter does not fit the base model {model.name}: "
                                   f"{problem}; export it again over the base it was trained on")


def adapter_problem(base: GgufHeader, adapter: GgufHeader) -> str | None:
    """Why `adapter` cannot be put on `base`, or None when it fits."""
    if adapter.kind != "adapter":
        return f"{adapter.path.name} is not a LoRA adapter (its GGUF type is {adapter.kind!r})"
    if adapter.architecture != base.architecture:
        return f"it is for a {adapter.architecture!r} model and the base is {base.architecture!r}"
    shape_problem = lora_shape_problem(base, adapter.tensors)
    if shape_problem is not None:
        return shape_problem
    fitted_on = adapter.metadata.get(BASE_SHA256_KEY)
    if fitted_on is not None and fitted_on != trusted_sha256(base.path):
        return f"it was fitted on another base file (sha256 {str(fitted_on)[:12]}…)"
    return None


def lora_shape_problem(base: GgufHeader, lora_tensors: dict[str, tuple[int, ...]]) -> str | None:
    """Why these LoRA tensors (`<weight>.lora_a` / `.lora_b`, ggml order) cannot change `base`'s weights, or
    None: A must read each weight's input and B write its output, both of the same rank."""
    pairs: dict[str, dict[str, tuple[int, ...]]] = {}
    for name, dims in lora_tensors.items():
        match = _LORA_TENSOR.match(name)
        if match is None:
            return f"it holds {name}, which is not a LoRA tensor"
        pairs.setdefault(match["target"], {})[match["half"]] = dims
    for target, pair in pairs.items():
        weight = base.tensors.get(target)
        if weight is None:
            return f"it changes {target}, which the base lacks (the base has {base.block_count} layers)"
        if set(pair) != {"a", "b"}:
            return f"it holds only one half of the LoRA pair of {target}"
        a, b = pair["a"], pair["b"]
        if len(weight) != 2 or len(a) != 2 or len(b) != 2 or (a[0], b[1], a[1]) != (weight[0], weight[1], b[0]):
            return (f"{target} maps {weight[0]} inputs to {weight[-1]} outputs in the base, the adapter's pair "
                    f"{a[0]} to {b[-1]} (it was made for a model of another size)")
    return None


def _parse(path: Path, cursor: _Cursor) -> GgufHeader:
    cursor.at = 4
    version = cursor.unpack("<I")
    if version not in (2, 3):
        raise GgufError(f"{path}: damaged GGUF file, or one of a version llama.cpp cannot read ({version}; "
                        "versions 2 and 3 are read)")
    tensor_count, kv_count = cursor.count(24), cursor.count(12)
    metadata = {}
    for _ in range(kv_count):
        key = cursor.string()
        metadata[key] = cursor.value(cursor.unpack("<I"))
    tensors, extents = {}, []
    for _ in range(tensor_count):
        name = cursor.string()
        dims = tuple(cursor.unpack("<Q") for _ in range(cursor.count(8, "<I")))
        kind, offset = cursor.unpack("<I"), cursor.unpack("<Q")
        tensors[name] = dims
        extents.append((name, offset + _data_bytes(kind, dims)))
    alignment = int(metadata.get("general.alignment", 32))
    data_start = -(-cursor.at // alignment) * alignment
    _check_whole(path, data_start, extents, len(cursor.data))
    return GgufHeader(path, metadata, tensors)


def _data_bytes(kind: int, dims: tuple[int, ...]) -> int:
    elements_per_block, bytes_per_block = _BLOCK_SIZES.get(kind, (1, 0))
    elements = 1
    for dim in dims:
        elements *= dim
    return elements // elements_per_block * bytes_per_block


def _check_whole(path: Path, data_start: int, extents: list[tuple[str, int]], size: int) -> None:
    if not extents:
        return
    name, end = max(extents, key=lambda extent: extent[1])
    if data_start + end > size:
        raise GgufError(f"{path}: truncated GGUF file: it has {size:,} bytes, but tensor {name} ends at byte "
                        f"{data_start + end:,} (an interrupted download or copy?)")


class _Cursor:
    """Reads GGUF's little-endian values from a buffer, moving forward."""

    def __init__(self, data: mmap.mmap) -> None:
        self.data = data
        self.at = 0

    def unpack(self, fmt: str):
        (value,) = struct.unpack_from(fmt, self.data, self.at)
        self.at += struct.calcsize(fmt)
        return value

    def count(self, least_bytes_each: int, fmt: str = "<Q") -> int:
        """A count of things still to read, each at least `least_bytes_each` long: a damaged count would make
        the reader loop for ever."""
        count = self.unpack(fmt)
        if count * least_bytes_each > len(self.data) - self.at:
            raise struct.error(f"a count of {count:,} at byte {self.at:,} runs past the end of the file")
        return count

    def string(self) -> str:
        length = self.unpack("<Q")
        if self.at + length > len(self.data):
            raise struct.error(f"a string of {length:,} bytes at byte {self.at:,} runs past the end of the file")
        self.at += length
        return self.data[self.at - length : self.at].decode("utf-8")

    def value(self, kind: int):
        if kind == _STRING:
            return self.string()
        if kind == _ARRAY:
            self._skip_array()
            return None
        if kind not in _SCALAR_FORMATS:
            raise struct.error(f"unknown value type {kind} at byte {self.at:,}")
        return self.unpack(_SCALAR_FORMATS[kind])

    def _skip_array(self) -> None:
        item_kind = self.unpack("<I")
        if item_kind in _SCALAR_FORMATS:
            item_size = struct.calcsize(_SCALAR_FORMATS[item_kind])
            count = self.count(item_size)
            self.at += count * item_size
            return
        for _ in range(self.count(8)):
            if item_kind == _STRING:
                self.at += 8 + struct.unpack_from("<Q", self.data, self.at)[0]
            else:
                self.value(item_kind)
        if self.at > len(self.data):
            raise struct.error("an array runs past the end of the file")
