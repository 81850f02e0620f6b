"""Fixtures of the end-to-end tests: Debian's Chromium, driven by Playwright, over ``api_url``.

Playwright's own browser download is not used: the tests launch the system Chromium
(``/usr/bin/chromium``, Debian's ``chromium`` package, with ``fonts-noto-cjk`` for the
Chinese text). When it is missing the tests fail with the reason, never skip.

Every test gets an :class:`Explorer`: a fresh page of one browser profile shared by the
session, which records what a user would not see but a developer must: console errors,
uncaught exceptions, failed requests and any request leaving the API's origin (the explorer
must work offline, with no CDN). Its screenshot is saved, pass or fail, into
``artifacts/screenshots/<test name>.png`` for CI to keep.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Error,
    Locator,
    Page,
    Playwright,
    Request,
    Route,
    expect,
    sync_playwright,
)

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Generous: the first queries of a session meet a cold Neo4j.
TIMEOUT_MS = 20_000


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def chromium(
    playwright: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BrowserContext]:
    """Headless Debian Chromium with a fresh profile, for the whole session."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: the end-to-end tests need Debian's "
            "browser (apt-get install -y chromium fonts-noto-cjk); Playwright's own browser "
            "download is not used.",
            pytrace=False,
        )
    context = playwright.chromium.launch_persistent_context(
        user_data_dir=tmp_path_factory.mktemp("chromium-profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


@dataclass
class Explorer:
    """One page of the explorer, and what went wrong on it that the page does not show."""

    page: Page
    base: str
    name: str
    errors: list[str] = field(default_factory=list)

    def open(self, route: str = "") -> None:
        """Load the explorer at ``#/route`` and wait until the view has rendered."""
        self.page.goto(f"{self.base}/#/{route}")
        self.wait()

    def wait(self) -> None:
        """Wait until the current view has finished loading."""
        expect(self.page.locator("#main")).not_to_have_attribute("aria-busy", "true")
        expect(self.page.locator("#main .loading")).to_have_count(0)

    def by_test_id(self, test_id: str) -> Locator:
        return self.page.get_by_test_id(test_id)

    def api(self, path: str) -> Any:
        """The API's own answer, to compare the page with."""
        response = self.page.request.get(f"{self.base}/{path}")
        assert response.ok, f"GET /{path}: {response.status}"
        return response.json()

    def screenshot(self, view: str | None = None) -> Path:
        """Save the whole page as ``<test name>[--<view>].png`` under the screenshots."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / (self.name + (f"--{_safe(view)}" if view else "") + ".png")
        self.page.screenshot(path=path, full_page=True)
        return path

    def assert_clean(self) -> None:
        """No console errors, uncaught exceptions, failed or off-origin requests."""
        assert self.errors == [], "the page reported errors:\n" + "\n".join(self.errors)

    def platform_fonts(self, selector: str) -> list[str]:
        """The fonts Chromium really used to draw the text of the first ``selector`` match."""
        cdp = self.page.context.new_cdp_session(self.page)
        try:
            root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})
            assert node["nodeId"], f"no element matches {selector!r}"
            cdp.send("CSS.enable")
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
            return [str(f["familyName"]) for f in fonts["fonts"]]
        finally:
            cdp.detach()


def expect_chain_steps(explorer: Explorer, chain: Any) -> None:
    """The chain view shows each step of ``chain`` (the API's answer): its target document,
    the items it reaches and one row per clause pair."""
    steps = explorer.by_test_id("chain-step")
    expect(steps).to_have_count(len(chain["steps"]))
    for n, step in enumerate(chain["steps"]):
        shown = steps.nth(n)
        expect(shown).to_have_attribute("data-target-document", step["target_document"])
        targets = shown.get_by_test_id("chain-step-link").evaluate_all(
            "els => els.map(e => e.dataset.target)"
        )
        assert targets == [lk["target"]["id"] for lk in step["links"]]
        pairs = sum(len(lk["clauses"]) for lk in step["links"])
        expect(shown.get_by_test_id("chain-clause")).to_have_count(pairs)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")


@contextlib.contextmanager
def open_explorer(chromium: BrowserContext, base: str, name: str) -> Iterator[Explorer]:
    """A fresh explorer page over the API at ``base``; its screenshot is saved at the end."""
    page = chromium.new_page()
    explorer = Explorer(page=page, base=base, name=_safe(name))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            explorer.errors.append(f"console: {message.text} ({message.location.get('url')})")

    def on_request_failed(failed: Request) -> None:
        explorer.errors.append(f"request failed: {failed.url} ({failed.failure})")

    def off_origin(route: Route) -> None:
        explorer.errors.append(f"request leaving the API's origin: {route.request.url}")
        route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda e: explorer.errors.append(f"uncaught: {e}"))
    page.on("requestfailed", on_request_failed)
    page.route(lambda url: not url.startswith(base + "/"), off_origin)
    try:
        yield explorer
    finally:
        try:
            explorer.screenshot()
        except Error as e:  # a crashed page must not hide the test's own failure
            print(f"no screenshot: {e}")
        page.close()


@pytest.fixture
def explorer(
    chromium: BrowserContext, api_url: str, request: pytest.FixtureRequest
) -> Iterator[Explorer]:
    """A fresh explorer page over the corpus graph."""
    with open_explorer(chromium, api_url, request.node.name) as page:
        yield page


@pytest.fixture
def family_explorer(
    chromium: BrowserContext, family_api_url: str, request: pytest.FixtureRequest
) -> Iterator[Explorer]:
    """A fresh explorer page over the test family's graph (a three-document series)."""
    with open_explorer(chromium, family_api_url, request.node.name) as page:
        yield page
