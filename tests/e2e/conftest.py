"""Fixtures for the widget's browser tests; the helpers they use live in tests/e2e/browser.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect
from starlette.applications import Starlette
from starlette.routing import Route

from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, Host, Proxy, exit_page, host_page
from tests.service import WIDGET_ORIGIN, Service, running, serve

# Two busy cores: give auto-waiting assertions room before they call a slow machine a failure.
expect.set_options(timeout=10_000)

# -- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture(scope="session")
async def host() -> AsyncIterator[Host]:
    app = Starlette(routes=[Route("/page", host_page), Route("/exit", exit_page)])
    async with serve(app) as port:
        yield Host(port)


@pytest.fixture
async def service(tmp_path: Path, host: Host) -> AsyncIterator[Service]:
    async with running(tmp_path, widget_origins=(WIDGET_ORIGIN, host.origin)) as running_service:
        yield running_service


@pytest.fixture
async def proxy(service: Service) -> AsyncIterator[Proxy]:
    cuttable = Proxy(int(service.base.rsplit(":", 1)[1]))
    await cuttable.start()
    try:
        yield cuttable
    finally:
        await cuttable.close()


def refused_by_csp(text: str) -> bool:
    """A CSP refusal, except the inline <style> that the tools themselves add to a document (axe-core,
    and Playwright's screenshots hiding the caret); the widget sets styles only through CSSOM."""
    return "Content Security Policy" in text and not text.startswith("Applying inline style")


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh context (own sessionStorage) per test; an uncaught error in the page, or anything the
    Content-Security-Policy refused (Chromium says so in the console of the page or its frame),
    fails the test."""
    context = await browser.new_context(viewport=DESKTOP, accept_downloads=True, timezone_id="Europe/Helsinki")
    opened = await context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("console", lambda message: errors.append(message.text) if refused_by_csp(message.text) else None)
    try:
        yield opened
    finally:
        await context.close()
    assert not errors, f"uncaught errors or CSP violations in the page: {errors}"


