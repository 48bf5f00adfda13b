"""Coordinator pages in real Chromium: a coordinator adds a shift and the advisor's console shows
it; coverage and statistics render with their charts; axe finds no WCAG 2.1 A/AA violations.
Screenshots go to test-artifacts/coordinator/."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, expect

from storage import people, rostering
from storage.tables import ChatStatistic
from tests.chat.coordinator_fixtures import COORDINATOR, add_coordinator
from tests.service import PASSWORD, Service, send, until

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "coordinator"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
DESKTOP = {"width": 1280, "height": 900}


async def sign_in(page: Page, service: Service, username: str) -> None:
    await page.goto(f"{service.base}/sign-in?lang=en")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_load_state()


async def no_violations(page: Page, name: str) -> None:
    results = await Axe().run(page, options=WCAG)
    found = [f"{v['id']}: {v['help']} " + ", ".join(str(n["target"]) for n in v["nodes"])
             for v in results.response["violations"]]
    assert not found, f"axe on {name}:\n" + "\n".join(found)


async def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def test_a_coordinator_adds_a_shift_and_the_advisors_console_shows_it(
    browser: Browser, service: Service
) -> None:
    await add_coordinator(service)
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    await sign_in(page, service, COORDINATOR)
    await expect(page.get_by_role("heading", level=1, name="Coordinator")).to_be_visible()
    await no_violations(page, "overview")
    await page.get_by_role("link", name="Roster").first.click()
    await page.locator("#shift-advisor").select_option("bertil")
    await page.locator("#shift-day").fill("2026-11-26")
    await page.locator("#shift-start").fill("12:00")
    await page.locator("#shift-end").fill("15:30")
    await page.get_by_role("button", name="Add shift").click()
    await expect(page.get_by_role("status")).to_have_text("The shift was added.")
    await expect(page.get_by_role("link", name="Bertil, Thu 26 Nov 12:00–15:30")).to_be_visible()
    await no_violations(page, "roster")
    await shot(page, "roster")
    # A form sent with mistakes: the error summary links to each field.
    await page.locator("#shift-start").fill("noon")
    await page.get_by_role("button", name="Add shift").click()
    await expect(page.locator(".error-summary a[href='#shift-start']")).to_be_visible()
    await no_violations(page, "roster with errors")
    await context.close()

    advisor = await browser.new_context(viewport=DESKTOP)
    console = await advisor.new_page()
    await sign_in(console, service, "bertil")
    await expect(console.locator("table[aria-labelledby='shifts-title']")).to_contain_text("26 Nov 2026")
    await expect(console.locator("table[aria-labelledby='shifts-title']")).to_contain_text("12:00–15:30")
    await shot(console, "console-shows-the-shift")
    await advisor.close()


async def test_coverage_and_statistics_pages_render_with_their_charts(browser: Browser, service: Service) -> None:
    await add_coordinator(service)
    async with service.db.transaction() as session:
        kotka = await people.organisation_by_slug(session, slug="kotka")
        assert kotka is not None
        for n, (topic, language, hour) in enumerate([("work", "fi", 9), ("work", "sv", 10), ("education", "fi", 10),
                                                     ("wellbeing", "en", 13), ("work", "fi", 14)] * 3):
            session.add(ChatStatistic(
                hour_bucket=datetime(2026, 11, 2 + n, hour - 2, tzinfo=ZoneInfo("UTC")), local_hour=hour,
                weekday=(n % 5), topic=topic, language=language, status="ended", wait_s=20 + 10 * n,
                duration_s=300 + 60 * n, organisation_id=kotka.id, outcome="answered", rating=3 + n % 3))
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    await sign_in(page, service, COORDINATOR)
    await page.goto(f"{service.base}/coordinator/coverage?week=2026-11-24")
    await expect(page.get_by_role("table", name="The week hour by hour")).to_be_visible()
    await no_violations(page, "coverage")
    await shot(page, "coverage")
    await page.goto(f"{service.base}/coordinator/statistics?from=2026-11-01&to=2026-11-30")
    charts = page.locator("svg.chart")
    await expect(charts).to_have_count(7)
    await expect(page.get_by_role("img", name="By topic")).to_be_visible()
    await no_violations(page, "statistics")
    await shot(page, "statistics")
    await context.close()


async def test_people_and_settings_pages_work_and_pass_axe_with_and_without_errors(
    browser: Browser, service: Service
) -> None:
    await add_coordinator(service)
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    await sign_in(page, service, COORDINATOR)

    await page.get_by_role("link", name="Organisations and advisors").first.click()
    await page.locator("#user-username").fill("dora")
    await page.locator("#user-name").fill("Dora")
    await page.get_by_label("Swedish").check()
    await page.locator("#user-capacity").fill("2")
    await page.locator("#user-password").fill("long enough")
    await page.get_by_role("button", name="Create account").click()
    await expect(page.get_by_role("status")).to_have_text("The account was created.")
    await expect(page.get_by_role("link", name="Dora")).to_be_visible()
    await no_violations(page, "people")
    await shot(page, "people")
    await page.locator("#user-username").fill("anna")
    await page.locator("#user-capacity").fill("12")
    await page.get_by_role("button", name="Create account").click()
    await expect(page.locator(".error-summary a[href='#user-username']")).to_have_text(
        "The username anna is already taken")
    await no_violations(page, "people with errors")
    await shot(page, "people-errors")
    # Bertil is on shift today and has a weekly template: deactivating him asks first, saying
    # what it cancels; his template stays on the roster page, marked.
    async with service.db.transaction() as session:
        bertil = await people.user_by_username(session, username="bertil")
        assert bertil is not None and bertil.id is not None
        await rostering.add_template(session, user_id=bertil.id, weekday=3, start="09:00", end="16:00")
    await page.goto(f"{service.base}/coordinator/people/users/bertil")
    await page.get_by_role("button", name="Deactivate account").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate Bertil (bertil)?")
    await expect(page.get_by_role("row", name="Shifts from now on 1")).to_be_visible()
    await expect(page.get_by_role("row", name="Weekly templates 1")).to_be_visible()
    await no_violations(page, "deactivation to confirm")
    await shot(page, "deactivate-confirm")
    await page.get_by_role("button", name="Deactivate and cancel the shifts").click()
    await expect(page.get_by_role("status")).to_have_text("The account was deactivated and its sessions ended.")
    await page.get_by_role("link", name="Roster").first.click()
    template = page.get_by_role("row", name="Bertil deactivated: not added to weeks Thursday 09:00–16:00")
    await expect(template).to_be_visible()
    await no_violations(page, "roster with a deactivated person's template")
    await shot(page, "roster-deactivated-template")
    await page.goto(f"{service.base}/coordinator/people/users/bertil")
    await no_violations(page, "person")
    await shot(page, "person")

    await page.get_by_role("link", name="Settings").first.click()
    await page.locator("#origin").fill("https://school.example")
    await page.get_by_role("button", name="Allow site").click()
    await expect(page.get_by_role("status")).to_have_text("The site was allowed.")
    await expect(page.get_by_role("button", name="Remove https://school.example")).to_be_visible()
    await no_violations(page, "settings")
    await shot(page, "settings")
    await page.locator("#topic-id").fill("housing")
    await page.locator("#topic-fi").fill("Asuminen")
    await page.get_by_role("button", name="Add topic").click()
    await expect(page.locator(".error-summary a[href='#topic-sv']")).to_be_visible()
    await no_violations(page, "settings with errors")
    await shot(page, "settings-errors")
    await context.close()


async def test_the_now_panel_with_a_chat_nobody_on_duty_can_serve(browser: Browser, service: Service) -> None:
    await add_coordinator(service)
    await service.advisor("anna")
    visitor = await service.visitor()
    await send(visitor, {"type": "start", "topic": "work", "language": "sv"})
    await until(visitor, "queued")
    for name, viewport in (("now-panel", DESKTOP), ("now-panel-narrow", {"width": 375, "height": 740})):
        context = await browser.new_context(viewport=viewport)
        page = await context.new_page()
        await sign_in(page, service, COORDINATOR)
        panel = page.get_by_role("region", name="Now")
        unserved = panel.get_by_role("row", name="Work Swedish 0 min nobody on duty speaks the language")
        await expect(unserved).to_be_visible()
        await expect(panel.get_by_role("row", name="Anna Kotka College away 0 of 3 English, Finnish")).to_be_visible()
        await no_violations(page, name)
        await shot(page, name)
        await context.close()


async def test_the_statements_pages_are_accessible(browser: Browser, service: Service) -> None:
    await add_coordinator(service)
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    for kind, language in (("privacy", "fi"), ("accessibility", "sv")):
        await page.goto(f"{service.base}/{kind}?lang={language}")
        await no_violations(page, f"{kind} ({language})")
        await shot(page, f"statement-{kind}-{language}")
    await sign_in(page, service, COORDINATOR)
    await page.get_by_role("link", name="Statements").click()
    await page.get_by_label("Controller, responsible for the service").fill("")
    await page.get_by_role("button", name="Save, and mark as reviewed today").click()
    await expect(page.locator(".error-summary a[href='#facts-controller']")).to_be_visible()
    await no_violations(page, "statements with an error")
    await shot(page, "coordinator-statements")
    await context.close()
