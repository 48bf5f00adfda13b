"""The cooperation group's report in real Chromium: axe finds no WCAG 2.1 A/AA violations, it is
worked by keyboard, and printed (print media, and a PDF) it is A4 pages, each section from a new
page, without the header, menus, period form or download links. The organisation's promise and
the coordinator's hand-over by keyboard, axe clean. Screenshots and the PDF go to
test-artifacts/coordinator/."""

from __future__ import annotations

import re

from playwright.async_api import Browser, expect

from storage import people
from tests.chat.coordinator_fixtures import COORDINATOR, add_coordinator
from tests.chat.share_fixtures import known_roster_and_duty_log
from tests.e2e.test_coordinator_pages import ARTIFACTS, DESKTOP, no_violations, shot, sign_in
from tests.service import Service

A4_POINTS = (595.0, 842.0)  # 210 mm × 297 mm


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """The width and height of each page of a PDF, in points (its uncompressed page objects)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(float(width), float(height)) for width, height in boxes]


async def test_the_report_passes_axe_works_by_keyboard_and_prints_to_a4_without_navigation(
    browser: Browser, service: Service
) -> None:
    await add_coordinator(service)
    orgs = await known_roster_and_duty_log(service)
    async with service.db.transaction() as session:
        kotka = await people.organisation_by_id(session, organisation_id=orgs["kotka"])
        assert kotka is not None
        await people.set_promise(session, organisation=kotka, hours=40)
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    await sign_in(page, service, COORDINATOR)
    await page.get_by_role("link", name="Report", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("The cooperation group's report")
    await expect(page.get_by_role("img", name="Coverage: planned and actual")).to_be_visible()
    await no_violations(page, "report")
    await shot(page, "report")

    # By keyboard: the skip link first, then on through the page to a half-year of the presets.
    await page.keyboard.press("Tab")
    await expect(page.locator(":focus")).to_have_text("Skip to main content")
    await page.keyboard.press("Enter")
    await expect(page.locator("#main")).to_be_focused()
    for _ in range(20):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.textContent") == "January–June 2026":
            break
    await expect(page.locator(":focus")).to_have_text("January–June 2026")
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"from=2026-01-01&to=2026-06-30"))
    await page.goto(f"{service.base}/coordinator/report?half=2026-H2")
    await expect(page.get_by_role("link", name="July–December 2026")).to_have_attribute("aria-current", "page")

    await page.emulate_media(media="print")
    for hidden in (".site-header", ".coordinator-nav", ".no-print", "a.csv", "form.period-form"):
        await expect(page.locator(hidden).first).to_be_hidden()
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await expect(page.get_by_role("table", name="Organisations' shares", exact=True)).to_be_visible()
    breaks = await page.locator(".report-section").evaluate_all(
        "sections => sections.map(s => getComputedStyle(s).breakBefore)")
    assert breaks == ["page"] * 7, breaks
    await shot(page, "report-print")
    pdf = await page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "report.pdf").write_bytes(pdf)
    sizes = pdf_pages(pdf)
    assert len(sizes) >= 8, sizes  # the cover and each of the seven sections from a new page
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in sizes), sizes
    # A link in a PDF is an annotation with its address: the menus' links are not in the printed
    # report, where the same page made with the screen's styles has them.
    assert b"/coordinator/roster" not in pdf and b"/sign-out" not in pdf
    await page.emulate_media(media="screen")
    await expect(page.locator(".site-header")).to_be_visible()
    assert b"/coordinator/roster" in await page.pdf(format="A4")
    await context.close()


async def test_the_promise_and_the_hand_over_work_by_keyboard_and_pass_axe(browser: Browser, service: Service) -> None:
    await add_coordinator(service)
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    await sign_in(page, service, COORDINATOR)
    await page.goto(f"{service.base}/coordinator/people")
    await page.get_by_role("link", name="Kotka College").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Kotka College")
    await page.get_by_label("Promised hours a month").focus()
    await page.keyboard.type("37.5")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_have_text("The promise was saved.")
    await expect(page.get_by_label("Promised hours a month")).to_have_value("37.5")
    await no_violations(page, "organisation")
    await shot(page, "organisation")
    await page.goto(f"{service.base}/coordinator/coverage?half=2026-H2")
    await expect(page.get_by_role("img", name="Organisations' shares")).to_be_visible()
    await no_violations(page, "coverage of a half-year")
    await shot(page, "coverage-half-year")

    await page.goto(f"{service.base}/coordinator/people#handover")
    await page.get_by_label("Hand over to").select_option("bertil")
    await page.get_by_label("Date of the hand-over").fill("2026-11-25")
    await page.get_by_role("button", name="Hand over", exact=True).focus()
    await page.keyboard.press("Enter")
    summary = page.locator(".error-summary a[href='#handover-date']")
    await expect(summary).to_contain_text("today (24 Nov 2026) or an earlier day of your term")
    await no_violations(page, "hand-over refused")
    await shot(page, "handover-refused")
    await summary.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_label("Date of the hand-over")).to_be_focused()
    await page.get_by_label("Date of the hand-over").fill("2026-11-24")
    await page.get_by_role("button", name="Hand over", exact=True).focus()
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(f"{service.base}/console")
    await expect(page.get_by_role("link", name="Coverage")).to_have_count(0)  # an advisor now
    await context.close()
