"""Issue 17, the visitor's safety in the widget: a quick exit in the header of every view (and
Escape twice) that tells the server, forgets the chat in this browser and replaces the host page
with a neutral one; the idle warning with its one button; a topic's help pages while waiting; the
privacy notice and accessibility statement from the start screen; the coordinators' questionnaire
after the end; forgetting an ended chat on the device. axe in each new state; screenshots at
1280x800 and 375x740 in test-artifacts/widget/issue17-*."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect
from sqlmodel import select

from storage.tables import SurveyAnswer
from tests.chat.coordinator_fixtures import COORDINATOR, add_coordinator, client_of, csrf_of
from tests.e2e.browser import Host, Widget, advisor_side, expect_no_violations, in_a_chat, shoot
from tests.service import Service, send, until

CHAT_KEY = "() => Object.keys(sessionStorage).filter((key) => key.startsWith('neuvo-chat:'))"


def exit_page(host: Host, service: Service) -> tuple[str, str]:
    target = f"{host.origin}/exit"
    return host.url(service.base, html_lang="en", **{"exit-url": target}), target


async def test_quick_exit_tells_the_advisor_forgets_the_chat_and_leaves_the_site(
        page: Page, service: Service, host: Host) -> None:
    widget, advisor = await in_a_chat(page, service, host, keep=True)
    await widget.load(exit_page(host, service)[0])  # the same chat (panel open), on a page naming its exit
    await expect(widget.heading("Your advisor is Anna")).to_be_visible()
    frame = await widget.frame()
    assert await frame.evaluate(CHAT_KEY), "the chat is kept for a reload until the exit"
    await expect_no_violations(page, "in a chat, with the quick exit in the header")
    await shoot(page, widget, "issue17", "quick-exit-button")

    pages_before = await page.evaluate("() => history.length")
    await widget.button("Quick exit").click()
    assert await until(advisor.ws, "visitor_left") == {"type": "visitor_left", "chat": advisor.chat, "quickly": True}
    await page.wait_for_url(f"{host.origin}/exit")
    await expect(page.get_by_role("heading", name="Weather today")).to_be_visible()
    assert await page.evaluate("() => history.length") == pages_before, "replaced, not pushed: Back does not return"

    # Back on the site in this tab: nothing of the chat is there any more.
    await widget.load(host.url(service.base, html_lang="en"))
    assert await (await widget.frame()).evaluate(CHAT_KEY) == []
    await widget.open()
    await expect(widget.heading("Start a chat")).to_be_visible()


async def test_escape_twice_is_the_quick_exit(page: Page, service: Service, host: Host) -> None:
    widget, advisor = await in_a_chat(page, service, host, keep=True)
    url, target = exit_page(host, service)
    await widget.load(url)
    await expect(widget.heading("Your advisor is Anna")).to_be_visible()
    await widget.composer.focus()
    # The first Escape closes the panel and focus goes back to the launcher on the host page:
    # the second, there, is still the quick exit.
    await page.keyboard.press("Escape")
    await page.keyboard.press("Escape")
    assert (await until(advisor.ws, "visitor_left"))["quickly"] is True
    await page.wait_for_url(target)


async def test_an_exit_url_that_is_not_https_is_replaced_by_the_default(
        page: Page, service: Service, host: Host) -> None:
    widget = Widget(page)
    await widget.load(host.url(service.base, html_lang="en", **{"exit-url": "javascript:alert(1)"}))
    await widget.open()
    await page.route("https://duckduckgo.com/**", lambda route: route.fulfill(
        body="<!doctype html><title>DuckDuckGo</title><h1>Search</h1>", content_type="text/html"))
    await widget.button("Quick exit").click()
    await page.wait_for_url("https://duckduckgo.com/")


async def test_the_coordinators_exit_page_is_where_the_quick_exit_goes(
        page: Page, service: Service, host: Host) -> None:
    """Set on /coordinator/settings; a site's own data-exit-url would still win (the test above)."""
    target = f"https://neutral.example/weather?city={'x' * 3}"
    await add_coordinator(service)
    async with client_of(service, COORDINATOR) as client:
        csrf = await csrf_of(client, "/coordinator/settings")
        saved = await client.post("/coordinator/settings/exit-url", data={"csrf": csrf, "url": target})
        assert saved.status_code == 303, saved.text
    await page.route("https://neutral.example/**", lambda route: route.fulfill(
        body="<!doctype html><title>Weather</title><h1>Weather</h1>", content_type="text/html"))
    widget, advisor = await in_a_chat(page, service, host)
    await widget.button("Quick exit").click()
    assert (await until(advisor.ws, "visitor_left"))["quickly"] is True
    await page.wait_for_url(target)


async def test_by_default_nothing_of_the_chat_is_kept_and_a_reload_starts_afresh(
        page: Page, service: Service, host: Host) -> None:
    widget, advisor = await in_a_chat(page, service, host)
    await advisor.say("A private answer")
    await expect(widget.line("A private answer")).to_be_visible()
    frame = await widget.frame()
    stored = str(await frame.evaluate("() => JSON.stringify(sessionStorage)"))
    assert "A private answer" not in stored and advisor.chat not in stored, stored

    await page.reload()
    await widget.open()
    await expect(widget.heading("Start a chat")).to_be_visible()
    await expect(widget.line("A private answer")).to_have_count(0)

    # The next visitor here chooses to keep theirs, by keyboard.
    keep = widget.label("Keep on this device")
    await expect(keep).not_to_be_checked()
    await keep.focus()
    await page.keyboard.press("Space")
    await expect(keep).to_be_checked()
    await expect(keep).to_have_accessible_description(
        re.compile(r"^Nothing of the chat stays in this browser unless you tick"))  # the privacy line's words
    await expect_no_violations(page, "the start screen, keeping the chat on this device")
    await shoot(page, widget, "issue17", "keep-on-device")
    await widget.button("Start chat").click()
    await widget.until_stored("keep", True)
    await (await widget.frame()).wait_for_function(
        "() => Object.values(sessionStorage).some((record) => record.includes('\"token\"'))")  # kept


async def test_an_idle_warning_is_said_at_once_and_answered_with_one_button(
        page: Page, service: Service, host: Host) -> None:
    widget, advisor = await in_a_chat(page, service, host)
    await expect(widget.heading("Your advisor is Anna")).to_be_visible()
    warning = widget.inside.get_by_role("alert").filter(has_text="The chat will end soon")
    await service.tick(1680)  # 30 minutes of silence less the two-minute warning
    await expect(warning).to_have_text("The chat will end soon because nobody has written for a while.")
    await expect_no_violations(page, "warned of an idle end")
    await shoot(page, widget, "issue17", "idle-warning")

    still_here = widget.button("I'm still here")
    await still_here.focus()
    await page.keyboard.press("Enter")
    assert await until(advisor.ws, "idle_cleared") == {"type": "idle_cleared", "chat": advisor.chat}
    await expect(still_here).to_be_hidden()
    await expect(warning).to_have_count(0)
    await expect(widget.composer).to_be_focused()  # the focus is not lost with the button

    await service.tick(1700)  # silent again: warned again, and a line from the advisor drops it
    await expect(warning).to_be_visible()
    await advisor.say("Are you still there?")
    await expect(widget.line("Are you still there?")).to_be_visible()
    await expect(warning).to_have_count(0)


async def add_link(service: Service, topic: str, language: str, title: str, url: str) -> None:
    """As a coordinator does, on the settings page."""
    await add_coordinator(service)
    async with client_of(service, COORDINATOR) as client:
        csrf = await csrf_of(client, "/coordinator/settings")
        added = await client.post("/coordinator/settings/links", data={
            "csrf": csrf, "topic": topic, "language": language, "title": title, "url": url})
        assert added.status_code == 303, added.text


async def test_a_topics_pages_are_offered_while_waiting_and_open_in_a_new_tab(
        page: Page, service: Service, host: Host) -> None:
    await add_link(service, "work", "en", "Finding a job: a guide", f"{host.origin}/exit")
    await advisor_side(service)  # on shift but away: the chat waits
    widget = Widget(page)
    await widget.load(host.url(service.base, html_lang="en"))
    await widget.open()
    await widget.start()
    await expect(widget.heading("You are in the queue")).to_be_visible()
    help_pages = widget.inside.get_by_role("navigation", name="Pages that may help")
    link = help_pages.get_by_role("link", name="Finding a job: a guide (opens in a new tab)")
    await expect(link).to_be_visible()
    href = await link.get_attribute("href")
    assert href is not None and href.startswith(service.base.replace("127.0.0.1", "localhost") + "/help/")
    assert await link.get_attribute("target") == "_blank" and await link.get_attribute("rel") == "noopener"
    await expect_no_violations(page, "waiting, with the topic's pages")
    await shoot(page, widget, "issue17", "help-links-waiting")
    async with page.context.expect_page() as opened:
        await link.click()
    tab = await opened.value
    await tab.wait_for_url(f"{host.origin}/exit")  # through /help/<id>, which counted it


async def test_the_privacy_notice_and_accessibility_statement_are_linked_before_starting(
        page: Page, service: Service, host: Host) -> None:
    await advisor_side(service)
    widget = Widget(page)
    await widget.load(host.url(service.base, html_lang="en"))
    await widget.open()
    await widget.button("svenska").click()
    await widget.inside.locator("neuvo-chat .privacy summary").click()
    chat_origin = service.base.replace("127.0.0.1", "localhost")
    for name, path in (("Dataskyddsbeskrivning", "/privacy"), ("Tillgänglighetsutlåtande", "/accessibility")):
        link = widget.inside.get_by_role("link", name=f"{name} (öppnas i en ny flik)")
        await expect(link).to_have_attribute("href", f"{chat_origin}{path}?lang=sv")
        await expect(link).to_have_attribute("target", "_blank")
    await link.scroll_into_view_if_needed()
    await expect_no_violations(page, "the start screen's privacy opened, with the statements")
    await shoot(page, widget, "issue17", "statements")
    async with page.context.expect_page() as opened:
        await widget.inside.get_by_role("link", name="Tillgänglighetsutlåtande (öppnas i en ny flik)").click()
    statement = await opened.value
    await expect(statement.get_by_role("heading", level=1)).to_be_visible()
    assert (await statement.evaluate("() => document.documentElement.lang")) == "sv"


async def add_questions(service: Service) -> None:
    """A scale, a choice and a text, as a coordinator designs them."""
    await add_coordinator(service)
    texts = {"scale": "How useful was the chat?", "choice": "What will you do next?", "text": "Anything else?"}
    async with client_of(service, COORDINATOR) as client:
        csrf = await csrf_of(client, "/coordinator/survey")
        for kind, text in texts.items():
            options = {f"options_{lang}": "Apply\nWait" for lang in ("fi", "sv", "en")} if kind == "choice" else {}
            added = await client.post("/coordinator/survey/questions", data={
                "csrf": csrf, "kind": kind, "text_fi": text, "text_sv": text, "text_en": text, **options})
            assert added.status_code == 303, added.text


async def test_the_questionnaire_is_asked_beside_the_rating_and_answered_once(
        page: Page, service: Service, host: Host) -> None:
    await add_questions(service)
    widget, advisor = await in_a_chat(page, service, host)
    await send(advisor.ws, {"type": "close", "chat": advisor.chat, "outcome": "answered"})
    await expect(widget.heading("The chat has ended")).to_be_visible()
    survey = widget.inside.locator("neuvo-chat form.survey")
    await expect(survey.get_by_role("group", name="How useful was the chat?")).to_be_visible()
    await expect_no_violations(page, "ended, with the questionnaire")
    await shoot(page, widget, "issue17", "survey")
    await survey.get_by_role("button", name="Send answers").scroll_into_view_if_needed()
    await shoot(page, widget, "issue17", "survey-questions")

    await survey.get_by_role("radio", name="4 of 5").check()
    await survey.get_by_role("radio", name="Wait").check()
    await survey.get_by_label("Anything else?").fill("  ")  # blank: left out
    await survey.get_by_role("button", name="Send answers").press("Enter")
    thanks = widget.inside.get_by_role("status").filter(has_text="Thank you for your answers.")
    await expect(thanks).to_be_visible()
    await expect(thanks).to_be_focused()
    await expect(widget.rating(5)).to_be_visible()  # the rating is still there to give
    await expect_no_violations(page, "the questionnaire answered")
    async with service.db.transaction() as session:
        stored = (await session.execute(select(SurveyAnswer))).scalars().all()
    assert sorted((a.value, a.text) for a in stored) == [(1, None), (4, None)]


async def test_an_ended_chat_can_be_forgotten_on_this_device(page: Page, service: Service, host: Host) -> None:
    widget, advisor = await in_a_chat(page, service, host)
    await advisor.say("Good luck with the applications!")
    await expect(widget.line("Good luck with the applications!")).to_be_visible()
    await send(advisor.ws, {"type": "close", "chat": advisor.chat, "outcome": "answered"})
    await expect(widget.heading("The chat has ended")).to_be_visible()
    await widget.button("Forget this chat on this device").click()
    await expect(widget.heading("Start a chat")).to_be_visible()
    await expect(widget.status("The chat is forgotten")).to_be_visible()
    assert "Good luck" not in str(await (await widget.frame()).evaluate("() => JSON.stringify(sessionStorage)"))
    await expect_no_violations(page, "the chat forgotten")
    await shoot(page, widget, "issue17", "forgotten")
    await page.reload()  # and a reload finds nothing to resume
    await widget.open()
    await expect(widget.heading("Start a chat")).to_be_visible()
