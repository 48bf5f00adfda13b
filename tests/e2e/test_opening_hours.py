"""The opening hours page in real Chromium: the week's table edited in place and saved at once,
a wrong time named at its input, a Christmas week closed in one entry and a past date refused;
axe (WCAG 2.1 A and AA) in every state, screenshots at 1280 and 375 px wide in
test-artifacts/coordinator/hours-*.png."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.chat.coordinator_fixtures import COORDINATOR, add_coordinator
from tests.e2e.test_coordinator_pages import no_violations, sign_in
from tests.e2e.test_roster_calendar import screenshots
from tests.service import Service


async def test_the_week_is_edited_in_place_and_a_christmas_week_closed_in_one_entry(
    page: Page, service: Service
) -> None:
    await add_coordinator(service)
    await sign_in(page, service, COORDINATOR)
    await page.get_by_role("link", name="Opening hours").first.click()
    week = page.get_by_role("table", name="Weekly opening hours")
    await expect(week.get_by_label("Monday, opening 1: opens")).to_have_value("09:00")
    await no_violations(page, "the week's table")
    await screenshots(page, "hours")

    await week.get_by_label("Friday, opening 1: closes").fill("14:00")
    await week.get_by_label("Saturday, opening 1: opens").fill("10:00")
    await week.get_by_label("Saturday, opening 1: closes").fill("9:00")
    await page.get_by_role("button", name="Save the week's hours").click()
    summary = page.get_by_role("alert")
    await expect(summary).to_be_focused()
    await expect(summary.get_by_role("link")).to_have_text(
        "Saturday, opening 1: closes: Enter the end as HH:MM (24:00 is midnight)")
    await expect(week.get_by_label("Saturday, opening 1: closes")).to_have_attribute("aria-invalid", "true")
    await no_violations(page, "the week with a wrong time")
    await screenshots(page, "hours-week-errors")
    await summary.get_by_role("link").click()
    await expect(week.get_by_label("Saturday, opening 1: closes")).to_be_focused()
    await page.keyboard.press("Control+A")
    await page.keyboard.type("14:00")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_have_text("The week's opening hours were saved.")
    await expect(week.get_by_label("Friday, opening 1: closes")).to_have_value("14:00")
    await expect(week.get_by_label("Saturday, opening 1: closes")).to_have_value("14:00")

    await page.get_by_label("First date").fill("2026-12-23")
    await page.get_by_label("Last date").fill("2027-01-01")
    await page.get_by_label("Closed all day").check()
    await page.get_by_role("button", name="Save the exception").click()
    await expect(page.get_by_role("status")).to_have_text("The exception was saved for 10 dates.")
    christmas = page.get_by_role("row", name="Closed all day")
    await expect(christmas).to_have_count(1)
    await expect(christmas.get_by_role("cell").first).to_contain_text("23")
    await no_violations(page, "a Christmas week closed")
    await screenshots(page, "hours-christmas")

    await page.get_by_label("First date").fill("2026-11-23")  # yesterday
    await page.get_by_label("Last date").fill("")
    await page.get_by_role("button", name="Save the exception").click()
    await expect(page.locator(".error-summary a[href='#exception-day']")).to_have_text(
        "The date has passed: choose today or a later date")
    await no_violations(page, "a past date refused")
    await screenshots(page, "hours-past-date")
