#!/usr/bin/env python3
"""Screenshots of the real dashboard pages for the README: PNGs under docs/img/.

    .venv/bin/python scripts/screenshots.py [--base-url http://127.0.0.1:8000] [--out docs/img]

Run it against `make run` (its demo data: jobs today, a job on the road, a truck the demo driver
moves). It drives Debian's Chromium (/usr/bin/chromium, or $MOVEHUB_CHROMIUM) with Playwright,
signs in through the real sign-in form as the demo user each page needs, and saves one PNG per
page in PAGES. The page list is data: a page that is not installed (404) is skipped with a
message, so the script runs on any checkout. `{booking}` in a path is the demo job on the road
(found with the dispatcher's API token).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = os.environ.get("MOVEHUB_CHROMIUM", "/usr/bin/chromium")
PASSWORD = os.environ.get("MOVEHUB_DEMO_PASSWORD", "movehub-demo")
OWNER = "owner@rhone-removals.demo"
DISPATCHER = "dispatcher@rhone-removals.demo"
DRIVER = "driver1@rhone-removals.demo"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Shot:
    name: str  # the PNG's name (docs/img/<name>.png)
    path: str  # may contain {booking}
    user: str
    viewport: dict[str, int]
    ready: str = ""  # a JavaScript expression to wait for before the shot


PAGES = [
    Shot("today", "/dashboard/today/", DISPATCHER, DESKTOP),
    Shot("booking-detail", "/dashboard/bookings/{booking}/", DISPATCHER, DESKTOP),
    Shot("schedule", "/dashboard/schedule/", DISPATCHER, DESKTOP),
    Shot("pricing", "/dashboard/pricing/", OWNER, DESKTOP),
    Shot("insights", "/dashboard/insights/", OWNER, DESKTOP),
    Shot(
        "live-map",
        "/dashboard/map/",
        DISPATCHER,
        DESKTOP,
        ready="() => document.getElementById('live-map').dataset.live === 'true'",
    ),
    Shot("driver-jobs", "/dashboard/jobs/", DRIVER, PHONE),
]


def job_on_the_road(base_url: str) -> int | None:
    """The id of the dispatcher's company's booking in progress (the demo job on the road)."""
    request = urllib.request.Request(  # noqa: S310 (the base URL is checked to be http(s))
        f"{base_url}/api/v1/auth/token/",
        data=json.dumps({"email": DISPATCHER, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        token = json.load(response)["access"]
    request = urllib.request.Request(  # noqa: S310
        f"{base_url}/api/v1/bookings/?status=in_progress",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        body = json.load(response)
    rows = body.get("results", body) if isinstance(body, dict) else body
    in_progress = [row["id"] for row in rows if row.get("status") == "in_progress"]
    return in_progress[0] if in_progress else None


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/dashboard/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs/img"))
    parser.add_argument("--only", nargs="*", help="names of the pages to take")
    args = parser.parse_args(argv)
    base_url = args.base_url.rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        parser.error("--base-url must be http:// or https://")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    booking = job_on_the_road(base_url)

    from playwright.sync_api import sync_playwright

    taken = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        for shot in PAGES:
            if args.only and shot.name not in args.only:
                continue
            if "{booking}" in shot.path and booking is None:
                print(f"skip {shot.name}: no booking in progress (run seed_demo)")
                continue
            context = browser.new_context(viewport=shot.viewport)
            page = context.new_page()
            sign_in(page, base_url, shot.user)
            response = page.goto(base_url + shot.path.format(booking=booking))
            status = response.status if response else 0
            if status != 200:
                print(f"skip {shot.name}: {shot.path} answered {status}")
                context.close()
                continue
            if shot.ready:
                page.wait_for_function(shot.ready)
            target = out / f"{shot.name}.png"
            page.screenshot(path=str(target), full_page=True)
            print(f"took {target}")
            taken += 1
            context.close()
        browser.close()
    return 0 if taken else 1


if __name__ == "__main__":
    sys.exit(main())
