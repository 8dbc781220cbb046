"""One django-environ reader for every settings module, with `NAME_FILE` secret support."""

from __future__ import annotations

from pathlib import Path

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
