"""Gaps ahead and shift requests in real Chromium, by the keyboard alone: an advisor offers to
cover a gap from the console's list and asks to swap a shift on its page; the coordinator
approves one request and is told why another cannot be yet; axe (WCAG 2.1 A and AA) in every
state. Screenshots at 1280 and 375 px go to test-artifacts/coordinator/requests-*.png and
gaps-*.png. The clock stands at Tuesday 24.11.2026 10:00; the service is open mon-fri 09-16."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import Page, expect

from storage import people, roster
from tests.chat.coordinator_fixtures import COORDINATOR, add_coordinator
from tests.e2e.browser import sign_out
from tests.e2e.test_coordinator_pages import no_violations, sign_in
from tests.e2e.test_roster_calendar import screenshots, tab_to
from tests.service import TUESDAY_10, Service

WEDNESDAY_9 = TUESDAY_10 + timedelta(days=1, hours=-1)
THURSDAY_12 = TUESDAY_10 + timedelta(days=2, hours=2)


async def add_shift(service: Service, username: str, start_hours: tuple[int, int], day: int) -> None:
    start = TUESDAY_10.replace(hour=start_hours[0]) + timedelta(days=day)
    async with service.db.transaction() as session:
        user = await people.user_by_username(session, username=username)
        assert user is not None and user.id is not None
        await roster.add_shifts(session, shifts=[(user.id, start, start.replace(hour=start_hours[1]))])


async def test_an_advisor_offers_to_cover_a_gap_and_asks_for_a_swap_by_the_keyboard(
        page: Page, service: Service) -> None:
    await add_shift(service, "anna", (9, 12), 1)
    await add_shift(service, "bertil", (12, 16), 2)
    await sign_in(page, service, "anna")
    gaps = page.locator("ul.gap-list")
    await expect(gaps).to_contain_text("Wed 25 Nov 12:00–16:00 has nobody on shift")
    await expect(gaps).to_contain_text("Wed 25 Nov 09:00–12:00 has nobody on shift who speaks Swedish")
    await no_violations(page, "the console with its gaps")
    await screenshots(page, "gaps-console")

    # Anna speaks no Swedish: that gap has no offer for her; the afternoon one has.
    morning = page.locator("#gap-20261125T0900")
    await expect(morning.get_by_role("button")).to_have_count(0)
    offer = page.locator("#gap-20261125T1200").get_by_role("button", name="Offer to cover")
    await expect(offer).to_have_accessible_description("Wed 25 Nov 12:00–16:00 has nobody on shift")
    await tab_to(page, offer)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status").filter(has_text="Your offer to cover")).to_have_text(
        "Your offer to cover is waiting for a coordinator.")
    await expect(page.locator("#gap-20261125T1200")).to_contain_text("You offered to cover this")
    await expect(page.locator("ul.request-list")).to_contain_text(
        "Anna offers to cover Wed 25 Nov 12:00–16:00 (waiting for a coordinator)")
    await no_violations(page, "the console after an offer")

    await tab_to(page, page.get_by_role("link", name="Swap or give away: Wed 25 Nov 09:00–12:00"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Your shift Wed 25 Nov 09:00–12:00")
    await no_violations(page, "the shift's page")
    swap_with = page.get_by_label("For this shift")
    await tab_to(page, swap_with)
    await expect(swap_with).to_have_value(await swap_with.locator("option").first.get_attribute("value") or "")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    await expect(page.locator("ul.request-list")).to_contain_text(
        "Anna asks to swap Wed 25 Nov 09:00–12:00 for Bertil's Thu 26 Nov 12:00–16:00 (waiting for Bertil's answer)")
    await no_violations(page, "the console with two requests")
    await screenshots(page, "requests-console")


async def test_the_coordinator_approves_by_the_keyboard_and_is_told_what_cannot_be_approved_yet(
        page: Page, service: Service) -> None:
    await add_shift(service, "anna", (9, 12), 1)
    await add_shift(service, "bertil", (12, 16), 2)
    await add_coordinator(service)
    # Anna offers to cover Wednesday afternoon and asks Bertil for a swap, on her console.
    await sign_in(page, service, "anna")
    await page.locator("#gap-20261125T1200").get_by_role("button", name="Offer to cover").click()
    await page.get_by_role("link", name="Swap or give away: Wed 25 Nov 09:00–12:00").click()
    await page.get_by_role("button", name="Ask to swap").click()
    await sign_out(page)

    await sign_in(page, service, COORDINATOR)
    # The roster marks both shifts of the swap, and the gap Anna offered to cover says so.
    await page.goto(f"{service.base}/coordinator/roster?week=2026-11-23")
    await expect(page.locator(".request-mark")).to_have_count(2)
    await expect(page.locator("#gap-20261125T1200")).to_contain_text("Anna offered to cover")
    await no_violations(page, "the roster with requests pending")
    await screenshots(page, "requests-roster")
    await page.goto(f"{service.base}/coordinator/requests")
    pending = page.get_by_role("region", name="Waiting for you")
    waiting = page.get_by_role("region", name="Waiting for an advisor")
    await expect(pending).to_contain_text("Anna offers to cover Wed 25 Nov 12:00–16:00")
    await expect(waiting).to_contain_text("(waiting for Bertil's answer)")
    await no_violations(page, "the coordinator's requests")
    await screenshots(page, "requests-coordinator")

    approve = pending.get_by_role("button", name="Approve")
    await expect(approve).to_have_accessible_description("Anna offers to cover Wed 25 Nov 12:00–16:00")
    await tab_to(page, approve)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_have_text(
        "Approved: the roster and the calendar feeds show the change.")
    await expect(page.get_by_role("region", name="Decided in the last 2 weeks")).to_contain_text(
        "Anna offers to cover Wed 25 Nov 12:00–16:00 (approved by Cora Coordinator)")
    await expect(pending).to_contain_text("Nothing is waiting for you.")
    await no_violations(page, "the requests after an approval")

    # The coordinator may decline the swap Bertil has not answered, by the keyboard too.
    decline = waiting.get_by_role("button", name="Decline")
    await tab_to(page, decline)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_have_text("Declined: the roster is as it was.")
    await screenshots(page, "requests-decided")
    await page.goto(f"{service.base}/coordinator/roster?week=2026-11-23")
    await expect(page.get_by_role("link", name="Anna, Wed 25 Nov 12:00–16:00")).to_be_visible()
    await expect(page.get_by_role("link", name="Bertil, Thu 26 Nov 12:00–16:00")).to_be_visible()
