"""Where each value of a YAML file is written: a map from its path (keys and list indexes) to its line.

PyYAML's composed node tree keeps the marks that its constructed objects lose, so the map is built from
`yaml.compose`. A mapping entry's line is that of its key (`state:` rather than the first line below it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import yaml

Path = tuple[str | int, ...]


@dataclass
class LineMap:
    lines: dict[Path, int] = field(default_factory=dict)
    duplicate_keys: list[Path] = field(default_factory=list)

    def line_of(self, path: Sequence[str | int]) -> int:
        """The line of `path`, or of its longest prefix written in the file (a missing field: its parent)."""
        known = self.known_part(path)
        return self.lines.get(known, 1)

    def known_part(self, path: Sequence[str | int]) -> Path:
        for end in range(len(path), 0, -1):
            if tuple(path[:end]) in self.lines:
                return tuple(path[:end])
        return ()


def line_map(text: str) -> LineMap:
    """The map of a YAML document (yaml.YAMLError when it is not valid YAML)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found = LineMap()
    if root is not None:
        _walk(root, (), root.start_mark.line + 1, found)
    return found


def _walk(node: yaml.Node, path: Path, line: int, found: LineMap) -> None:
    found.lines[path] = line
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = (*path, key_node.value)
            if key_path in found.lines:
                found.duplicate_keys.append(key_path)
            _walk(value_node, key_path, key_node.start_mark.line + 1, found)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), item.start_mark.line + 1, found)


def dotted(path: Sequence[str | int]) -> str:
    """`("steps", 3, "expect", "state")` -> `steps[3].expect.state`; keys with dots are quoted."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif "." in str(part) or " " in str(part):
            text += f"[{str(part)!r}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"
