"""Browser tests: Playwright driving Debian's Chromium against the real server.

- The browser is the system's `/usr/bin/chromium` (MOVEHUB_CHROMIUM overrides); Playwright never
  downloads its own. `make test`'s bootstrap installs the Debian package.
- Pages are served by the real ASGI server of tests/live_server.py on the test database, so the
  tests are `django_db(transaction=True)`.
- Every page a test opens is watched: a JavaScript error, an error on the console or a CSP
  violation (Chromium reports those on the console) fails the test at teardown.
- `assert_accessible(page)` runs axe-core (bundled by axe-playwright-python) and fails on
  serious or critical violations.
- A failing test leaves a screenshot under var/test-artifacts/<test name>.png.

Playwright's sync API runs an event loop in the test's thread while it is started. It is
started per test module and stopped at the module's end, so the loop never outlives the
browser tests (later tests in the same worker call async_to_sync freely). While a browser test
module runs, DJANGO_ALLOW_ASYNC_UNSAFE lets its tests and fixtures use the ORM between page
actions (never concurrently with them), which is what that switch is for; it is unset again with
the browser.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("MOVEHUB_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
SERIOUS = {"serious", "critical"}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright, for one test module."""
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@dataclass
class Watched:
    """A page plus what went wrong on it (console errors, page errors, CSP violations)."""

    page: Any
    base_url: str
    problems: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None
        return response


@pytest.fixture
def browser_page(
    chromium: Any, asgi_server: Any, request: pytest.FixtureRequest
) -> Iterator[Watched]:
    """A fresh page on the live server, failing the test on any console error or CSP report."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    watched = Watched(page=page, base_url=asgi_server.url)

    def on_console(message: Any) -> None:
        if message.type == "error":
            watched.problems.append(f"console: {message.text} at {message.location}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.problems.append(f"page error: {error}"))
    yield watched
    if request.node.stash.get(_FAILED, False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    assert watched.problems == [], "\n".join(watched.problems)


def sign_in(watched: Watched, *, email: str, password: str, otp: str = "") -> None:
    """Sign in through the real sign-in form."""
    page = watched.page
    watched.goto("/dashboard/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if otp:  # users with an authenticator: the code is a second page
        page.get_by_label("Authenticator code").fill(otp)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()


def assert_accessible(page: Any) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v.get("impact") in SERIOUS]
    assert serious == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(str(node["target"][0]) for node in v["nodes"][:5])
        for v in serious
    )
