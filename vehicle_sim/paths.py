"""Dotted paths over a JSON-like state dump: read, write, flatten and diff.

`climate.driver.set_point` names a dict key at each step; a number names a list index (`navigation.stops.0.name`).
Lists are compared and stored whole: a change to a queue is one change of `media.sources.usb.tracks`.
"""

from __future__ import annotations

import fnmatch
from typing import Any

from pydantic import BaseModel

from vehicle_sim.errors import UnknownPathError


class Change(BaseModel):
    """One value that changed: where, from what, to what."""

    path: str
    before: Any
    after: Any


def get_path(tree: Any, path: str) -> Any:
    node = tree
    walked: list[str] = []
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            where = ".".join(walked) or "the state"
            options = ", ".join(sorted(node)) if isinstance(node, dict) else f"an index below {len(node)}" \
                if isinstance(node, list) else "nothing (it is a plain value)"
            raise UnknownPathError(f"{path!r}: {where} has no {part!r}; it has {options}")
        walked.append(part)
    return node


def set_path(tree: dict[str, Any], path: str, value: Any) -> None:
    """Set the value at `path`; every step before the last must already exist."""
    *parents, last = path.split(".")
    node = get_path(tree, ".".join(parents)) if parents else tree
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def flatten(tree: Any, prefix: str = "") -> dict[str, Any]:
    """Leaf values by dotted path; dicts are walked into, everything else (lists included) is a leaf."""
    if not isinstance(tree, dict):
        return {prefix: tree}
    leaves: dict[str, Any] = {}
    for key, value in tree.items():
        leaves.update(flatten(value, f"{prefix}.{key}" if prefix else key))
    return leaves


def diff(before: dict[str, Any], after: dict[str, Any], prefix: str = "") -> list[Change]:
    """The changes that turn `before` into `after`; a dict replaced by None (or back) is one change."""
    changes: list[Change] = []
    for key in before.keys() | after.keys():
        path = f"{prefix}.{key}" if prefix else key
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            changes += diff(old, new, path)
        elif old != new:
            changes.append(Change(path=path, before=old, after=new))
    return sorted(changes, key=lambda change: change.path)


def matches(path: str, pattern: str) -> bool:
    """Glob match on dotted paths: `vehicle.windows.*` matches `vehicle.windows.driver`."""
    return fnmatch.fnmatchcase(path, pattern)
