"""Our database engines: Django's own, plus a hook Django lacks (see rollback.py).

settings.DATABASES names `clientela.core.backends.postgresql` or `.sqlite3`; everything
else (features, introspection, test databases) is Django's engine unchanged."""

ENGINES = {
    "django.db.backends.postgresql": "clientela.core.backends.postgresql",
    "django.db.backends.sqlite3": "clientela.core.backends.sqlite3",
}


def with_rollback_hooks(engine: str) -> str:
    """The engine with on-rollback hooks; an engine we do not wrap is returned as is."""
    return ENGINES.get(engine, engine)
