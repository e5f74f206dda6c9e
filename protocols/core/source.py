"""Reading YAML into plain data that remembers where every key and value came from.

`yaml.compose` gives the node tree with line and column marks; we build plain dicts and lists
from it ourselves so that duplicate keys are caught (PyYAML silently keeps the last one) and every
later error (schema or meaning) can point at the exact key or value.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import DefinitionError, Location, Problem

# An alias-expansion bomb ("billion laughs") stops here rather than eating the machine.
MAX_NODES = 200_000

_SCALAR_TAGS_AS_TEXT = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:timestamp",  # dates stay ISO text; the schema checks their format
}
_SCALAR_TAGS_CONSTRUCTED = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class LocatedDict(dict[str, Any]):
    """A mapping from a YAML file with the location of itself, its keys and its values."""

    location: Location
    key_locations: dict[str, Location]
    value_locations: dict[str, Location]


class LocatedList(list[Any]):
    """A sequence from a YAML file with the location of itself and of each item."""

    location: Location
    item_locations: list[Location]


def _location(path: str, node: Node) -> Location:
    mark = node.start_mark
    return Location(path, mark.line + 1, mark.column + 1)


def _offset_location(path: str, text: str, offset: int) -> Location:
    before = text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    return Location(path, line, column)


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.count = 0
        self.constructor = SafeConstructor()
        self.stack: set[int] = set()

    def problem(self, node: Node, message: str) -> None:
        self.problems.append(Problem(_location(self.path, node), message))

    def build(self, node: Node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(node)
        if id(node) in self.stack:
            self.problem(node, "this alias refers to itself; recursive structures are not allowed")
            return None
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        self.stack.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self.mapping(node)
            if isinstance(node, SequenceNode):
                return self.sequence(node)
        finally:
            self.stack.discard(id(node))
        self.problem(node, "unsupported YAML node")  # pragma: no cover - compose gives only three
        return None

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag in _SCALAR_TAGS_AS_TEXT:
            return node.value
        if node.tag in _SCALAR_TAGS_CONSTRUCTED:
            try:
                return self.constructor.construct_object(node, deep=True)
            except (ConstructorError, ValueError) as exc:
                self.problem(node, f"cannot read {node.value!r}: {exc}")
                return None
        self.problem(node, f"unsupported YAML tag {node.tag!r}; write plain values")
        return None

    def mapping(self, node: MappingNode) -> LocatedDict:
        result = LocatedDict()
        result.location = _location(self.path, node)
        result.key_locations = {}
        result.value_locations = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_node, "merge keys (<<) are not supported; write the keys out")
                continue
            key = self.build(key_node)
            if not isinstance(key, str):
                self.problem(
                    key_node,
                    f"key {key_node.value!r} must be text"
                    + (
                        " (YAML reads yes/no/on/off as true/false: quote it)"
                        if isinstance(key, bool)
                        else ""
                    ),
                )
                continue
            if key in result:
                first = result.key_locations[key]
                self.problem(key_node, f"duplicate key {key!r} (first given at line {first.line})")
                continue
            result[key] = self.build(value_node)
            result.key_locations[key] = _location(self.path, key_node)
            result.value_locations[key] = _location(self.path, value_node)
        return result

    def sequence(self, node: SequenceNode) -> LocatedList:
        result = LocatedList()
        result.location = _location(self.path, node)
        result.item_locations = []
        for item in node.value:
            result.append(self.build(item))
            result.item_locations.append(_location(self.path, item))
        return result


class _TooBig(Exception):
    def __init__(self, node: Node) -> None:
        self.node = node


def parse_yaml(text: str, *, path: str) -> LocatedDict:
    """Parse one YAML document whose top level is a mapping; raise DefinitionError otherwise."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path, 1, 1)
        message = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        raise DefinitionError([Problem(where, f"YAML syntax: {message}")]) from None
    except yaml.reader.ReaderError as exc:
        where = _offset_location(path, text, exc.position)
        raise DefinitionError([Problem(where, f"YAML syntax: {exc.reason}")]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error above carries a mark
        raise DefinitionError([Problem(Location(path, 1, 1), f"YAML syntax: {exc}")]) from None
    except RecursionError:
        # PyYAML's composer recurses once per nesting level: "[[[[..." thousands deep.
        raise DefinitionError(
            [Problem(Location(path, 1, 1), "the file is nested too deeply")]
        ) from None
    if root is None:
        raise DefinitionError([Problem(Location(path, 1, 1), "the file is empty")])
    builder = _Builder(path)
    try:
        data = builder.build(root)
    except _TooBig as big:
        raise DefinitionError(
            [
                Problem(
                    _location(path, big.node),
                    f"the file expands to more than {MAX_NODES} values (alias bomb?)",
                )
            ]
        ) from None
    except RecursionError:
        raise DefinitionError(
            [Problem(Location(path, 1, 1), "the file is nested too deeply")]
        ) from None
    if builder.problems:
        raise DefinitionError(builder.problems)
    if not isinstance(data, LocatedDict):
        raise DefinitionError(
            [Problem(_location(path, root), "the file must be a mapping of keys to values")]
        )
    return data


def read_yaml_file(path: str) -> LocatedDict:
    """Read and parse a YAML file; unreadable or non-UTF-8 files are problems, not tracebacks."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise DefinitionError(
            [Problem(Location(path, 1, 1), f"cannot read the file: {exc.strerror}")]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        where = _offset_location(path, good, len(good))
        raise DefinitionError([Problem(where, "the file is not UTF-8 text")]) from None
    return parse_yaml(text.removeprefix("\ufeff"), path=path)


def location_of(container: Any, key: str | int) -> Location | None:
    """Where the value under `key` (a dict key or list index) of a located container was written."""
    if isinstance(container, LocatedDict) and isinstance(key, str):
        return container.value_locations.get(key)
    if (
        isinstance(container, LocatedList)
        and isinstance(key, int)
        and 0 <= key < len(container.item_locations)
    ):
        return container.item_locations[key]
    return None


def key_location_of(container: Any, key: str) -> Location | None:
    if isinstance(container, LocatedDict):
        return container.key_locations.get(key)
    return None


def own_location(value: Any) -> Location | None:
    return getattr(value, "location", None)
