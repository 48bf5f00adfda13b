"""The roster calendar in real Chromium: the week's grid and the month's overview, a shift added
and moved by the keyboard alone, one dragged with the pointer, the ticked shifts cancelled and
the change undone without JavaScript; axe (WCAG 2.1 A and AA) in every state. Screenshots at
1280 and 375 px wide go to test-artifacts/coordinator/roster-*.png. The week:
tests/chat/roster_week.py (the clock stands at Tuesday 24.11.2026 10:00)."""

from __future__ import annotations

import re

from playwright.async_api import Browser, Locator, Page, expect

from tests.chat.coordinator_fixtures import COORDINATOR, add_coordinator
from tests.chat.roster_week import WEEK, warned_week
from tests.e2e.browser import DESKTOP
from tests.e2e.test_coordinator_pages import ARTIFACTS, no_violations, sign_in
from tests.service import Service

GRID = "The week's shifts by advisor and day"


async def at_the_roster(page: Page, service: Service) -> Locator:
    """Signed in as the coordinator, the warned week's grid on screen."""
    await warned_week(service)
    await add_coordinator(service)
    await sign_in(page, service, COORDINATOR)
    await page.goto(f"{service.base}/coordinator/roster?week={WEEK}")
    grid = page.get_by_role("table", name=GRID)
    await expect(grid).to_be_visible()
    return grid


async def screenshots(page: Page, name: str) -> None:
    """The whole page at 1280 and at a phone's 375 px (test-artifacts/coordinator/NAME-WIDTH.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 800), (375, 740)):
        await page.set_viewport_size({"width": width, "height": height})
        await page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
    await page.set_viewport_size(DESKTOP)


async def tab_to(page: Page, target: Locator, *, limit: int = 150) -> None:
    """Press Tab until `target` has the focus: what a keyboard user does to get there."""
    for _ in range(limit):
        if await target.evaluate("element => element === document.activeElement"):
            return
        await page.keyboard.press("Tab")
    raise AssertionError(f"{target} is not reached by Tab")


async def test_the_week_grid_and_the_month_overview_pass_axe_with_their_warnings(page: Page, service: Service) -> None:
    grid = await at_the_roster(page, service)
    await expect(grid.get_by_role("link", name="Anna, Wed 25 Nov 12:00–16:00")).to_be_visible()
    await expect(grid.get_by_role("cell", name="Bertil, Thu 26 Nov 09:00–16:00")).to_be_visible()
    await expect(page.get_by_role("heading", name="Check these shifts")).to_be_visible()
    await expect(page.locator("#keys-hint")).to_be_visible()  # the script is there: the keys work
    await no_violations(page, "the week's grid with warnings")
    await screenshots(page, "roster-week")
    await page.get_by_role("link", name="Month", exact=True).click()
    await expect(page.get_by_role("heading", level=2, name="November 2026")).to_be_visible()
    await no_violations(page, "the month's overview")
    await screenshots(page, "roster-month")


async def test_a_shift_is_added_moved_cancelled_and_brought_back_with_the_keyboard_alone(
    page: Page, service: Service
) -> None:
    grid = await at_the_roster(page, service)
    await tab_to(page, grid.get_by_role("link", name="Add a shift: Anna, Thu 26 Nov"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Add a shift: Anna, Thu 26 Nov")
    await expect(page.get_by_label("Starts")).to_be_focused()
    await no_violations(page, "the add page")
    await page.keyboard.type("10:00")
    await page.keyboard.press("Tab")
    await page.keyboard.type("12:00")
    await page.keyboard.press("Enter")

    shift = grid.get_by_role("link", name="Anna, Thu 26 Nov 10:00–12:00")
    await expect(shift).to_be_focused()
    await expect(page.get_by_role("status")).to_have_text("The shift was added.")
    await page.keyboard.press("Shift+ArrowRight")  # to Friday, an exception date: closed
    moved = grid.get_by_role("link", name="Anna, Fri 27 Nov 10:00–12:00")
    await expect(moved).to_be_focused()
    await expect(moved).to_have_accessible_description(re.compile(r"^Exception: closed A focused shift moves"))
    await page.keyboard.press("Shift+ArrowUp")  # an hour earlier
    await expect(grid.get_by_role("link", name="Anna, Fri 27 Nov 09:00–11:00")).to_be_focused()
    await expect(page.get_by_role("status")).to_have_text("1 shift was moved.")
    await no_violations(page, "a shift moved by the keyboard")
    await screenshots(page, "roster-keyboard-moved")

    await page.keyboard.press("Delete")
    await expect(page.get_by_role("status")).to_have_text("1 shift was cancelled.")
    await expect(page.locator("#done")).to_be_focused()
    await expect(grid.get_by_role("link", name="Anna, Fri 27 Nov 09:00–11:00")).to_have_count(0)
    await no_violations(page, "a shift cancelled, its undo offered")
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("button", name="Undo")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(grid.get_by_role("link", name="Anna, Fri 27 Nov 09:00–11:00")).to_be_focused()
    await expect(page.get_by_role("status")).to_have_text("The change was undone.")
    await no_violations(page, "the cancel undone")
    # A move into the past is refused: the error summary takes the focus and names the shift.
    await tab_to(page, grid.get_by_role("link", name="Anna, Wed 25 Nov 09:00–13:00"))
    await page.keyboard.press("Shift+ArrowLeft")
    summary = page.get_by_role("alert")
    await expect(summary).to_be_focused()
    await expect(summary.get_by_role("link")).to_have_text(
        "Anna, Wed 25 Nov 09:00–13:00: A shift cannot start in the past.")
    await expect(summary.get_by_role("link")).to_have_attribute("href", re.compile(r"^#shift-\d+$"))
    await expect(page.locator("#bulk-days")).to_have_value("0")  # nothing typed there: nothing kept
    await no_violations(page, "a move refused")
    await screenshots(page, "roster-move-refused")


async def test_a_shift_dragged_to_another_persons_day_moves_there(page: Page, service: Service) -> None:
    grid = await at_the_roster(page, service)
    bertil = grid.get_by_role("link", name="Bertil, Thu 26 Nov 09:00–16:00")
    chloe_wednesday = grid.locator("td[data-advisor='chloe'][data-day='2026-11-25']")
    await bertil.drag_to(chloe_wednesday)
    moved = grid.get_by_role("link", name="Chloe, Wed 25 Nov 09:00–16:00")
    await expect(moved).to_be_focused()
    await expect(bertil).to_have_count(0)
    await expect(page.get_by_role("status")).to_have_text("1 shift was moved.")
    await no_violations(page, "a shift dragged to another cell")
    await screenshots(page, "roster-dragged")
    # A press without a drag is a click: the shift's own page opens.
    await moved.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Chloe, Wed 25 Nov 09:00–16:00")
    await no_violations(page, "a shift's page")
    await screenshots(page, "roster-shift")


async def test_without_javascript_the_ticked_shifts_are_cancelled_and_the_undo_works(
    browser: Browser, service: Service
) -> None:
    context = await browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = await context.new_page()
    grid = await at_the_roster(page, service)
    await expect(page.locator("#keys-hint")).to_be_hidden()  # no script: no keys to tell of
    for name in ("Anna, Wed 25 Nov 09:00–13:00", "Anna, Wed 25 Nov 12:00–16:00"):
        await grid.get_by_role("checkbox", name=f"Select {name}").check()
    await page.get_by_role("button", name="Cancel the ticked shifts").click()
    await expect(page.get_by_role("status")).to_have_text("2 shifts were cancelled.")
    await expect(page.locator("#done")).to_be_focused()
    await expect(grid.get_by_role("link", name="Anna, Wed 25 Nov 09:00–13:00")).to_have_count(0)
    await screenshots(page, "roster-bulk-cancelled")
    await page.get_by_role("button", name="Undo").click()
    await expect(page.get_by_role("status")).to_have_text("The change was undone.")
    await expect(grid.get_by_role("link", name="Anna, Wed 25 Nov 09:00–13:00")).to_be_visible()
    await context.close()
