#!/usr/bin/env python3
"""`make run`'s demo driver: drives the demo job's truck back and forth across Lyon, then idles.

    .venv/bin/python scripts/demo_driver.py [--base-url http://127.0.0.1:8000] [--legs 30]

Waits (up to 60 s) for the server's /health/, then runs scripts/driver_simulator.py as the demo
driver (driver1@rhone-removals.demo, the driver of seed_demo's job on the road) for `--legs`
legs between the job's origin and destination, one position every 4 s (about 65 km/h). It is
bounded (30 legs of 4 minutes by default, 2 hours) and local only (the base URL must be a
loopback address). When done or when the server is unreachable it idles instead of exiting,
because honcho stops every process of `make run` when one exits; Ctrl-C stops it with the rest.
Disable it with MOVEHUB_DEMO_DRIVER=0.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import driver_simulator

EMAIL = "driver1@rhone-removals.demo"
# seed_demo's job on the road (apps/bookings/demo.py ON_THE_ROAD_FROM / ON_THE_ROAD_TO).
ROUTE = ("45.7578,4.8320", "45.7719,4.8902")
STEPS, INTERVAL_SECONDS = 60, 4.0
HEALTH_WAIT_SECONDS = 60
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def server_ready(base_url: str, *, wait_seconds: float) -> bool:
    """Whether GET /health/ answers 200 within `wait_seconds` (polled twice a second)."""
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base_url}/health/", timeout=2) as response:  # noqa: S310 (loopback http only)
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)  # polling a process we do not control: no event to wait on
    return False


def idle(reason: str) -> None:
    print(f"demo driver: {reason}; idle until make run stops.", flush=True)
    signal.pause()


def _say(reason: str) -> None:
    print(f"demo driver: {reason}.", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    port = os.environ.get("MOVEHUB_WEB_PORT", "8000")
    parser.add_argument("--base-url", default=f"http://127.0.0.1:{port}")
    legs = int(os.environ.get("MOVEHUB_DEMO_DRIVER_LEGS", "30"))
    parser.add_argument("--legs", type=int, default=legs)
    parser.add_argument("--route", default=":".join(ROUTE), help="lat,lng:lat,lng")
    parser.add_argument("--steps", type=int, default=STEPS, help="points per leg")
    parser.add_argument("--interval", type=float, default=INTERVAL_SECONDS, help="seconds")
    parser.add_argument(
        "--exit-when-done", action="store_true", help="exit instead of idling (for tests)"
    )
    args = parser.parse_args(argv)
    finish = _say if args.exit_when_done else idle
    if os.environ.get("MOVEHUB_DEMO_DRIVER", "1") == "0":
        finish("disabled (MOVEHUB_DEMO_DRIVER=0)")
        return 0
    if urllib.parse.urlsplit(args.base_url).hostname not in LOOPBACK_HOSTS:
        parser.error("--base-url must be a loopback address (the demo driver is local only)")
    if not server_ready(args.base_url, wait_seconds=HEALTH_WAIT_SECONDS):
        finish(f"{args.base_url}/health/ did not answer")
        return 1
    route = tuple(args.route.split(":", 1))
    for leg in range(args.legs):
        start, end = route if leg % 2 == 0 else route[::-1]
        print(f"demo driver: leg {leg + 1}/{args.legs} {start} -> {end}", flush=True)
        try:
            code = driver_simulator.main(
                [
                    "--base-url", args.base_url, "--email", EMAIL, "--from", start, "--to", end,
                    "--steps", str(args.steps), "--interval", str(args.interval),
                ]
            )  # fmt: skip
        except SystemExit as exc:  # the simulator exits on a refused sign-in
            code = exc.code if isinstance(exc.code, int) else 1
            print(f"demo driver: {exc}", flush=True)
        if code != 0:
            finish(f"the simulator stopped (exit {code})")
            return code
    finish(f"done after {args.legs} legs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
