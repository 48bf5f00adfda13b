"""Issue 12 in a real browser, the visitor's side: what the widget does with the visitor's choices
and corrections (the chat's language following the widget's, a too-long message shortened)."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.e2e.browser import Host, Widget, advisor_side, artifact, expect_no_violations, in_a_chat
from tests.service import Service


async def test_a_too_long_error_goes_away_as_soon_as_the_text_is_short_enough(
        page: Page, service: Service, host: Host) -> None:
    widget, advisor = await in_a_chat(page, service, host)
    await expect(widget.heading("Your advisor is Anna")).to_be_visible()

    limit = service.settings.max_message_chars
    error = widget.inside.locator("neuvo-chat #composer-error")
    await widget.composer.fill("x" * (limit + 2))
    await widget.composer.press("Enter")
    await expect(error).to_have_text("Error: 2 characters too many")
    await expect(widget.composer).to_have_attribute("aria-invalid", "true")
    await page.screenshot(path=artifact("too-long-refused.png"))

    await widget.composer.press("Backspace")
    await expect(error).to_have_text("Error: 1 character too many")  # updated while still over
    await widget.composer.press("Backspace")
    await expect(error).to_be_hidden()  # within the limit: gone before anything is sent
    await expect(widget.composer).not_to_have_attribute("aria-invalid", "true")
    await page.screenshot(path=artifact("too-long-shortened.png"))
    await expect_no_violations(page, "a too-long message shortened")

    await widget.composer.press("Enter")
    assert len((await advisor.heard("x" * limit))["text"]) == limit


async def test_the_chat_language_follows_the_widget_language_to_the_queue(
        page: Page, service: Service, host: Host) -> None:
    advisor = await advisor_side(service)
    widget = Widget(page)
    await widget.load(host.url(service.base, html_lang="fi"))  # a Finnish page, an English visitor
    await widget.open()
    await expect(widget.heading("Aloita keskustelu")).to_be_visible()
    await expect(widget.label("Keskustelun kieli")).to_have_value("fi")

    await widget.button("English").click()
    await expect(widget.heading("Start a chat")).to_be_visible()
    await expect(widget.label("Language of the chat")).to_have_value("en")
    await page.screenshot(path=artifact("chat-language-follows.png"))
    await expect_no_violations(page, "the start form after switching to English")
    await widget.label("Keep on this device").check()  # to read the chat's language back
    await widget.button("Start chat").click()
    await expect(widget.heading("You are in the queue")).to_be_visible()
    assert (await widget.stored())["chat"]["language"] == "en"
    await advisor.take()
    assert advisor.history == [] and (await widget.stored())["chat"]["language"] == "en"


async def test_a_chat_language_the_visitor_picked_stays_when_the_widget_language_changes(
        page: Page, service: Service, host: Host) -> None:
    await advisor_side(service)
    widget = Widget(page)
    await widget.load(host.url(service.base, html_lang="en"))
    await widget.open()
    chat_language = widget.inside.locator("neuvo-chat #before-language")
    await widget.label("Language of the chat").select_option(label="Swedish")
    await widget.button("suomi").click()
    await expect(widget.heading("Aloita keskustelu")).to_be_visible()
    await expect(chat_language).to_have_value("sv")
    await widget.button("English").click()
    await expect(widget.heading("Start a chat")).to_be_visible()
    await expect(chat_language).to_have_value("sv")
    await page.screenshot(path=artifact("chat-language-kept.png"))
    await widget.label("Keep on this device").check()
    await widget.button("Start chat").click()
    await expect(widget.heading("You are in the queue")).to_be_visible()
    assert (await widget.stored())["chat"]["language"] == "sv"
