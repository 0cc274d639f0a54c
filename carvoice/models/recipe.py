"""An SLM made of parts: a base GGUF, optionally a LoRA adapter GGUF on top, and the prompt style it was
trained for. Described by `slm.json` in a folder; `--slm FOLDER` and catalog adapter models resolve to
such a folder, and the NLU stage loads base + adapter with the right prompt from it.

    {"base": "/…/qwen2.5-coder-0.5b-instruct.gguf", "adapter": "/…/adapter.gguf", "prompt": "short"}

A student trained for an intent pack lists the pack's intent names (`"intents": [...]`): its short prompt names
no intents, so it understands only those it was trained on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from carvoice.errors import CarvoiceError

RECIPE_FILE = "slm.json"


class RecipeError(CarvoiceError):
    pass


class SlmRecipe(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    base: Path
    adapter: Path | None = None
    prompt: Literal["full", "short"] = "full"
    intents: list[str] | None = None  # a short-prompt student's intents; None: the built-in catalog's


def is_recipe_folder(path: Path) -> bool:
    return path.is_dir() and (path / RECIPE_FILE).is_file()


def read_recipe(folder: Path) -> SlmRecipe:
    """The recipe in `folder`, its files checked to exist (relative paths are taken from the folder)."""
    path = folder / RECIPE_FILE
    try:
        recipe = SlmRecipe.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RecipeError(f"{path}: cannot read the model recipe ({exc.strerror})") from exc
    except ValidationError as exc:
        raise RecipeError(f"{path}: invalid model recipe: {exc.errors()[0]['msg']}") from exc
    recipe = recipe.model_copy(update={"base": folder / recipe.base,
                                       "adapter": folder / recipe.adapter if recipe.adapter else None})
    missing = [str(p) for p in (recipe.base, recipe.adapter) if p is not None and not p.is_file()]
    if missing:
        raise RecipeError(f"{path}: the model recipe names missing files: {', '.join(missing)}")
    return recipe


def write_recipe(folder: Path, recipe: SlmRecipe) -> Path:
    """Write `slm.json` into `folder` (only when it changes, so its mtime means something)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / RECIPE_FILE
    text = recipe.model_dump_json(indent=1)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return folder
