"""Issue 5, accessible: the whole chat by keyboard alone, and axe-core (WCAG 2.1 A and AA) in every
state a visitor can see."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from playwright.async_api import Locator, Page, expect

from tests.e2e.browser import Host, Proxy, Widget, advisor_side, expect_no_violations
from tests.service import Service

SATURDAY_NOON = datetime.fromisoformat("2026-11-28T12:00:00+02:00")


async def focus_ring(page: Page) -> dict[str, Any]:
    """The outline of whatever has focus: on the page, in the launcher's shadow root, or (when the
    frame has it) inside the conversation's frame and its shadow root."""
    script = """() => {
        let el = document.activeElement;
        while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
        if (el.tagName === 'IFRAME') return null;
        // A rating's radio is invisible over the button drawn for it, which shows the ring.
        if (el.classList.contains('rating__input')) el = el.nextElementSibling;
        const style = getComputedStyle(el);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor,
                 inPanel: Boolean(el.closest('#neuvo-panel')) };
    }"""
    ring: dict[str, Any] | None = await page.evaluate(script)
    if ring is None:
        ring = await (await Widget(page).frame()).evaluate(script)
    assert ring is not None
    return ring


async def expect_visible_focus_on(page: Page, target: Locator, *, in_panel: bool = True) -> None:
    await expect(target).to_be_focused()
    ring = await focus_ring(page)
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    assert ring["inPanel"] is in_panel, ring


async def tab_cycle(page: Page, widget: Widget, presses: int) -> list[str]:
    """Press Tab and note, each time, whether focus is still in the panel and on what."""
    seen = []
    for _ in range(presses):
        await page.keyboard.press("Tab")
        seen.append(await widget.focused())
    return seen


async def test_the_whole_chat_works_by_keyboard_alone_with_focus_kept_visibly_in_the_panel(
        page: Page, service: Service, host: Host) -> None:
    advisor = await advisor_side(service)
    widget = Widget(page)
    await widget.load(host.url(service.base, html_lang="en"))

    # The launcher is in the page's tab order after the host's own links.
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    await expect_visible_focus_on(page, widget.launcher, in_panel=False)
    await page.keyboard.press("Enter")
    await expect(widget.panel).to_be_visible()
    await expect(widget.heading("Start a chat")).to_be_focused()

    # Before the chat: topic by type-ahead, language left as English, the question typed, the
    # privacy line opened, Start by Enter.
    await page.keyboard.press("Tab")
    topic = widget.label("Topic")
    await expect_visible_focus_on(page, topic)
    await page.keyboard.press("w")  # "Work"
    await expect(topic).to_have_value("work")
    await page.keyboard.press("Tab")
    await expect_visible_focus_on(page, widget.label("Language of the chat"))
    await page.keyboard.press("Tab")
    await expect_visible_focus_on(page, widget.label("Your question (optional)"))
    await page.keyboard.type("Typed before the chat began")
    await page.keyboard.press("Tab")
    privacy = widget.inside.locator("neuvo-chat .privacy summary")
    await expect_visible_focus_on(page, privacy)
    await page.keyboard.press("Enter")
    await expect(widget.panel.get_by_text("You can chat anonymously.", exact=False)).to_be_visible()
    for statement in ("Privacy notice", "Accessibility statement"):  # the disclosure's links
        await page.keyboard.press("Tab")
        await expect_visible_focus_on(page, widget.inside.get_by_role(
            "link", name=f"{statement} (opens in a new tab)"))
    await page.keyboard.press("Tab")
    keep = widget.label("Keep on this device")
    await expect_visible_focus_on(page, keep)
    await expect(keep).not_to_be_checked()  # left off: nothing of the chat stays in the browser
    await page.keyboard.press("Tab")
    await expect_visible_focus_on(page, widget.button("Start chat"))

    # The focus trap: Tab from the last control comes round to the first one (the quick exit, in
    # the header), Shift+Tab goes back.
    await page.keyboard.press("Tab")
    await expect_visible_focus_on(page, widget.button("Quick exit"))
    await page.keyboard.press("Shift+Tab")
    await expect_visible_focus_on(page, widget.button("Start chat"))
    await page.keyboard.press("Enter")

    await expect(widget.heading("You are in the queue")).to_be_focused()
    await page.keyboard.press("Tab")
    await expect_visible_focus_on(page, widget.log)  # the conversation scrolls by keyboard too
    await page.keyboard.press("Tab")
    await expect_visible_focus_on(page, widget.composer)
    await page.keyboard.type("Written in the queue")
    await page.keyboard.press("Enter")
    await expect(widget.line("Written in the queue")).to_be_visible()
    await expect(widget.pending).to_have_count(0)
    await advisor.take()
    assert [m["text"] for m in advisor.history] == ["Typed before the chat began", "Written in the queue"]
    await expect(widget.heading("Your advisor is Anna")).to_be_visible()
    await expect_visible_focus_on(page, widget.composer)  # the message box kept focus
    await advisor.say("Hi, tell me more")
    await expect(widget.line("Hi, tell me more")).to_be_visible()
    await page.keyboard.type("Thanks, that was all")
    await page.keyboard.press("Enter")
    await advisor.heard("Thanks, that was all")

    await page.keyboard.press("Tab")
    await expect_visible_focus_on(page, widget.button("Send"))
    # Ending asks first: the question takes the focus (a second key press ends nothing), Escape
    # takes it back to the button (the panel stays open), Yes ends.
    await page.keyboard.press("Tab")
    end = widget.button("End chat")
    await expect_visible_focus_on(page, end)
    await page.keyboard.press("Space")
    await expect(widget.confirm).to_be_focused()
    await expect(widget.confirm).to_have_text("End the chat? You cannot continue it afterwards.")
    await page.keyboard.press("Escape")
    await expect_visible_focus_on(page, end)
    await expect(widget.panel).to_be_visible()
    await page.keyboard.press("Enter")
    await expect(widget.confirm).to_be_focused()
    await page.keyboard.press("Tab")
    await expect_visible_focus_on(page, widget.button("Yes, end the chat"))
    await page.keyboard.press("Tab")
    await expect_visible_focus_on(page, widget.button("No, continue the chat"))
    await page.keyboard.press("Shift+Tab")
    await page.keyboard.press("Enter")
    await expect(widget.heading("The chat has ended")).to_be_focused()

    # Every Tab stop is in the panel while it is open, and the cycle wraps.
    count = await (await widget.frame()).evaluate("""() => {
        const panel = document.querySelector('neuvo-chat').shadowRoot.getElementById('neuvo-panel');
        return [...panel.querySelectorAll('a[href], button, input, select, textarea, [tabindex="0"]')]
            .filter((el) => !el.disabled && el.getClientRects().length > 0)
            .filter((el) => el.type !== 'radio' || el.value === '1')  // a radio group is one stop
            .length;
    }""")
    stops = await tab_cycle(page, widget, count + 2)
    assert not [stop for stop in stops if stop.startswith("page:")], stops
    assert stops[:2] == stops[count:count + 2], stops

    # Rating: Tab to the radio group, arrows choose, Tab on to the comment and the button.
    await widget.heading("The chat has ended").focus()
    await page.keyboard.press("Tab")
    await expect_visible_focus_on(page, widget.rating(1))
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("ArrowRight")
    await expect(widget.rating(4)).to_be_checked()
    await expect_visible_focus_on(page, widget.rating(4))
    await page.keyboard.press("Tab")
    await expect_visible_focus_on(page, widget.inside.get_by_label("Comment (optional)"))
    await page.keyboard.type("Quick and kind")
    await page.keyboard.press("Tab")
    await expect_visible_focus_on(page, widget.button("Send feedback"))
    await page.keyboard.press("Enter")
    thanks = widget.status("Thank you for your feedback!")
    await expect(thanks).to_be_focused()  # the form went away under the focus: it lands on the thanks

    await page.keyboard.press("Tab")
    download = widget.button("Download the conversation (.txt)")
    await expect_visible_focus_on(page, download)
    async with page.expect_download() as info:
        await page.keyboard.press("Enter")
    assert "Thanks, that was all" in (await (await info.value).path()).read_text(encoding="utf-8")

    # Escape closes and gives focus back to the launcher; closed, the widget traps nothing.
    await page.keyboard.press("Escape")
    await expect(widget.panel).to_be_hidden()
    await expect_visible_focus_on(page, widget.launcher, in_panel=False)
    await expect(widget.launcher).to_have_attribute("aria-expanded", "false")
    await page.keyboard.press("Shift+Tab")
    await expect(page.locator("#host-last")).to_be_focused()
    await page.keyboard.press("Tab")
    await expect(widget.launcher).to_be_focused()
    await page.keyboard.press("Space")
    await expect(widget.panel).to_be_visible()
    await expect(widget.launcher).to_be_hidden()
    await page.keyboard.press("Escape")
    await expect(widget.launcher).to_be_focused()


async def test_axe_finds_no_wcag_violations_in_any_state_of_a_chat(
        page: Page, service: Service, host: Host, proxy: Proxy) -> None:
    advisor = await advisor_side(service)
    widget = Widget(page)
    await widget.load(host.url(proxy.base, html_lang="en"))
    await expect_no_violations(page, "launcher closed")

    await widget.open()
    await expect(widget.heading("Start a chat")).to_be_visible()
    await expect_no_violations(page, "before the chat")

    await widget.start()
    await expect(widget.heading("You are in the queue")).to_be_visible()
    await widget.say("A question while I wait")
    await expect(widget.pending).to_have_count(0)
    await expect_no_violations(page, "waiting")

    await advisor.take()
    await advisor.say("Hello, I am here")
    await expect(widget.line("Hello, I am here")).to_be_visible()
    await widget.composer.fill("x" * 2001)  # over the limit: the counter says so
    await expect(widget.panel.get_by_text("1 character too many")).to_be_visible()
    await expect_no_violations(page, "chatting")
    await widget.composer.press("Enter")
    await expect(widget.panel.get_by_text("Error:")).to_be_attached()
    await expect_no_violations(page, "chatting, with an error on the message box")
    await widget.composer.fill("")

    proxy.cut()
    await expect(widget.connection).to_have_text("Connection lost. Reconnecting…")
    await widget.say("sent while reconnecting")
    await expect(widget.pending).to_have_count(1)
    await expect_no_violations(page, "reconnecting, a line waiting to be sent")
    proxy.restore()
    await expect(widget.pending).to_have_count(0)

    await widget.button("End chat").click()
    await expect(widget.confirm).to_be_focused()
    await expect_no_violations(page, "chatting, asked whether to end")
    await widget.button("Yes, end the chat").click()
    await expect(widget.heading("The chat has ended")).to_be_visible()
    await expect_no_violations(page, "ended, rating form")
    await widget.button("Send feedback").click()  # no rating chosen: an error, said in words
    await expect(widget.panel.get_by_text("Choose a rating from 1 to 5.")).to_be_visible()
    await expect_no_violations(page, "ended, rating missing")
    await widget.rating(5).check()
    await widget.button("Send feedback").click()
    await expect(widget.status("Thank you for your feedback!")).to_be_visible()
    await expect_no_violations(page, "ended, feedback saved")


async def test_axe_finds_no_wcag_violations_on_the_closed_service_and_its_offline_form(
        page: Page, service: Service, host: Host) -> None:
    service.clock.set(SATURDAY_NOON)
    widget = Widget(page)
    await widget.load(host.url(service.base, html_lang="en"))
    await widget.open()
    await expect(widget.heading("The chat is closed right now")).to_be_visible()
    await expect(widget.panel.get_by_text("The chat opens next on")).to_be_visible()
    await expect_no_violations(page, "closed, offline form")

    await widget.button("Send message").click()  # empty: the error summary and the field say why
    summary = widget.panel.locator(".error-summary")
    await expect(summary).to_be_focused()
    await expect(summary).to_contain_text("Write a message before sending.")
    await expect_no_violations(page, "closed, offline form with errors")

    await summary.get_by_role("link").click()
    message = widget.label("Your message")
    await expect(message).to_be_focused()
    await message.fill("Can I still apply for the autumn?")
    await widget.inside.get_by_label("Contact details (optional)").fill("visitor@example.org")
    await widget.button("Send message").click()
    await expect(widget.heading("Thank you, your message has been sent")).to_be_visible()
    await expect_no_violations(page, "offline message sent")
