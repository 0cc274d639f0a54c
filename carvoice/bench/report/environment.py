"""What a run needs on record to be reproduced: the machine, the versions, and each model file's sha256."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from carvoice import __version__
from carvoice.bench.report.schema import Machine, ModelFileInfo, ModelInfo
from carvoice.config import builtin_catalog
from carvoice.models import CatalogModel, ResolvedModel
from carvoice.models.pull import sha256_of

REPO_ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("llama-cpp-python", "faster-whisper", "piper-tts", "hassil", "home-assistant-intents", "numpy")


def machine() -> Machine:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return Machine(cpu=_cpu_model(), cores=os.cpu_count() or 1, ram_gib=round(pages / 2**30, 1),
                   os=platform.platform())


def versions() -> dict[str, str]:
    found = {"python": platform.python_version(), "carvoice": __version__, "git_commit": _git_commit()}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def model_info(model: ResolvedModel) -> ModelInfo:
    """The model's files with their sha256: from the catalog (the store verified them), else hashed here.
    A shipped adapter lists its base model's files and its own adapter file."""
    catalog = builtin_catalog()
    entry = catalog.get(model.name) if model.source == "catalog" else None
    if entry is None:
        paths = sorted(p for p in model.path.iterdir() if p.is_file()) if model.path.is_dir() else [model.path]
        files = [_hashed_here(path) for path in paths]
    elif entry.adapter_path is not None:
        files = [*_catalog_files(catalog.get(entry.base)), _hashed_here(entry.adapter_path)]
    else:
        files = _catalog_files(entry)
    return ModelInfo(role=model.role.value, name=model.name, source=model.source, files=files)


def _catalog_files(entry: CatalogModel) -> list[ModelFileInfo]:
    return [ModelFileInfo(name=f.name, size=f.size, sha256=f.sha256) for f in entry.files]


def _hashed_here(path: Path) -> ModelFileInfo:
    return ModelFileInfo(name=path.name, size=path.stat().st_size, sha256=sha256_of(path))


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO_ROOT,
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}+uncommitted" if dirty else head
