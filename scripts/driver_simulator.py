#!/usr/bin/env python3
"""A small driver simulator: signs in as a driver and sends positions along a straight line.

    .venv/bin/python scripts/driver_simulator.py --email driver1@rhone-removals.demo \
        --from 45.7640,4.8357 --to 45.7500,4.8500 [--steps 20] [--interval 5] \
        [--base-url http://127.0.0.1:8000] [--password ...] [--backlog 0]

It gets an access token from POST /api/v1/auth/token/ (password from --password, else
$MOVEHUB_DEMO_PASSWORD, else the demo password), opens /ws/driver/ with the subprotocols
["bearer", <jwt>], and every --interval seconds sends one `position` from --from towards --to
(`recorded_at` now, heading the bearing of the line, speed the line's length over the run).
With --backlog K the first K points are sent at once as one `positions` batch, as a phone coming
back online would (their `recorded_at` spaced --interval apart in the past). Every `ack` and
`error` the server answers is printed; it stops after the last point is acked or after a 10 s
wait for it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any

DEFAULT_PASSWORD = "movehub-demo"  # the local demo data's password (manage.py seed_demo)
EARTH_RADIUS_M = 6_371_008.8
ACK_WAIT_SECONDS = 10.0


def parse_lat_lng(text: str) -> tuple[float, float]:
    """ "45.76,4.83" -> (45.76, 4.83), in range."""
    lat_text, _, lng_text = text.partition(",")
    lat, lng = float(lat_text), float(lng_text)
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValueError(f"{text!r} is not a latitude,longitude in range")
    return lat, lng


def distance_m(start: tuple[float, float], end: tuple[float, float]) -> float:
    """Great-circle distance (haversine) in metres."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*start, *end))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bearing_degrees(start: tuple[float, float], end: tuple[float, float]) -> float:
    """Initial bearing from `start` to `end`, degrees from north in [0, 360)."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*start, *end))
    y = math.sin(lng2 - lng1) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(lng2 - lng1)
    return math.degrees(math.atan2(y, x)) % 360.0


def position_message(
    *,
    start: tuple[float, float],
    end: tuple[float, float],
    step: int,
    steps: int,
    interval_seconds: float,
    recorded_at: datetime,
) -> dict[str, Any]:
    """The `position` message of point `step` (0..steps-1) of `steps` from `start` to `end`.

    Points are evenly spaced, the first at `start` and the last at `end`; `speed` (m/s) is the
    line's length over the (steps - 1) intervals; `recorded_at` must be aware.
    """
    if steps < 2 or not 0 <= step < steps:
        raise ValueError("need steps >= 2 and 0 <= step < steps")
    if recorded_at.tzinfo is None:
        raise ValueError("recorded_at must carry an offset")
    fraction = step / (steps - 1)
    lat = start[0] + (end[0] - start[0]) * fraction
    lng = start[1] + (end[1] - start[1]) * fraction
    speed = distance_m(start, end) / ((steps - 1) * interval_seconds)
    return {
        "type": "position",
        "lat": round(lat, 6),
        "lng": round(lng, 6),
        "heading": round(bearing_degrees(start, end), 1),
        "speed": round(speed, 2),
        "accuracy": 5.0,
        "recorded_at": recorded_at.isoformat(),
    }


def positions_message(items: list[dict[str, Any]]) -> dict[str, Any]:
    """An offline backlog: `position` messages as one `positions` batch (items without `type`)."""
    return {
        "type": "positions",
        "items": [{k: v for k, v in item.items() if k != "type"} for item in items],
    }


def access_token(base_url: str, email: str, password: str, otp: str | None) -> str:
    """POST /api/v1/auth/token/ -> the access token (exits with the API's error otherwise)."""
    body = {"email": email, "password": password} | ({"otp": otp} if otp else {})
    request = urllib.request.Request(  # noqa: S310 (main() allows http(s) only)
        f"{base_url.rstrip('/')}/api/v1/auth/token/",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (http(s) given)
            return json.load(response)["access"]
    except urllib.error.HTTPError as exc:
        sys.exit(f"sign-in refused ({exc.code}): {exc.read().decode(errors='replace')}")
    except urllib.error.URLError as exc:
        sys.exit(f"cannot reach {base_url}: {exc.reason} (is `make run` running?)")


def websocket_url(base_url: str) -> str:
    base = base_url.rstrip("/")
    scheme, _, rest = base.partition("://")
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest}/ws/driver/"


def origin_of(base_url: str) -> str:
    """The Origin header for the socket: the server's own origin (scheme://host[:port]).

    The server's origin check (apps.core.asgi.BrowserOriginValidator) accepts a handshake with
    no Origin header, as a native app sends; the simulator presents the site's own origin anyway
    (harmless: it passes the check as well).
    """
    parts = urllib.parse.urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


async def drive(args: argparse.Namespace, token: str) -> int:
    """Send the points, print answers; 0 when the last point was acked, 1 otherwise."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed, InvalidStatus
    from websockets.typing import Origin, Subprotocol

    start, end = parse_lat_lng(args.start), parse_lat_lng(args.end)
    now = datetime.now(UTC)
    backlog = [
        position_message(
            start=start, end=end, step=step, steps=args.steps, interval_seconds=args.interval,
            recorded_at=now - timedelta(seconds=args.interval * (args.backlog - step)),
        )
        for step in range(args.backlog)
    ]  # fmt: skip
    last_sent: str | None = None
    last_acked = asyncio.Event()

    async def read(sock) -> None:
        async for frame in sock:
            message = json.loads(frame)
            if message.get("type") == "ack":
                print(f"ack   last={message.get('last')}")
                if last_sent is not None and message.get("last") == last_sent:
                    last_acked.set()
            elif message.get("type") == "error":
                details = f" {message['details']}" if message.get("details") else ""
                print(f"error {message.get('code')}: {message.get('message')}{details}")
            else:
                print(f"other {message}")

    try:
        async with connect(
            websocket_url(args.base_url),
            subprotocols=[Subprotocol("bearer"), Subprotocol(token)],
            origin=Origin(origin_of(args.base_url)),
        ) as sock:
            print(f"connected to {websocket_url(args.base_url)} ({sock.subprotocol})")
            reader = asyncio.create_task(read(sock))
            if backlog:
                await sock.send(json.dumps(positions_message(backlog)))
                print(f"sent  positions x{len(backlog)} (backlog)")
            for step in range(args.backlog, args.steps):
                if step > args.backlog or backlog:
                    await asyncio.sleep(args.interval)
                message = position_message(
                    start=start, end=end, step=step, steps=args.steps,
                    interval_seconds=args.interval, recorded_at=datetime.now(UTC),
                )  # fmt: skip
                last_sent = message["recorded_at"]
                last_acked.clear()  # an earlier point's ack (fast flushes) is not the last one's
                await sock.send(json.dumps(message))
                print(f"sent  position {step + 1}/{args.steps} {message['lat']},{message['lng']}")
            try:
                await asyncio.wait_for(last_acked.wait(), ACK_WAIT_SECONDS)
            except TimeoutError:
                print("the last position was not acked in time")
            reader.cancel()
    except InvalidStatus as exc:
        print(f"handshake refused: HTTP {exc.response.status_code}")
        return 1
    except ConnectionClosed as exc:
        print(f"closed by the server: {exc.rcvd}")
        return 1
    return 0 if last_acked.is_set() else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--email", required=True)
    parser.add_argument(
        "--password", default=os.environ.get("MOVEHUB_DEMO_PASSWORD", DEFAULT_PASSWORD)
    )
    parser.add_argument("--otp", default=None, help="TOTP code, when the account has TOTP")
    parser.add_argument("--from", dest="start", default="45.7640,4.8357", help="lat,lng")
    parser.add_argument("--to", dest="end", default="45.7500,4.8500", help="lat,lng")
    parser.add_argument("--steps", type=int, default=20, help="points on the line (>= 2)")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between points")
    parser.add_argument("--backlog", type=int, default=0, help="first K points as one batch")
    args = parser.parse_args(argv)
    if not args.base_url.startswith(("http://", "https://")):
        parser.error("--base-url must be http:// or https://")
    if args.steps < 2 or not 0 <= args.backlog <= min(args.steps, 500) or args.interval <= 0:
        parser.error("need --steps >= 2, 0 <= --backlog <= min(steps, 500), --interval > 0")
    token = access_token(args.base_url, args.email, args.password, args.otp)
    return asyncio.run(drive(args, token))


if __name__ == "__main__":
    sys.exit(main())
