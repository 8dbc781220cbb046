"""Throwaway Redis and PostgreSQL servers for outage tests (never the shared ones)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import redis

from tests.live_server import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
DEADLINE_SECONDS = 15.0


class ThrowawayRedis:
    """A redis-server of our own on a free port: `stop()` kills it, `start()` brings it back on
    the same port (an outage and a recovery)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ThrowawayRedis:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            try:
                client.ping()
                return self
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)  # polling interval; the deadline decides
            finally:
                client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _as_postgres(command: list) -> list:
    """PostgreSQL refuses to run as root: run its tools as the `postgres` user then, as
    scripts/bootstrap does."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class ThrowawayPostgres:
    """An empty PostgreSQL cluster of our own (initdb in a temporary directory), started with
    pg_ctl on a free port; `stop()` shuts it down fast, `remove()` deletes it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="movehub-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.directory, user="postgres")
        self.data = self.directory / "data"
        subprocess.run(
            _as_postgres(
                [PG_BIN / "initdb", "-D", self.data, "-U", "movehub", "--auth=trust", "-E", "UTF8"]
            ),
            cwd="/",
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"postgis://movehub@127.0.0.1:{self.port}/postgres"

    def start(self) -> ThrowawayPostgres:
        log = self.directory / "log"
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(
                [PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", log, "-w", "start"]
            ),
            cwd="/",
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return self

    def stop(self) -> None:
        subprocess.run(
            _as_postgres([PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"]),
            cwd="/",
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
