"""What every benchmark does to get a database of its own on the local PostgreSQL.

`bench_database_url(name)` is DATABASE_URL (or the local default) with another database name;
`database_create_if_missing(url)` creates it with PostGIS on; `django_start(url, ...)` points
Django at it, sets it up and migrates. Dev data is never touched.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DATABASE_URL = "postgis://movehub@127.0.0.1:55432/movehub"
DEFAULT_REDIS_URL = "redis://127.0.0.1:56379/0"


def bench_database_url(name: str) -> str:
    """DATABASE_URL with the database `name`."""
    parts = urlsplit(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    return urlunsplit(parts._replace(path=f"/{name}"))


def libpq_url(url: str, database: str | None = None) -> str:
    """The URL for psycopg (postgresql://), on `database` or on the URL's own."""
    parts = urlsplit(url)
    path = f"/{database}" if database else parts.path
    return urlunsplit(parts._replace(scheme="postgresql", path=path))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def database_exists(url: str) -> bool:
    import psycopg

    with psycopg.connect(libpq_url(url, "postgres"), autocommit=True) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)]
        ).fetchone()
    return row is not None


def database_drop(url: str) -> None:
    import psycopg

    with psycopg.connect(libpq_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')


def database_create_if_missing(url: str) -> None:
    """Create the URL's database unless it exists, and turn PostGIS on in it."""
    import psycopg

    if not database_exists(url):
        with psycopg.connect(libpq_url(url, "postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database_name(url)}"')
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def django_start(url: str, *, settings: str, env: dict[str, str] | None = None) -> None:
    """Point Django at `url` with `settings` (and extra environment), set it up and migrate."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    os.environ.update(env or {})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
