"""Fixtures for the dialog tests: the real intent catalog, hand-built understandings, fresh cars and dialogs."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from carvoice.dialog import Dialog, DialogTurn
from carvoice.nlu.catalog import Call, IntentCatalog, load_intent_catalog
from carvoice.nlu.understand import Understanding
from vehicle_sim import Vehicle

Calls = Sequence[tuple[str, dict[str, Any]]]
DRIVING = {"vehicle": {"speed_kmh": 110}}


class TemplateAt(random.Random):
    """A generator whose `choice` always takes the template at one index (wrapping), to render every variant."""

    def __init__(self, index: int):
        super().__init__(0)
        self.index = index

    def choice(self, seq: Sequence[Any]) -> Any:
        return seq[self.index % len(seq)]


@pytest.fixture(scope="session")
def catalog() -> IntentCatalog:
    return load_intent_catalog()


@pytest.fixture(scope="session")
def heard() -> Callable[..., Understanding]:
    """`heard(("set_ac", {"on": True}), text=...)`: what the NLU would hand over for those calls."""

    def build(*calls: tuple[str, dict[str, Any]], text: str = "a request") -> Understanding:
        return Understanding(text=text, intents=[Call(name=name, slots=slots) for name, slots in calls],
                             raw_output="", understood=True)

    return build


@pytest.fixture
def make_dialog(catalog: IntentCatalog) -> Callable[..., Dialog]:
    def build(overrides: dict[str, Any] | None = None, seed: int = 0, vehicle: Vehicle | None = None) -> Dialog:
        return Dialog(vehicle or Vehicle(seed=3, overrides=overrides), catalog, seed=seed)

    return build


@pytest.fixture
def ask(heard: Callable[..., Understanding]) -> Callable[..., DialogTurn]:
    """`ask(dialog, ("set_ac", {"on": True}), ...)`: one turn with those calls."""

    def run(dialog: Dialog, *calls: tuple[str, dict[str, Any]]) -> DialogTurn:
        return dialog.respond(heard(*calls))

    return run


@pytest.fixture
def template_at() -> type[TemplateAt]:
    return TemplateAt
