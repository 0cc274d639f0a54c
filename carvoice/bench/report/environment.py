"""What a run needs on record to be reproduced: each model file's sha256 (the machine and the versions are
carvoice/machine.py's).

    model_info(resolve_model(settings, Role.SLM)).files[0].sha256
"""

from __future__ import annotations

from pathlib import Path

from carvoice.bench.report.schema import ModelFileInfo, ModelInfo
from carvoice.config import builtin_catalog
from carvoice.models import CatalogModel, ResolvedModel
from carvoice.models.pull import sha256_of


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
