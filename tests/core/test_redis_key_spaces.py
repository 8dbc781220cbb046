"""Cache, Celery broker and channel layer live in separate Redis databases (from the env).

Clearing the cache is a FLUSHDB of its database: these tests run it against a throwaway
redis-server of their own, never against the shared one.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from asgiref.sync import async_to_sync
from celery import Celery
from channels_redis.core import RedisChannelLayer
from django.core.cache.backends.redis import RedisCache

from movehub.settings.env import redis_url_with_db

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path) -> Iterator[str]:
    """A private redis-server on a free port (no persistence); yields its URL (database 0)."""
    port = _free_port()
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(port=port, socket_connect_timeout=1)
    deadline = time.monotonic() + 10
    try:
        while True:  # bounded wait for a real condition: the server answers PING
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


def _settings_urls(**env: str) -> dict[str, str]:
    """The Redis URLs the settings derive from this environment (a fresh interpreter)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'cache': s.CACHES['default']['LOCATION'], "
        "'broker': s.CELERY_BROKER_URL, "
        "'channels': s.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0]['address']}))"
    )
    base = {k: v for k, v in os.environ.items()
            if k not in {"CELERY_BROKER_URL", "CHANNEL_LAYER_REDIS_URL"}}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT, env={**base, "DJANGO_SETTINGS_MODULE": "movehub.settings.test", **env},
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_each_key_space_defaults_to_its_own_database_of_the_redis_url_server():
    urls = _settings_urls(REDIS_URL="redis://cache.example:6380/0")

    assert urls == {
        "cache": "redis://cache.example:6380/0",
        "broker": "redis://cache.example:6380/1",
        "channels": "redis://cache.example:6380/2",
    }


def test_the_broker_and_channel_layer_urls_come_from_the_environment_when_set():
    urls = _settings_urls(
        REDIS_URL="redis://cache.example:6379/3",
        CELERY_BROKER_URL="redis://broker.example:6379/0",
        CHANNEL_LAYER_REDIS_URL="redis://ws.example:6379/5",
    )

    assert urls == {
        "cache": "redis://cache.example:6379/3",
        "broker": "redis://broker.example:6379/0",
        "channels": "redis://ws.example:6379/5",
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis://h:6379/0", "redis://h:6379/1"),
        ("redis://:secret@h:6379", "redis://:secret@h:6379/1"),
        ("rediss://h:6380/4?ssl_cert_reqs=required", "rediss://h:6380/1?ssl_cert_reqs=required"),
        ("unix:///run/redis.sock?db=0", "unix:///run/redis.sock?db=1"),
    ],
)
def test_redis_url_with_db_keeps_everything_but_the_database(url, expected):
    assert redis_url_with_db(url, 1) == expected


def test_clearing_the_cache_leaves_queued_tasks_and_channel_messages_in_place(own_redis):
    urls = _settings_urls(REDIS_URL=own_redis)
    cache = RedisCache(urls["cache"], {"KEY_PREFIX": "test"})
    # Not the current app: shared tasks elsewhere in this process must keep the project's broker.
    broker = Celery("key-spaces-test", broker=urls["broker"], set_as_current=False)
    layer = RedisChannelLayer(hosts=[urls["channels"]], prefix="test")
    broker_db = redis.Redis.from_url(urls["broker"])
    cache.set("throttle", 1)
    broker.send_task("apps.core.tasks.outbox_prune_task", queue="celery")  # queued, not eager
    async_to_sync(layer.send)("worker.channel", {"type": "position", "lat": 1})
    queued_before = broker_db.llen("celery")

    cache.clear()  # FLUSHDB of the cache's database

    assert cache.get("throttle") is None
    assert (queued_before, broker_db.llen("celery")) == (1, 1)
    task = json.loads(broker_db.lindex("celery", 0))
    assert task["headers"]["task"] == "apps.core.tasks.outbox_prune_task"
    message = async_to_sync(layer.receive)("worker.channel")
    assert message == {"type": "position", "lat": 1}
    broker_db.close()
    broker.close()
    async_to_sync(layer.flush)()
