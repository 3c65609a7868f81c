from clientela.imports.models import ImportRun
from clientela.imports.services import import_run_now, import_upload

from .files import upload


def run_import(
    user, data: bytes, *, name="clientes.csv", kind="accounts", commit=True, mode="upsert"
) -> ImportRun:
    run = import_upload(user=user, kind=kind, upload=upload(name, data), mode=mode, queue=False)
    return import_run_now(run=run, commit=commit)


def refusal_messages(run: ImportRun) -> list[tuple[int, str, str]]:
    return [(r["line"], r["field"], r["message"]) for r in run.refusals]
