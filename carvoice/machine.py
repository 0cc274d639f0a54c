"""What this machine is, for every figure a benchmark prints: the CPU, the SIMD instructions the inference
libraries use, cores, memory, the threads per model, and the versions of the libraries doing the work.

    machine = this_machine()
    print(machine.describe(threads=2))   # AMD EPYC 7B13, 2 cores, 23.5 GiB, SIMD avx2 avx512f avx512_vnni, ...
    versions()["llama-cpp-python"]       # "0.3.36"
    print(engine_versions())             # llama-cpp-python 0.3.36, ctranslate2 4.8.5, onnxruntime 1.32.0

The same code runs 3-4x apart on CPUs with and without AVX-512/VNNI, so a timing without them means little.
"""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from carvoice import __version__

REPO_ROOT = Path(__file__).resolve().parents[1]
SIMD_FLAGS = ("avx", "avx2", "fma", "f16c", "avx512f", "avx512_vnni", "avx_vnni", "amx_tile", "asimd", "sve")
"""The /proc/cpuinfo flags that decide how fast llama.cpp, CTranslate2 and ONNX Runtime run."""
ENGINES = ("llama-cpp-python", "ctranslate2", "onnxruntime")
"""The inference runtimes under the three model roles: what a timing depends on besides the CPU."""
PACKAGES = ("llama-cpp-python", "faster-whisper", "ctranslate2", "onnxruntime", "piper-tts", "moonshine-voice",
            "pymicro-wakeword", "hassil", "home-assistant-intents", "numpy")


class Machine(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    cpu: str
    cores: int
    ram_gib: float
    os: str
    simd: list[str] = []
    """The SIMD_FLAGS this CPU has (empty in reports written before they were recorded)."""

    def describe(self, threads: int | None = None) -> str:
        parts = [self.cpu, f"{self.cores} cores", f"{self.ram_gib:g} GiB",
                 f"SIMD {' '.join(self.simd) or 'unknown'}"]
        return ", ".join(parts + ([f"{threads} threads per model"] if threads else []))


def this_machine() -> Machine:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return Machine(cpu=_cpu_model(), cores=os.cpu_count() or 1, ram_gib=round(pages / 2**30, 1),
                   os=platform.platform(), simd=_simd_flags())


def versions() -> dict[str, str]:
    found = {"python": platform.python_version(), "carvoice": __version__, "git_commit": _git_commit()}
    return found | {package: _version(package) for package in PACKAGES}


def engine_versions() -> str:
    return ", ".join(f"{package} {_version(package)}" for package in ENGINES)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpuinfo_lines() -> list[str]:
    try:
        return Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return []


def _cpu_model() -> str:
    for line in _cpuinfo_lines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _simd_flags() -> list[str]:
    """From the first CPU's `flags` (x86) or `Features` (Arm) line."""
    for line in _cpuinfo_lines():
        if line.startswith(("flags", "Features")):
            present = set(line.split(":", 1)[1].split())
            return [flag for flag in SIMD_FLAGS if flag in present]
    return []


def _git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO_ROOT,
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}+uncommitted" if dirty else head
