"""The import's background work, on the project's one task framework (django-tasks with
its database backend; `make run` starts the worker)."""

from django_tasks import task

from . import services


@task()
def process_import(run_id: int) -> str:
    """Check or commit import `run_id`, whichever the run was queued for."""
    run = services.import_process(run_id=run_id)
    return run.status if run is not None else "skipped"
