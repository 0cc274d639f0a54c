"""Turn what the user named (a catalog name, a path, or a hub id) into files a stage can load.

- a catalog name ("whisper-tiny.en") is pulled into the store if needed;
- a path must hold a model of the right kind: a CTranslate2 whisper or Moonshine folder, a GGUF file or a
  recipe folder (base + LoRA adapter, merged like a shipped adapter: store.py), a piper `.onnx` voice, a
  microWakeWord `.json` config with its `.tflite` beside it;
- a model-hub id (a whisper size such as "small.en", or "owner/repo" for whisper, "owner/repo/file.gguf" or
  "owner/repo/voice.onnx") needs internet; offline it fails naming the models that work offline;
- anything else is refused at once, naming the close catalog names ("qwen-typo": did you mean ...?).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Literal

from carvoice.errors import CarvoiceError, did_you_mean
from carvoice.models.catalog import Catalog, Role
from carvoice.models.gguf_header import check_slm_files
from carvoice.models.pull import PullProgress
from carvoice.models.recipe import RECIPE_FILE, is_recipe_folder, read_recipe
from carvoice.models.store import ModelStore


class SttFormat(Enum):
    """The speech-to-text model folders carvoice loads, told apart by the files in them."""

    WHISPER = ("CTranslate2 whisper", ("model.bin", "config.json"))
    MOONSHINE = ("Moonshine", ("encoder_model.ort", "decoder_model_merged.ort", "tokenizer.bin"))

    def __init__(self, label: str, files: tuple[str, ...]) -> None:
        self.label, self.files = label, files

    def missing(self, folder: Path) -> list[str]:
        return [name for name in self.files if not (folder / name).is_file()]


def stt_format(folder: Path) -> SttFormat | None:
    """The format whose files are all in `folder`, or None."""
    return next((kind for kind in SttFormat if folder.is_dir() and not kind.missing(folder)), None)


def stt_folder_problem(folder: Path) -> str | None:
    """What keeps `folder` from being a speech-to-text model, or None: the files missing from the format it
    holds the most files of (whisper's when it holds none)."""
    if not folder.is_dir():
        kinds = " or ".join(f"{kind.label} ({', '.join(kind.files)})" for kind in SttFormat)
        return f"a speech-to-text model must be a folder: {kinds}"
    closest = max(SttFormat, key=lambda kind: len(kind.files) - len(kind.missing(folder)))
    missing = closest.missing(folder)
    return f"not a {closest.label} folder: {', '.join(missing)} missing" if missing else None


class ModelNotAvailableError(CarvoiceError):
    pass


@dataclass(frozen=True)
class ResolvedModel:
    name: str
    role: Role
    path: Path
    source: Literal["catalog", "path", "hub"]


def resolve(role: Role, spec: str, store: ModelStore, progress: PullProgress | None = None) -> ResolvedModel:
    """Find, and pull where needed, the model `spec` names for `role`."""
    model = store.catalog.get(spec)
    if model is not None:
        if model.role is not role:
            raise ModelNotAvailableError(f"{spec!r} is a {model.role.value} model, not a {role.value} model. "
                                         f"{_offline_choices(store.catalog, role)}")
        return ResolvedModel(model.name, role, store.ensure(model, progress), "catalog")
    path = Path(spec).expanduser()
    if path.exists() or _looks_like_path(spec):
        checked = _check_local(role, path, store.catalog)
        if role is Role.SLM and is_recipe_folder(checked):  # an own adapter is merged as a shipped one is
            checked = store.merged_recipe(checked, progress)
        return ResolvedModel(path.name, role, checked, "path")
    if not _looks_like_hub_id(role, spec):
        names = [m.name for m in store.catalog.for_role(role)]
        raise ModelNotAvailableError(f"{spec!r} is not a {role.value} model of the catalog, a path or a hub id."
                                     f"{did_you_mean(spec, names)} {_offline_choices(store.catalog, role)}")
    return ResolvedModel(spec, role, _from_hub(role, spec, store.catalog), "hub")


def _looks_like_path(spec: str) -> bool:
    """Hub file ids are 'owner/repo/file'; a name of another shape ending in a model suffix is a path."""
    return spec.startswith((".", "/", "~")) or (spec.endswith((".gguf", ".onnx", ".json")) and spec.count("/") != 2)


def _looks_like_hub_id(role: Role, spec: str) -> bool:
    """'owner/repo/file' (a GGUF file or a voice); for speech-to-text 'owner/repo' or a faster-whisper size;
    wake-word models come from the catalog or a path only."""
    parts = spec.split("/")
    if role is Role.WAKE:
        return False
    if role is not Role.STT:
        return len(parts) == 3 and all(parts)
    from faster_whisper.utils import available_models

    return (len(parts) == 2 and all(parts)) or spec in available_models()


def _check_local(role: Role, path: Path, catalog: Catalog) -> Path:
    if not path.exists():
        raise ModelNotAvailableError(f"{path}: no such file or folder. {_offline_choices(catalog, role)}")
    check = {Role.STT: stt_folder_problem, Role.SLM: _check_gguf, Role.TTS: _check_piper_voice,
             Role.WAKE: _check_wake_config}[role]
    problem = check(path)
    if problem:
        raise ModelNotAvailableError(f"{path}: {problem}")
    return path


def _check_gguf(path: Path) -> str | None:
    """Also raises the one-line error of a damaged file, or of an adapter that does not fit its base."""
    if is_recipe_folder(path):
        recipe = read_recipe(path)
        check_slm_files(recipe.base, recipe.adapter)
        return None
    if not path.is_file():
        return f"a language model must be a single .gguf file, or a folder with {RECIPE_FILE} (base + adapter)"
    check_slm_files(path)
    return None


def _check_piper_voice(path: Path) -> str | None:
    if not path.is_file() or path.suffix != ".onnx":
        return "a piper voice must be an .onnx file"
    config = path.with_name(path.name + ".json")
    return None if config.is_file() else f"the voice's config {config.name} must lie beside it"


def _check_wake_config(path: Path) -> str | None:
    if not path.is_file() or path.suffix != ".json":
        return "a wake-word model must be a microWakeWord .json config (its .tflite model beside it)"
    return None


def _from_hub(role: Role, spec: str, catalog: Catalog) -> Path:
    try:
        return _download_from_hub(role, spec)
    except Exception as exc:  # the hub client raises many kinds: offline, not found, auth, network
        raise ModelNotAvailableError(
            f"{spec!r} is neither a catalog model nor an existing path, and fetching it from the model hub "
            f"failed ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no detail'}). "
            f"This needs internet. {_offline_choices(catalog, role)}"
        ) from exc


def _download_from_hub(role: Role, spec: str) -> Path:
    if role is Role.STT:
        from faster_whisper.utils import download_model

        return Path(download_model(spec))
    from huggingface_hub import snapshot_download

    repo, _, filename = spec.rpartition("/")
    wanted = [filename, filename + ".json"] if role is Role.TTS else [filename]
    return Path(snapshot_download(repo, allow_patterns=wanted)) / filename


def _offline_choices(catalog: Catalog, role: Role) -> str:
    names = ", ".join(m.name for m in catalog.for_role(role))
    return f"Models that work offline for {role.value}: {names} (see `carvoice models list`), or a path to your own."
