"""Benchmark: the GPS ingest end to end (drivers -> server -> PostgreSQL + watchers), stepped N.

Run from the repo root: .venv/bin/python bench/gps_ingest.py [--drivers 100,250,500,1000,2000]
    [--step-seconds 10] [--budget-seconds 60] [--flush-seconds S] [--workers W] [--no-deflate]
    [--ceiling-dispatch direct|stock]

Starts the production-like server itself (uvicorn movehub.asgi:application, --workers W,
movehub.settings.test: DEBUG off) on 127.0.0.1 and a free port, on its own database
(movehub_bench_gps, bench/_gps_ingest_seed.py: one in-progress job per driver). For each N
(sockets are kept and added between steps): N driver sockets (/ws/driver/, JWT) each send a
`position` every 5 s (jittered 4-6 s), and 2 watchers per driver (the booking's customer and
the company's owner on /ws/bookings/<id>/) receive them. Per step it prints positions/s stored,
driver -> watcher latency p50/p99, and loss: sent - acked - refused (must be 0) and deliveries
missing (2 x acked - received, must be 0), the server's and the clients' CPU (cores busy) and
the bench database's commits/s. Then, for every N, the ceiling under the same load: the bare
Channels broadcast server of bench/gps_fanout.py (no auth, no database, the project's layer,
one process; by default dispatching like the tracking sockets, without Channels' per-message
hop to the sync thread, whose queueing alone puts its p99 over 250 ms at N = 2000) with N
senders x 2 watchers at the same rate: its p50/p99 and the ratio of throughputs. The largest
N holding p99 < 250 ms with zero loss, and positions/s per core beside Traccar's claim
(8,000 msg/s on 4 cores).
The ingest acks and broadcasts a position once its batch is stored: with the default
TRACKING_FLUSH_SECONDS (0.1) a lone position waits up to 0.1 s; --flush-seconds sets it for the
server (e.g. 1.0) to measure the latency the batching costs. Steps stop at the first one that
loses anything (a step over the latency target goes on: throughput is still measured) or when
the time budget is spent (no new step after it). Clients and the server share this machine's
cores. Writes var/bench/gps_ingest.json.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the bench modules
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # the project
import _gps_ingest_seed as seeding
from company_search import free_port, percentile, server_wait
from gps_fanout import ceiling_step
from gps_fanout import server_start as fanout_server_start
from gps_fanout import server_wait as fanout_server_wait

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
INTERVAL_SECONDS = 5.0
P99_TARGET_MS = 250.0
DRAIN_SECONDS = 30.0  # a lagging server gets this long to ack and deliver: late is not lost
CONNECT_SLICE = 50
TRACCAR_PER_CORE = 8000 / 4
# The clients' own garbage collections (thousands of sockets in this process) would stop their
# event loop for up to a second and count as server latency: the server's thresholds here too.
CLIENT_GC_THRESHOLDS = (50_000, 20, 100)


def raise_open_files_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # children inherit it
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def server_start(url: str, port: int, log: Path, args: argparse.Namespace) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": seeding.SETTINGS, "DATABASE_URL": url}
    env.update(seeding.SERVER_ENV)
    if args.flush_seconds:
        env["TRACKING_FLUSH_SECONDS"] = args.flush_seconds
    command = [
        sys.executable, "-m", "uvicorn", "movehub.asgi:application", "--host", "127.0.0.1",
        "--port", str(port), "--lifespan", "off", "--no-proxy-headers", "--no-access-log",
        "--log-level", "warning", "--workers", str(args.workers),
        "--ws-per-message-deflate", "false" if args.no_deflate else "true",
    ]  # fmt: skip
    with log.open("w") as stream:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=stream, stderr=stream)


class Fleet:
    """Connected driver and watcher sockets, what was sent, acked, refused and delivered."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.drivers: list = []  # (socket, job)
        self.sent_at: dict[tuple[int, str], float] = {}
        self.sent = self.acked = self.refused = self.received = self.duplicates = 0
        self.latencies: list[float] = []
        self.dropped = 0
        self._seen: set[tuple[int, int, str]] = set()
        self._tasks: list[asyncio.Task] = []
        self._sockets: list = []

    def _url(self, path: str, token: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}?token={token}"

    async def add(self, jobs: list) -> None:
        from websockets.asyncio.client import connect

        origin = f"http://127.0.0.1:{self.port}"
        for start in range(0, len(jobs), CONNECT_SLICE):
            slice_ = jobs[start : start + CONNECT_SLICE]
            watchers = await asyncio.gather(
                *(
                    connect(self._url(f"/ws/bookings/{job.booking_id}/", token), origin=origin)
                    for job in slice_
                    for token in job.watcher_tokens
                )
            )
            for index, sock in enumerate(watchers):
                job = slice_[index // 2]
                watcher_id = len(self._sockets)
                self._sockets.append(sock)
                self._tasks.append(asyncio.create_task(self._watch(sock, watcher_id, job)))
            drivers = await asyncio.gather(
                *(
                    connect(self._url("/ws/driver/", job.driver_token), origin=origin)
                    for job in slice_
                )
            )
            for sock, job in zip(drivers, slice_, strict=True):
                self._sockets.append(sock)
                self.drivers.append((sock, job))
                self._tasks.append(asyncio.create_task(self._acks(sock)))

    async def _watch(self, sock, watcher_id: int, job) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for frame in sock:
                now = time.perf_counter()
                event = json.loads(frame)
                if event.get("type") != "position":
                    continue
                key = (watcher_id, job.booking_id, event["recorded_at"])
                if key in self._seen:
                    self.duplicates += 1
                    continue
                self._seen.add(key)
                self.received += 1
                sent = self.sent_at.get((job.booking_id, event["recorded_at"]))
                if sent is not None:
                    self.latencies.append((now - sent) * 1000)
        except ConnectionClosed:
            self.dropped += 1

    async def _acks(self, sock) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for frame in sock:
                kind = json.loads(frame).get("type")
                if kind == "ack":
                    self.acked += 1
                elif kind == "error":
                    self.refused += 1
        except ConnectionClosed:
            self.dropped += 1

    async def drive(self, seconds: float) -> float:
        """Every driver sends a position every ~5 s for `seconds`; returns the elapsed time."""

        async def one(sock, job, rng: random.Random) -> None:
            next_at = time.perf_counter() + rng.uniform(0, INTERVAL_SECONDS)
            stop_at = time.perf_counter() + seconds
            while next_at < stop_at:
                await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
                recorded_at = datetime.now(UTC).isoformat()
                lat = 45.80 + rng.uniform(0, 0.01)  # > 4 km from the jobs' stops: no arrival
                message = {"type": "position", "lat": round(lat, 6), "lng": 4.80,
                           "speed": 10.0, "recorded_at": recorded_at}  # fmt: skip
                self.sent_at[(job.booking_id, recorded_at)] = time.perf_counter()
                await sock.send(json.dumps(message))
                self.sent += 1
                next_at += rng.uniform(0.8, 1.2) * INTERVAL_SECONDS

        started = time.perf_counter()
        await asyncio.gather(
            *(one(sock, job, random.Random(job.booking_id)) for sock, job in self.drivers)
        )
        return time.perf_counter() - started

    async def drain(self) -> None:
        """Wait (up to DRAIN_SECONDS) until every sent position is acked or refused and every
        acked one delivered to both watchers."""
        deadline = time.monotonic() + DRAIN_SECONDS
        while time.monotonic() < deadline:
            if self.acked + self.refused >= self.sent and self.received >= 2 * self.acked:
                return
            await asyncio.sleep(0.05)  # polling interval; the deadline decides

    def reset(self) -> None:
        self.sent = self.acked = self.refused = self.received = self.duplicates = 0
        self.latencies = []

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*(sock.close() for sock in self._sockets), return_exceptions=True)


def stored_count() -> int:
    from apps.tracking.models import Position

    return Position.objects.count()


def database_commits() -> int:
    """Transactions committed in the bench database so far (PostgreSQL's statistics, which lag
    by up to a second: a step's figure is approximate)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        )
        return int(cursor.fetchone()[0])


def client_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server process and its children (uvicorn's workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    total = 0
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


async def ingest_steps(
    port: int, pid: int, jobs: list, args: argparse.Namespace, deadline: float
) -> list:
    fleet = Fleet(port)
    steps: list[dict] = []
    try:
        for n in args.drivers:
            if n > len(jobs) or time.monotonic() > deadline:
                break
            connect_started = time.perf_counter()
            await fleet.add(jobs[len(fleet.drivers) : n])
            connect_seconds = time.perf_counter() - connect_started
            fleet.reset()
            before = await asyncio.to_thread(stored_count)
            commits_before = await asyncio.to_thread(database_commits)
            cpu_before = server_cpu_seconds(pid)
            client_before = client_cpu_seconds()
            elapsed = await fleet.drive(args.step_seconds)
            drain_started = time.perf_counter()
            await fleet.drain()
            # Sustained: over the sending time plus the time the server needed to catch up
            # (a lagging server's late rows do not count as if stored in the sending window).
            drained = time.perf_counter() - drain_started
            stored = await asyncio.to_thread(stored_count) - before
            cpu = server_cpu_seconds(pid) - cpu_before
            client_cpu = client_cpu_seconds() - client_before
            commits = await asyncio.to_thread(database_commits) - commits_before
            step = {
                "drivers": n,
                "watchers": 2 * n,
                "connect_seconds": round(connect_seconds, 2),
                "sent": fleet.sent,
                "acked": fleet.acked,
                "refused": fleet.refused,
                "stored": stored,
                "catch_up_seconds": round(drained, 2),
                "stored_per_s": stored / (elapsed + drained),
                "deliveries": fleet.received,
                "deliveries_per_s": fleet.received / (elapsed + drained),
                "duplicates": fleet.duplicates,
                "loss": fleet.sent - fleet.acked - fleet.refused,
                "deliveries_missing": 2 * fleet.acked - fleet.received,
                "sockets_dropped": fleet.dropped,
                "p50_ms": percentile(fleet.latencies, 0.50),
                "p99_ms": percentile(fleet.latencies, 0.99),
                "server_cpu_per_s": cpu / (elapsed + drained),  # cores busy
                "client_cpu_per_s": client_cpu / (elapsed + drained),  # this process's
                "commits_per_s": commits / (elapsed + drained),
            }
            steps.append(step)
            print(step_line("ingest", step), flush=True)
            if not lossless(step):
                break  # the next step only loses more
    finally:
        await fleet.close()
    return steps


def lossless(step: dict) -> bool:
    return (
        step["loss"] == 0
        and step["refused"] == 0
        and step["deliveries_missing"] == 0
        and step["duplicates"] == 0
        and step["sockets_dropped"] == 0
    )


def held(step: dict) -> bool:
    return lossless(step) and step["p99_ms"] < P99_TARGET_MS


def step_line(kind: str, step: dict) -> str:
    return (
        f"{kind:8} N={step['drivers']:>5} stored/s={step.get('stored_per_s', 0):7.1f} "
        f"deliv/s={step['deliveries_per_s']:7.1f} p50={step['p50_ms']:7.1f} ms "
        f"p99={step['p99_ms']:7.1f} ms loss={step.get('loss', 0)} "
        f"missing={step.get('deliveries_missing', 0)} dropped={step['sockets_dropped']}"
    )


async def ceiling_for(n: int, seconds: float, dispatch: str) -> dict:
    """The bare consumer (one process) under step N's load, on a fresh server."""
    os.environ["GPS_FANOUT_DISPATCH"] = dispatch  # the child inherits it
    port = free_port()
    log = OUT / "gps_ingest-ceiling.log"
    process = fanout_server_start("pubsub", port, log, 0)
    try:
        await fanout_server_wait(port, process)
        step = await ceiling_step(port, n, n / INTERVAL_SECONDS, seconds)
    finally:
        process.terminate()
        process.wait(timeout=10)
    step["drivers"] = n
    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drivers", default="100,250,500,1000,2000", help="N steps")
    parser.add_argument("--step-seconds", type=float, default=10.0)
    parser.add_argument("--budget-seconds", type=float, default=60.0, help="no new step after")
    parser.add_argument(
        "--flush-seconds", default="", help="the server's TRACKING_FLUSH_SECONDS (default 0.1)"
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn --workers")
    parser.add_argument(
        "--ceiling-dispatch",
        choices=["direct", "stock"],
        default="direct",
        help="the bare consumer's dispatch: direct (no per-message hop to the sync thread, as"
        " the tracking sockets) or Channels' stock one",
    )
    parser.add_argument(
        "--no-deflate", action="store_true", help="uvicorn --ws-per-message-deflate false"
    )
    args = parser.parse_args()
    load_at_start = os.getloadavg()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in load_at_start)}")
    args.drivers = [int(n) for n in args.drivers.split(",")]
    OUT.mkdir(parents=True, exist_ok=True)
    open_files = raise_open_files_limit()
    gc.freeze()
    gc.set_threshold(*CLIENT_GC_THRESHOLDS)
    url = seeding.bench_database_url()
    seeding.database_prepare(url, drivers=max(args.drivers))
    jobs, reused = seeding.seed(drivers=max(args.drivers))
    print(f"seed: {len(jobs)} drivers with in-progress jobs ({'reused' if reused else 'created'})"
          f"; open files limit {open_files}")  # fmt: skip
    started = time.monotonic()
    port = free_port()
    log = OUT / "gps_ingest-server.log"
    server = server_start(url, port, log, args)
    try:
        server_wait(port, server)
        deadline = started + args.budget_seconds
        steps = asyncio.run(ingest_steps(port, server.pid, jobs, args, deadline=deadline))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    errors = log.read_text().count("Exception in ASGI application")
    print(f"server log {log} ({errors} 'Exception in ASGI application')")
    # The ceiling at every N (same run, same load): if the bare consumer cannot hold the
    # latency target at some N on this machine, no server can.
    ceilings = []
    for step in steps:
        ceiling = asyncio.run(
            ceiling_for(step["drivers"], args.step_seconds, args.ceiling_dispatch)
        )
        step["ceiling_p50_ms"] = ceiling["p50_ms"]
        step["ceiling_p99_ms"] = ceiling["p99_ms"]
        step["ceiling_sent_per_s"] = ceiling["sent_per_s"]
        step["ratio"] = step["stored_per_s"] / ceiling["sent_per_s"] if ceiling["sent_per_s"] else 0
        ceilings.append(ceiling)
        print(step_line("ceiling", ceiling))
    print(f"{'N':>5} {'stored/s':>9} {'p50':>7} {'p99':>7} {'cpu':>5} {'client':>6} "
          f"{'commit/s':>8} | "
          f"{'bare/s':>7} {'bare p50':>8} {'bare p99':>8} | ratio")  # fmt: skip
    for step in steps:
        print(f"{step['drivers']:>5} {step['stored_per_s']:9.1f} {step['p50_ms']:7.0f} "
              f"{step['p99_ms']:7.0f} {step['server_cpu_per_s']:5.2f} "
              f"{step['client_cpu_per_s']:6.2f} "
              f"{step['commits_per_s']:8.1f} | {step['ceiling_sent_per_s']:7.1f} "
              f"{step['ceiling_p50_ms']:8.0f} {step['ceiling_p99_ms']:8.0f} "
              f"| {step['ratio']:.2f}")  # fmt: skip
    last, ceiling = steps[-1], ceilings[-1]
    ratio = last["ratio"]
    held_steps = [step for step in steps if held(step)]
    best = held_steps[-1] if held_steps else None
    ceiling_held = [c["drivers"] for c in ceilings if c["p99_ms"] < P99_TARGET_MS]
    cores = os.cpu_count() or 1
    per_core = best["stored_per_s"] / cores if best else 0.0
    print(f"ingest / bare-consumer throughput at N={last['drivers']}: {ratio:.2f}")
    print(f"largest N holding p99 < {P99_TARGET_MS:.0f} ms with zero loss: "
          f"{best['drivers'] if best else 'none'}; {per_core:.1f} positions/s stored per core "
          f"({cores} cores) beside Traccar's claimed {TRACCAR_PER_CORE:.0f}/core")  # fmt: skip
    print(f"largest N where the bare consumer holds p99 < {P99_TARGET_MS:.0f} ms: "
          f"{max(ceiling_held) if ceiling_held else 'none'}")  # fmt: skip
    previous = OUT / "gps_fanout.json"
    fanout_ceiling = None
    if previous.exists():
        fanout_ceiling = json.loads(previous.read_text())["figures"].get(
            "pubsub_ceiling_positions_per_s"
        )
        print(f"bench/gps_fanout.py's last pubsub ceiling (stepped rate): {fanout_ceiling}/s")
    report = {
        "name": "gps_ingest",
        "params": {
            "drivers": args.drivers,
            "step_seconds": args.step_seconds,
            "budget_seconds": args.budget_seconds,
            "tracking_flush_seconds": args.flush_seconds or "0.1 (default)",
            "interval_seconds": INTERVAL_SECONDS,
            "watchers_per_driver": 2,
            "p99_target_ms": P99_TARGET_MS,
            "cores": cores,
            "open_files_limit": open_files,
            "server": f"uvicorn movehub.asgi:application, {seeding.SETTINGS}",
            "workers": args.workers,
            "ceiling_dispatch": args.ceiling_dispatch,
            "ws_per_message_deflate": not args.no_deflate,
            "load_average_at_start": load_at_start,
        },
        "figures": {
            "largest_n_p99_under_target": best["drivers"] if best else 0,
            "stored_per_s_at_largest_n": round(best["stored_per_s"], 1) if best else 0.0,
            "p99_ms_at_largest_n": round(best["p99_ms"], 1) if best else None,
            "stored_per_s_per_core": round(per_core, 1),
            "traccar_claim_per_core": TRACCAR_PER_CORE,
            "ceiling_sent_per_s_same_load": round(ceiling["sent_per_s"], 1),
            "ceiling_p99_ms_same_load": round(ceiling["p99_ms"], 1),
            "ceiling_largest_n_p99_under_target": max(ceiling_held) if ceiling_held else 0,
            "ingest_over_ceiling_ratio": round(ratio, 3),
            "gps_fanout_pubsub_ceiling_per_s": fanout_ceiling,
            "server_exceptions": errors,
        },
        "details": {"steps": steps, "ceilings": ceilings},
    }
    (OUT / "gps_ingest.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {OUT / 'gps_ingest.json'}")


if __name__ == "__main__":
    main()
