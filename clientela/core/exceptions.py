from typing import Any


class StaleVersionError(Exception):
    """Someone saved the record after the user loaded it; their save would overwrite it."""

    def __init__(self, current: Any) -> None:
        super().__init__("stale version")
        self.current = current
