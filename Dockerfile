# Clientela's production image: gunicorn serving config.wsgi, or any manage.py command
# (db_worker, migrate, backup, restore). Slim, non-root, static files collected at build.
# Build: docker build -t clientela .   (see docs/deployment.md; compose.yaml runs it)

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY config ./config
COPY clientela ./clientela
# The [s3] extra: files in an object store (CLIENTELA_STORAGE=s3).
RUN python -m venv /opt/venv && /opt/venv/bin/pip install ".[s3]"

FROM python:3.11-slim
# pg_dump and pg_restore for `manage.py backup` and `restore` (PostgreSQL 15 client:
# use a server of version 15 or older, or a newer client image for a newer server).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --create-home --home-dir /app clientela
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY manage.py gunicorn.conf.py ./
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CLIENTELA_VAR_DIR=/app/var \
    LOG_FORMAT=json
# collectstatic needs no database; the key exists only for this one command.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v0 \
    && chown -R clientela:clientela /app/var
USER clientela
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]
