"""A real ASGI server for tests of the server path: the Procfile's `web` line, run as a subprocess.

In-process clients (DRF's APIClient, Django's test client) skip the ASGI server and Django's
ASGIHandler: how bodies are read and framed, which headers are trusted, and which code path
(sync or async) the middleware takes. Tests of those go through `LiveServer`, which runs exactly
the command of the Procfile's `web:` line (so a flag changed there is tested here) with
`DJANGO_SETTINGS_MODULE=movehub.settings.test`, on 127.0.0.1 and a free port, against the
pytest test database.

Fixtures (tests/conftest.py):
- `asgi_server`: one server per test module, default settings.
- `asgi_server_factory`: `asgi_server_factory(THROTTLE_OTP_IP="2/hour", REDIS_URL=...)` starts a
  server with extra environment variables for one test; stopped at the end of that test.

The server sees only committed rows: tests that use it are `django_db(transaction=True)`.
Each server has its own cache key prefix, so throttle counters never leak between servers.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
STARTUP_DEADLINE_SECONDS = 30.0
STOP_DEADLINE_SECONDS = 10.0


def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def procfile_command(process: str = "web") -> str:
    """The shell command of one Procfile line."""
    for line in (REPO_ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return command.strip()
    raise LookupError(f"No {process!r} line in the Procfile.")


def database_url_for(database_name: str) -> str:
    """DATABASE_URL of the running tests with another database name (the test database)."""
    base = os.environ.get("DATABASE_URL", "postgis://movehub@127.0.0.1:55432/movehub")
    return f"{base.rsplit('/', 1)[0]}/{database_name}"


class LiveServer:
    """One `uvicorn movehub.asgi:application` subprocess; `url`, `client()`, `raw()`, `stop()`."""

    def __init__(self, *, database_name: str, env: dict[str, str] | None = None):
        self.port = free_port()
        self.host = "127.0.0.1"
        self.url = f"http://{self.host}:{self.port}"
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in stop())
            prefix="movehub-live-server-", suffix=".log", delete=False
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "movehub.settings.test",
            "DATABASE_URL": database_url_for(database_name),
            "MOVEHUB_WEB_PORT": str(self.port),
            # Own cache key prefix, channel-layer prefix and media root (movehub/settings/test.py).
            "MOVEHUB_TEST_RUN_ID": f"live-{uuid.uuid4().hex[:12]}",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.media_root = REPO_ROOT / "var" / "test-media" / self.env["MOVEHUB_TEST_RUN_ID"]

    def start(self) -> LiveServer:
        command = f"exec {procfile_command('web')}"
        self.process = subprocess.Popen(
            ["/bin/sh", "-c", command],
            cwd=REPO_ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_healthy()
        return self

    def wait_until_healthy(self, deadline_seconds: float = STARTUP_DEADLINE_SECONDS) -> None:
        """Poll /health/ until it answers 200; fail with the server's log if it never does."""
        assert self.process is not None
        deadline = time.monotonic() + deadline_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The server exited ({self.process.returncode}):\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/health/", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)  # polling interval, not synchronisation: the deadline decides
        raise RuntimeError(
            f"The server did not answer /health/ in {deadline_seconds} s:\n{self.log()}"
        )

    def client(self, **kwargs: Any) -> httpx.Client:
        kwargs.setdefault("timeout", 10.0)
        return httpx.Client(base_url=self.url, **kwargs)

    def raw(self, request: bytes, *, timeout: float = 10.0) -> RawResponse:
        """Send raw bytes (a request head, maybe part of a body) and read one response."""
        return raw_exchange(self.host, self.port, request, timeout=timeout)

    def log(self) -> str:
        return Path(self._log.name).read_text(errors="replace")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_DEADLINE_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        Path(self._log.name).unlink(missing_ok=True)
        shutil.rmtree(self.media_root, ignore_errors=True)

    def __repr__(self) -> str:
        return f"<LiveServer {self.url} {shlex.quote(procfile_command('web'))}>"


class RawResponse:
    """Status, lower-cased headers and body of a response read off a socket."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status_code = status
        self.headers = headers
        self.content = body

    def json(self) -> Any:
        import json

        return json.loads(self.content)


def raw_exchange(host: str, port: int, request: bytes, *, timeout: float) -> RawResponse:
    """Write `request` as is, then read the response head and its Content-Length body.

    The request may declare more body than it sends: the server must answer without it.
    """
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(request)
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"Connection closed before a response: {buffer!r}")
            buffer += chunk
        head, _, body = buffer.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return RawResponse(int(status_line.split()[1]), headers, body[:length])
