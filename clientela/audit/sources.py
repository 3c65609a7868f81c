"""Where a history entry came from when it was not a form or the API (an import, later a
merge): the entry stores a short code ("import:12"); the module that wrote it says how
to show it. Registered in the module's AppConfig.ready(), so the audit app depends on
none of them.

    register_source("import", lambda key: Source(_("Import #%s") % key, url))
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    label: str
    url: str = ""


_DESCRIBERS: dict[str, Callable[[str], Source]] = {}


def register_source(prefix: str, describe: Callable[[str], Source]) -> None:
    _DESCRIBERS[prefix] = describe


def source_code(prefix: str, key: object) -> str:
    return f"{prefix}:{key}"


def describe_source(code: str | None) -> Source | None:
    """How to show a stored source code; None for entries without one (or of a module
    no longer installed)."""
    if not code:
        return None
    prefix, _sep, key = code.partition(":")
    describe = _DESCRIBERS.get(prefix)
    return describe(key) if describe is not None else None
