"""Issue 12 in a real browser, the visitor's side: what the widget does with the visitor's choices
and corrections (the chat's language following the widget's, a too-long message shortened)."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.e2e.browser import Host, artifact, expect_no_violations, in_a_chat
from tests.service import Service


async def test_a_too_long_error_goes_away_as_soon_as_the_text_is_short_enough(
        page: Page, service: Service, host: Host) -> None:
    widget, advisor = await in_a_chat(page, service, host)
    await expect(widget.heading("Your advisor is Anna")).to_be_visible()

    limit = service.settings.max_message_chars
    error = page.locator("neuvo-chat #composer-error")
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
