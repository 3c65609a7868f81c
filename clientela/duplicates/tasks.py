"""The scan's background work (django-tasks; `make run` starts the worker)."""

from django_tasks import task

from . import scan


@task()
def scan_duplicates(kind: str, full: bool = False) -> int:
    """Scan `kind` for duplicates; returns the number of candidate pairs found."""
    return scan.scan(kind, full=full).pairs
