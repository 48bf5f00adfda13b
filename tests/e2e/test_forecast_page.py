"""The forecast page in real Chromium, by keyboard alone: from the overview to the forecast,
the form filled and sent, the grid, its table and the fix read; axe finds no WCAG 2.1 A/AA
violations in Finnish, Swedish or English. Screenshots go to test-artifacts/coordinator/."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from tests.chat.coordinator_fixtures import COORDINATOR, add_coordinator
from tests.chat.forecast_fixtures import add_history, only_anna_on_tuesday_afternoon
from tests.e2e.test_coordinator_pages import DESKTOP, no_violations, shot, sign_in
from tests.service import Service

MOST_TABS = 60


async def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element `selector` finds has the focus."""
    target = page.locator(selector)
    for _ in range(MOST_TABS):
        await page.keyboard.press("Tab")
        if await target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} never got the focus in {MOST_TABS} tabs")


async def test_the_forecast_by_keyboard_in_three_languages(browser: Browser, service: Service) -> None:
    await add_coordinator(service)
    await add_history(service, per_hour=6, language="sv")  # Swedish chats on Tuesdays 14-16
    await only_anna_on_tuesday_afternoon(service)  # who speaks no Swedish
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    await sign_in(page, service, COORDINATOR)
    await tab_to(page, "nav.coordinator-nav a[href='/coordinator/forecast']")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1, name="Staffing forecast")).to_be_visible()
    await tab_to(page, "#week")
    # A date field by keyboard: day, month and year typed in turn as the English locale orders them.
    await page.keyboard.type("11252026")
    await tab_to(page, "#weeks")
    await page.keyboard.press("Control+a")
    await page.keyboard.type("4")
    await tab_to(page, "form.period-form button[type=submit]")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/coordinator/forecast?*weeks=4*")
    assert "week=2026-11-25" in page.url
    await expect(page.locator(".fixes li")).to_have_text(["One more Swedish-speaking shift on Tuesday 14:00–16:00"])
    grid = page.get_by_role("table", name="Predicted wait (90th percentile) and who is on shift")
    await expect(grid.locator("td.forecast--bad")).to_have_count(2)
    await expect(grid.locator("td.forecast--bad").first).to_contain_text("misses the target")
    table = page.get_by_role("table", name="The forecast hour by hour")
    await expect(table.get_by_role("row")).to_have_count(3)  # the header and Tuesday 14-15, 15-16
    await no_violations(page, "forecast (en)")
    await shot(page, "forecast-en")
    for language, fix in (("fi", "Yksi ruotsinkielinen vuoro lisää: tiistai 14.00–16.00"),
                          ("sv", "Ett svenskspråkigt pass till: tisdag 14.00–16.00")):
        await page.goto(f"{service.base}/coordinator/forecast?week=2026-11-25&weeks=4&lang={language}")
        await expect(page.locator(".fixes li")).to_have_text([fix])
        await no_violations(page, f"forecast ({language})")
        await shot(page, f"forecast-{language}")
    # The form's mistakes are summarised, each linked to its field.
    await page.goto(f"{service.base}/coordinator/forecast?week=2026-11-25&weeks=99&lang=en")
    await expect(page.locator(".error-summary a[href='#weeks']")).to_have_text("Choose 1–26 weeks")
    await no_violations(page, "forecast with errors")
    await context.close()
