"""Readable pydantic validation errors for data files: locations use item names instead of list indexes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, ValidationError

from carvoice.yaml_lines import line_map


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"{pattern!r} is not a regular expression: {error}") from None
    return pattern


RegularExpression = Annotated[str, AfterValidator(_compiles)]
"""A field holding a regular expression: a broken one is an error when the file is read, not at first use."""


def describe_errors(data: Any, error: ValidationError) -> str:
    """One indented line per problem, e.g. `  intents[set_fan].slots[speed].type: Input should be ...`."""
    return "\n".join(f"  {named_location(data, err['loc'])}: {err['msg']}" for err in error.errors())


def located_errors(path: Path, text: str, data: Any, error: ValidationError) -> str:
    """One line per problem with the file and line it is on: `intents/climate.yaml:42: intents[set_fan]...: ...`."""
    lines = line_map(text)
    return "\n".join(f"{path}:{lines.line_of(err['loc'])}: {named_location(data, err['loc'])}: {err['msg']}"
                     for err in error.errors())


def named_location(data: Any, location: tuple) -> str:
    """`models.0.files.1.sha256` -> `models[whisper-tiny.en].files[model.bin].sha256`, easier to find in the file."""
    text, node = "", data
    for key in location:
        node = node[key] if _has(node, key) else None
        name = node.get("name") if isinstance(key, int) and isinstance(node, dict) else None
        text += f"[{name}]" if name else f"[{key}]" if isinstance(key, int) else f".{key}"
    return text.lstrip(".") or "(top level)"


def _has(node: Any, key: Any) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
