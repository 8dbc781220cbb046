"""Benchmark: Channels fan-out over Redis, RedisChannelLayer vs RedisPubSubChannelLayer.

Run from the repo root: .venv/bin/python bench/gps_fanout.py [--messages M] [--rate R]
    [--groups 1,10,100,500] [--senders N] [--step-seconds S] [--layers core,pubsub]
    [--max-connections P]

For each channel layer it starts a bare broadcast server (bench/_gps_fanout_app.py: Channels
only, no auth, no database; settings bench/_gps_fanout_settings.py pick the layer from
GPS_FANOUT_LAYER) under uvicorn, one worker, on 127.0.0.1 and a free port, with a per-run
channel prefix on the local Redis (REDIS_URL's server, database 2; nothing is flushed). Then:

- fan-out: for groups of 1, 10, 100 and 500 watcher sockets of one group, one sender socket
  sends M messages (default 100) at R per second (default 20); each watcher should receive each
  message once. Prints the delivery ratio (received / (M x watchers); must be exactly 1.0) and
  the p50/p95 latency sender -> watcher.
- ceiling: N sender sockets (default 200), each with its own group of 2 watchers (the ingest
  benchmark's shape), offered 250, 500, 1,000, 2,000 and 4,000 messages/s in total (each
  sender jittered) for S seconds a step (default 4); the ceiling is the highest offered rate
  delivered in full with p99 < 250 ms. That is the figure the ingest benchmark compares with.

Clients and server share this machine's cores: the figures are a floor of what the layer can
do, not a property of Redis alone. Writes var/bench/gps_fanout.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from company_search import free_port, percentile

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:56379/0"
LAYERS = ("core", "pubsub")
CEILING_RATES = (250, 500, 1000, 2000, 4000)
P99_TARGET_MS = 250.0
# Watchers connect 50 at a time: redis-py 8's pool holds 100 connections by default, and a storm
# of a few hundred simultaneous group_add calls on RedisChannelLayer fails with
# MaxConnectionsError (a 500 at the handshake); see the printed note.
JOIN_SLICE = 50
DRAIN_SECONDS = 5.0  # after the last send, how long undelivered messages are waited for


def layer_redis_url() -> str:
    parts = urlsplit(os.environ.get("REDIS_URL", DEFAULT_REDIS_URL))
    return urlunsplit(parts._replace(path="/2"))


def server_start(layer: str, port: int, log: Path, max_connections: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "_gps_fanout_settings",
        "GPS_FANOUT_LAYER": layer,
        "GPS_FANOUT_MAX_CONNECTIONS": str(max_connections or ""),
        "GPS_FANOUT_REDIS_URL": layer_redis_url(),
        "GPS_FANOUT_PREFIX": f"movehub-bench-fanout-{uuid.uuid4().hex[:8]}",
    }
    command = [
        sys.executable, "-m", "uvicorn", "_gps_fanout_app:application", "--app-dir", "bench",
        "--host", "127.0.0.1", "--port", str(port), "--lifespan", "off",
        "--no-access-log", "--log-level", "warning", "--ws-max-queue", "4096",
    ]  # fmt: skip
    with log.open("w") as stream:  # the child keeps its own descriptor
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=stream, stderr=stream)


async def server_wait(port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    from websockets.asyncio.client import connect

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {process.returncode}")
        try:
            async with connect(f"ws://127.0.0.1:{port}/ws/watch/ready/"):
                return
        except OSError:
            await asyncio.sleep(0.2)
    raise RuntimeError("the bench server did not accept a socket in time")


class Watchers:
    """Watcher sockets of some groups, counting what arrives and how late."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.received = 0
        self.duplicates = 0
        self.closed = 0
        self.expected = 0
        self.done = asyncio.Event()
        self._seen: dict[tuple[int, str], set[int]] = {}
        self._tasks: list[asyncio.Task] = []
        self._sockets: list = []

    async def join(self, port: int, group: str, count: int) -> None:
        from websockets.asyncio.client import connect

        url = f"ws://127.0.0.1:{port}/ws/watch/{group}/"
        sockets = []
        for start in range(0, count, JOIN_SLICE):
            size = min(JOIN_SLICE, count - start)
            sockets += await asyncio.gather(*(connect(url, max_queue=None) for _ in range(size)))
        for sock in sockets:
            index = len(self._sockets)
            self._sockets.append(sock)
            self._tasks.append(asyncio.create_task(self._read(sock, index)))

    async def _read(self, sock, index: int) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            await self._read_frames(sock, index)
        except ConnectionClosed:
            self.closed += 1  # the server dropped the socket: a loss, reported

    async def _read_frames(self, sock, index: int) -> None:
        async for frame in sock:
            now = time.perf_counter()
            message = json.loads(frame)
            seen = self._seen.setdefault((index, message["g"]), set())
            if message["n"] in seen:
                self.duplicates += 1
                continue
            seen.add(message["n"])
            self.received += 1
            self.latencies.append((now - message["t"]) * 1000)
            if self.expected and self.received >= self.expected:
                self.done.set()

    async def wait(self, timeout: float) -> None:
        if self.received >= self.expected:
            self.done.set()
        with contextlib.suppress(TimeoutError):  # a loss: reported, not raised
            await asyncio.wait_for(self.done.wait(), timeout)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*(sock.close() for sock in self._sockets), return_exceptions=True)


async def fanout_case(port: int, watchers_count: int, messages: int, rate: float) -> dict:
    from websockets.asyncio.client import connect

    group = f"g{watchers_count}-{uuid.uuid4().hex[:6]}"
    watchers = Watchers()
    await watchers.join(port, group, watchers_count)
    watchers.expected = messages * watchers_count
    async with connect(f"ws://127.0.0.1:{port}/ws/send/{group}/") as sender:
        started = time.perf_counter()
        for n in range(messages):
            await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
            await sender.send(json.dumps({"g": group, "n": n, "t": time.perf_counter()}))
        await watchers.wait(DRAIN_SECONDS + watchers_count / 100)
    await watchers.close()
    return {
        "watchers": watchers_count,
        "sent": messages,
        "expected": watchers.expected,
        "received": watchers.received,
        "duplicates": watchers.duplicates,
        "delivery_ratio": watchers.received / watchers.expected,
        "p50_ms": percentile(watchers.latencies, 0.50),
        "p95_ms": percentile(watchers.latencies, 0.95),
        "sockets_dropped": watchers.closed,
    }


async def ceiling_step(port: int, senders: int, rate: float, seconds: float) -> dict:
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    groups = [f"s{i}-{uuid.uuid4().hex[:6]}" for i in range(senders)]
    watchers = Watchers()
    for start in range(0, senders, JOIN_SLICE // 2):  # in slices: no connect storm
        slice_ = groups[start : start + JOIN_SLICE // 2]
        await asyncio.gather(*(watchers.join(port, g, 2) for g in slice_))
    sockets = []
    for start in range(0, senders, JOIN_SLICE):
        slice_ = groups[start : start + JOIN_SLICE]
        sockets += await asyncio.gather(
            *(connect(f"ws://127.0.0.1:{port}/ws/send/{g}/") for g in slice_)
        )
    per_sender = rate / senders
    sent = closed = 0

    async def send_loop(sock, group: str) -> None:
        nonlocal closed
        try:
            await send_messages(sock, group)
        except ConnectionClosed:
            closed += 1  # the server dropped the sender (see its log)

    async def send_messages(sock, group: str) -> None:
        nonlocal sent
        rng = random.Random(group)
        next_at = time.perf_counter() + rng.uniform(0, 1 / per_sender)
        stop_at = time.perf_counter() + seconds
        n = 0
        while next_at < stop_at:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            await sock.send(json.dumps({"g": group, "n": n, "t": time.perf_counter()}))
            n += 1
            sent += 1
            next_at += rng.uniform(0.5, 1.5) / per_sender

    started = time.perf_counter()
    await asyncio.gather(*(send_loop(s, g) for s, g in zip(sockets, groups, strict=True)))
    elapsed = time.perf_counter() - started
    watchers.expected = sent * 2
    await watchers.wait(DRAIN_SECONDS)
    await watchers.close()
    await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
    return {
        "offered_per_s": rate,
        "sent": sent,
        "sent_per_s": sent / elapsed,
        "deliveries_per_s": watchers.received / elapsed,
        "delivery_ratio": watchers.received / watchers.expected if watchers.expected else 0.0,
        "p50_ms": percentile(watchers.latencies, 0.50),
        "p99_ms": percentile(watchers.latencies, 0.99),
        "sockets_dropped": closed + watchers.closed,
    }


def step_held(step: dict) -> bool:
    """Every message delivered, no socket dropped, p99 under the target."""
    return (
        step["delivery_ratio"] == 1.0
        and step["sockets_dropped"] == 0
        and step["p99_ms"] < P99_TARGET_MS
    )


async def run_layer(layer: str, args: argparse.Namespace) -> dict:
    port = free_port()
    log = OUT / f"gps_fanout-{layer}.log"
    process = server_start(layer, port, log, args.max_connections)
    try:
        await server_wait(port, process)
        fanout = [await fanout_case(port, size, args.messages, args.rate) for size in args.groups]
        steps = []
        for rate in CEILING_RATES if args.senders else ():  # --senders 0: fan-out only
            step = await ceiling_step(port, args.senders, rate, args.step_seconds)
            steps.append(step)
            if not step_held(step):
                break  # the next step only goes worse
        held = [s for s in steps if step_held(s)]
        ceiling = max((s["sent_per_s"] for s in held), default=0.0)
        return {"fanout": fanout, "ceiling_steps": steps, "ceiling_per_s": ceiling}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        errors = log.read_text().count("Exception in ASGI application")
        print(f"{layer}: server log {log} ({errors} 'Exception in ASGI application')")


def print_report(results: dict[str, dict]) -> None:
    print("\nfan-out: one sender, M messages to a group of W watchers")
    print(f"{'layer':8} {'W':>4} {'expected':>9} {'received':>9} {'ratio':>7}", end="")
    print(f" {'p50 ms':>8} {'p95 ms':>8}")
    for layer, result in results.items():
        for row in result["fanout"]:
            print(
                f"{layer:8} {row['watchers']:>4} {row['expected']:>9} {row['received']:>9} "
                f"{row['delivery_ratio']:>7.4f} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f}"
            )
    print("\nceiling: N senders x 2 watchers, offered rate stepped up")
    print(f"{'layer':8} {'offered/s':>9} {'sent/s':>8} {'deliv/s':>8} {'ratio':>7}", end="")
    print(f" {'p50 ms':>8} {'p99 ms':>8} {'dropped':>7}")
    for layer, result in results.items():
        for row in result["ceiling_steps"]:
            print(
                f"{layer:8} {row['offered_per_s']:>9.0f} {row['sent_per_s']:>8.0f} "
                f"{row['deliveries_per_s']:>8.0f} {row['delivery_ratio']:>7.4f} "
                f"{row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} {row['sockets_dropped']:>7}"
            )
        if result["ceiling_steps"]:
            print(f"{layer:8} ceiling (full delivery, p99 < {P99_TARGET_MS:.0f} ms): "
                  f"{result['ceiling_per_s']:.0f} positions/s")  # fmt: skip
    if set(results) == set(LAYERS) and results["core"]["ceiling_per_s"]:
        ratio = results["pubsub"]["ceiling_per_s"] / results["core"]["ceiling_per_s"]
        print(f"pubsub / core ceiling ratio: {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--groups", default="1,10,100,500")
    parser.add_argument("--senders", type=int, default=200)
    parser.add_argument("--step-seconds", type=float, default=4.0)
    parser.add_argument("--layers", default=",".join(LAYERS))
    parser.add_argument(
        "--max-connections", type=int, default=0, help="Redis pool size (0: redis-py's 100)"
    )
    args = parser.parse_args()
    args.groups = [int(g) for g in args.groups.split(",")]
    layers = [name for name in args.layers.split(",") if name]
    OUT.mkdir(parents=True, exist_ok=True)
    results = {layer: asyncio.run(run_layer(layer, args)) for layer in layers}
    print_report(results)
    figures: dict[str, float] = {}
    for layer, result in results.items():
        for row in result["fanout"]:
            figures[f"{layer}_fanout_{row['watchers']}_delivery_ratio"] = row["delivery_ratio"]
            figures[f"{layer}_fanout_{row['watchers']}_p95_ms"] = round(row["p95_ms"], 2)
        figures[f"{layer}_ceiling_positions_per_s"] = round(result["ceiling_per_s"], 1)
    report = {
        "name": "gps_fanout",
        "params": {
            "messages": args.messages,
            "rate_per_s": args.rate,
            "groups": args.groups,
            "senders": args.senders,
            "watchers_per_sender": 2,
            "step_seconds": args.step_seconds,
            "offered_rates": list(CEILING_RATES),
            "p99_target_ms": P99_TARGET_MS,
            "layers": layers,
            "max_connections": args.max_connections or "redis-py default (100)",
        },
        "figures": figures,
        "details": results,
    }
    (OUT / "gps_fanout.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {OUT / 'gps_fanout.json'}")


if __name__ == "__main__":
    main()
