"""One django-environ reader for every settings module, with `NAME_FILE` secret support."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def secret(name: str, default: str | None = None) -> str:
    """Read a secret from `NAME`, or from the file named by `NAME_FILE` (mounted secrets)."""
    file_path = env.str(f"{name}_FILE", default="")
    if file_path:
        return Path(file_path).read_text().strip()
    if default is None:
        return env.str(name)
    return env.str(name, default=default)


def redis_url_with_db(url: str, db: int) -> str:
    """`url` pointing at logical database `db` of the same server.

    redis://h:6379/0 -> redis://h:6379/<db> (also rediss://); unix:///run/redis.sock?db=0 ->
    ...?db=<db> (the path is the socket there).
    """
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "db"] + [("db", str(db))]
        return f"unix://{parts.netloc}{parts.path}?{urlencode(query)}"
    return urlunsplit(parts._replace(path=f"/{db}"))
