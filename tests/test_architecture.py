"""The import rules of docs/architecture.md, enforced: the layers of the pipeline depend one way only.

Every import counts, also one inside a function (the CLI imports heavy modules lazily; they still depend).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FRONT_ENDS = ("carvoice.pipeline", "carvoice.dialog", "carvoice.assistant", "carvoice.talk", "carvoice.cli",
              "carvoice.dashboard", "carvoice.demo", "carvoice.suites", "carvoice.assistant.startup")
# The measuring tools, and the commands that run them; nothing else may import carvoice.bench.
MEASURING = ("carvoice.bench", "carvoice.cli.bench", "carvoice.cli.adversarial", "carvoice.cli.endpointing",
             "carvoice.cli.soak", "carvoice.cli.wake")

# (modules the rule is about, what they may not import, why)
RULES = [
    (("vehicle_sim",), ("carvoice",), "the car is a library of its own: it knows nothing of the assistant"),
    (("carvoice.audio", "carvoice.nlu", "carvoice.text", "carvoice.stt", "carvoice.tts", "carvoice.models"),
     FRONT_ENDS + ("carvoice.bench", "carvoice.train"),
     "a stage knows its input and output types, never the pipeline, the dialog or a front end"),
    (("carvoice.dialog",), FRONT_ENDS[:1] + FRONT_ENDS[2:] + ("carvoice.bench", "carvoice.train"),
     "the dialog turns understandings into car actions; it is driven, it drives nothing"),
    (("carvoice.assistant", "carvoice.pipeline"),
     ("carvoice.cli", "carvoice.dashboard", "carvoice.talk", "carvoice.bench", "carvoice.train"),
     "the assistant is what front ends and tools drive; it knows none of them"),
]


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


IMPORTS = {_module(path): _imports(path) for package in ("carvoice", "vehicle_sim")
           for path in sorted((ROOT / package).rglob("*.py"))}


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


@pytest.mark.parametrize(("modules", "forbidden", "why"), RULES, ids=[rule[0][0] for rule in RULES])
def test_layers_import_one_way(modules, forbidden, why):
    broken = sorted(f"{module} imports {name}" for module, names in IMPORTS.items() if _within(module, modules)
                    for name in names if _within(name, forbidden))
    assert not broken, f"{why}: {broken}"


def test_nothing_at_run_time_imports_the_benchmarks():
    broken = sorted(f"{module} imports {name}" for module, names in IMPORTS.items()
                    if not _within(module, MEASURING) for name in names if _within(name, ("carvoice.bench",)))
    assert not broken, f"the assistant must run without its measuring tools: {broken}"


def test_the_rules_look_at_real_modules():
    for modules, _, _ in RULES:
        assert all(any(_within(name, (module,)) for name in IMPORTS) for module in modules), modules
