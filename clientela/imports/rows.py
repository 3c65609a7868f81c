"""What every importer shares: a row's cells by field, the refusals of a row, and the
outcome of checking a batch."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models


@dataclass(frozen=True)
class Refusal:
    line: int
    column: str  # the header of the file's column ("" for the row as a whole)
    field: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


CREATE, UPDATE, UNCHANGED, REFUSED = "create", "update", "unchanged", "refused"


@dataclass
class Outcome:
    line: int
    action: str
    record: models.Model | None = None
    before: dict[str, str | None] = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)


@dataclass
class Row:
    """One line of the file: the text of each mapped field, and where it came from."""

    line: int
    values: dict[str, str]
    columns: dict[str, str]  # field -> the file's header for it
    errors: dict[str, list[str]] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.values

    def text(self, name: str) -> str:
        return self.values.get(name, "")

    def refuse(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def read(self, name: str, parse: Any, default: Any = None) -> Any:
        """The parsed value of a mapped, non-blank cell; `default` when blank; a refusal
        (and `default`) when the text does not parse."""
        text = self.text(name)
        if not text:
            return default
        try:
            return parse(text)
        except ValidationError as exc:
            for message in exc.messages:
                self.refuse(name, message)
            return default

    def refusals(self) -> list[Refusal]:
        return [
            Refusal(self.line, self.columns.get(name, ""), name if name != "__all__" else "", msg)
            for name, messages in self.errors.items()
            for msg in messages
        ]


def add_validation_error(row: Row, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                for message in error.messages:
                    row.refuse(name if name != "__all__" else "__all__", message)
    else:
        for message in exc.messages:
            row.refuse("__all__", message)
