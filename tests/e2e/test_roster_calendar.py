"""The roster calendar in real Chromium: the week's grid and the month's overview read by axe
(WCAG 2.1 A and AA) in every state. Screenshots at 1280 and 375 px wide go to
test-artifacts/coordinator/roster-*.png."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from tests.chat.coordinator_fixtures import COORDINATOR, add_coordinator
from tests.chat.roster_week import WEEK, warned_week
from tests.e2e.test_coordinator_pages import ARTIFACTS, no_violations, sign_in
from tests.service import Service

DESKTOP = {"width": 1280, "height": 800}


async def signed_in(browser: Browser, service: Service) -> Page:
    await add_coordinator(service)
    context = await browser.new_context(viewport=DESKTOP, timezone_id="Europe/Helsinki")
    page = await context.new_page()
    await sign_in(page, service, COORDINATOR)
    await expect(page.get_by_role("heading", level=1, name="Coordinator")).to_be_visible()
    return page


async def screenshots(page: Page, name: str) -> None:
    """The whole page at 1280 and at a phone's 375 px (test-artifacts/coordinator/NAME-WIDTH.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 800), (375, 740)):
        await page.set_viewport_size({"width": width, "height": height})
        await page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
    await page.set_viewport_size(DESKTOP)


async def test_the_week_grid_and_the_month_overview_pass_axe_with_their_warnings(
    browser: Browser, service: Service
) -> None:
    await warned_week(service)
    page = await signed_in(browser, service)
    await page.goto(f"{service.base}/coordinator/roster?week={WEEK}")
    grid = page.get_by_role("table", name="The week's shifts by advisor and day")
    await expect(grid).to_be_visible()
    await expect(grid.get_by_role("link", name="Anna, Wed 25 Nov 12:00–16:00")).to_be_visible()
    await expect(grid.get_by_role("cell", name="Bertil, Thu 26 Nov 09:00–16:00")).to_be_visible()
    await expect(page.get_by_role("heading", name="Check these shifts")).to_be_visible()
    await no_violations(page, "the week's grid with warnings")
    await screenshots(page, "roster-week")
    await page.get_by_role("link", name="Month", exact=True).click()
    await expect(page.get_by_role("heading", level=2, name="November 2026")).to_be_visible()
    await no_violations(page, "the month's overview")
    await screenshots(page, "roster-month")
    await page.context.close()
