"""Problems found in a protocol or calendar file, each pointing at its place in the file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column count from 1, as editors show them."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class DefinitionError(Exception):
    """A file could not be loaded; `problems` says every place that is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class CalendarError(ValueError):
    """A date question the calendar cannot answer (usually: a date it does not cover)."""
