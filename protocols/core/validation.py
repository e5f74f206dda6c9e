"""JSON Schema validation whose every error points at the key or value in the YAML file."""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

from .problems import Location, Problem
from .source import LocatedDict, key_location_of, location_of, own_location

SCHEMA_NAMES = ("protocol", "part", "calendar")
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping of keys to values",
    "array": "a list",
    "null": "empty",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = (
        resources.files("protocols.core")
        .joinpath("schemas")
        .joinpath(f"{name}.schema.json")
        .read_text("utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator(name: str) -> Draft202012Validator:
    registry: Registry[Any] = Registry().with_resources(
        (f"{other}.schema.json", Resource.from_contents(load_schema(other)))
        for other in SCHEMA_NAMES
    )
    return Draft202012Validator(
        load_schema(name), registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def dotted(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _walk(root: Any, path: Sequence[str | int]) -> Any:
    node = root
    for part in path:
        node = node[part]
    return node


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _problems_for(error: ValidationError, root: LocatedDict, fallback: Location) -> list[Problem]:
    path = list(error.absolute_path)
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    expected_value: Any = error.validator_value
    where = dotted(path)
    prefix = f"{where}: " if where else ""
    instance = error.instance
    container = _walk(root, path[:-1]) if path else None
    value_location = (
        (location_of(container, path[-1]) if path else None) or own_location(instance) or fallback
    )

    if error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(schema.get("properties", {}))
        problems = []
        for key in instance:
            if key in allowed:
                continue
            near = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else f" (allowed: {', '.join(allowed)})"
            problems.append(
                Problem(
                    key_location_of(instance, key) or value_location,
                    f"{prefix}unknown key {key!r}{hint}",
                )
            )
        return problems
    if error.validator == "required" and isinstance(instance, dict):
        missing = [k for k in expected_value if k not in instance]
        return [
            Problem(
                own_location(instance) or value_location, f"{prefix}missing required key {key!r}"
            )
            for key in missing
        ]
    if error.validator == "type":
        expected = expected_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_WORDS.get(n, n) for n in names)
        return [Problem(value_location, f"{prefix}must be {wanted}, not {_describe(instance)}")]
    if error.validator == "enum":
        options = ", ".join(str(o) for o in expected_value)
        return [Problem(value_location, f"{prefix}{_describe(instance)} is not one of: {options}")]
    if error.validator == "pattern":
        description = schema.get("description") or f"the pattern {expected_value}"
        return [
            Problem(value_location, f"{prefix}{_describe(instance)} is not valid: {description}")
        ]
    if error.validator == "format" and error.validator_value == "date":
        return [
            Problem(
                value_location, f"{prefix}{_describe(instance)} is not a real date (YYYY-MM-DD)"
            )
        ]
    if error.validator in {"minItems", "minLength"} and not instance:
        return [Problem(value_location, f"{prefix}must not be empty")]
    if error.validator in {"minProperties", "maxProperties"} and isinstance(instance, dict):
        return [
            Problem(value_location, f"{prefix}give 'field' and exactly one of 'equals' or 'in'")
        ]
    if error.validator == "uniqueItems":
        return [Problem(value_location, f"{prefix}lists the same item twice")]
    return [Problem(value_location, f"{prefix}{error.message}")]


def schema_problems(data: LocatedDict, *, schema: str) -> list[Problem]:
    fallback = data.location
    problems: list[Problem] = []
    for error in _validator(schema).iter_errors(data):
        # allOf wrappers report their inner errors; descend so the message is the specific one.
        leaves = [error]
        while leaves and any(e.context for e in leaves):
            leaves = [c for e in leaves for c in (e.context or [e])]
        for leaf in leaves:
            problems.extend(_problems_for(leaf, data, fallback))
    return sorted(set(problems))
