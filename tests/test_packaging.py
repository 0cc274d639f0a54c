"""carvoice as a normal Python package: the wheel carries the intent catalog, the evaluation sets, the spoken
samples and the example intent packs, and an installed copy works from any folder, outside the repository.

The dependencies are not installed again (that would compile llama.cpp for minutes): the wheel goes into a
folder of its own, ahead of this environment's editable checkout on the path, and runs from another folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    return next(out.glob("carvoice-*.whl"))


def test_the_wheel_carries_every_shipped_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("intents", "audio_samples", "packs"):
        shipped = {f"carvoice/_shipped/{path.relative_to(ROOT).as_posix()}" for path in (ROOT / folder).rglob("*")
                   if path.is_file() and "__pycache__" not in path.parts}
        assert shipped and not shipped - names, sorted(shipped - names)[:5]
    assert "carvoice/models/catalog.yaml" in names and "vehicle_sim/data/city.json" in names


def test_an_installed_copy_understands_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    installed = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(installed), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(installed)}
    run = subprocess.run([sys.executable, "-m", "carvoice", "text", "turn on the A/C", "--json"], cwd=elsewhere,
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    turn = json.loads(run.stdout.strip().splitlines()[-1])
    assert [intent["name"] for intent in turn["intents"]] == ["set_ac"]
    where = subprocess.run([sys.executable, "-c", "import carvoice.nlu.catalog as c; print(c.INTENTS_DIR)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert where == str(installed / "carvoice" / "_shipped" / "intents")
