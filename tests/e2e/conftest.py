"""Browser tests: Playwright's sync API driving Debian's Chromium (never a downloaded browser)
against pytest-django's live server. Shared by every e2e test file.

Fixtures: `browser` (one per session), `page` (JavaScript on), `nojs_page` (JavaScript off, as
Tor Browser's "Safest" level). Mark tests with @pytest.mark.e2e.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
# are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("SIGAP_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: browser test (needs Chromium at /usr/bin/chromium)")


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM}: install Debian's chromium package to run browser tests"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def _page(browser: Any, *, javascript: bool) -> Iterator[Any]:
    context = browser.new_context(
        java_script_enabled=javascript, locale="id-ID", viewport={"width": 390, "height": 844}
    )  # a small phone
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    yield from _page(browser, javascript=True)


@pytest.fixture
def nojs_page(browser: Any) -> Iterator[Any]:
    yield from _page(browser, javascript=False)
