"""`verified.json`: the size, mtime and sha256 of each file of a store folder when it was last checked, so that a
file still of that size and mtime is trusted without hashing it again.

    save_manifest(folder, {"model.gguf": manifest_entry(folder / "model.gguf", sha256)})
    matches_manifest(read_manifest(folder).get("model.gguf"), (folder / "model.gguf").stat(), sha256)   # True
    trusted_sha256(folder / "model.gguf")   # from the manifest, or hashed once per process
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

from carvoice.models.pull import sha256_of

MANIFEST = "verified.json"


def trusted_sha256(path: Path) -> str:
    """The file's sha256: from its model folder's manifest when the file is unchanged since it was verified,
    else hashed (once per process for an unchanged file)."""
    stat = path.stat()
    entry = read_manifest(path.parent).get(path.name)
    if isinstance(entry, dict) and matches_manifest(entry, stat, str(entry.get("sha256"))):
        return entry["sha256"]
    return _hashed(path.resolve(), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _hashed(path: Path, size: int, mtime_ns: int) -> str:
    """`size` and `mtime_ns` are part of the cache key only: a file changed since is hashed again."""
    return sha256_of(path)


def manifest_entry(path: Path, sha256: str) -> dict:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256}


def matches_manifest(entry: dict | None, stat: os.stat_result, sha256: str) -> bool:
    return entry == {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256}


def read_manifest(folder: Path) -> dict:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_manifest(folder: Path, manifest: dict) -> None:
    if manifest != read_manifest(folder):
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
