"""Issue 5, on any screen: every state at 320, 375 and 1280 px wide, and at 200 % zoom, fits, clips no
text and keeps a visible focus ring. Screenshots go to test-artifacts/widget/ for people to look at."""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.async_api import Page, expect

from tests.e2e.browser import Host, Proxy, Widget, advisor_side, artifact
from tests.service import TUESDAY_10, Service

SATURDAY_NOON = datetime.fromisoformat("2026-11-28T12:00:00+02:00")
LONG_WORD = "https://opintopolku.fi/konfo/fi/haku/ammatillinen%20koulutus?koulutustyyppi=amm-osaamisala"

# Run in each document: on the host page the box is the launcher or the open frame, in the frame the panel.
LAYOUT_PROBLEMS = """(boxes) => {
    const root = document.querySelector('neuvo-chat').shadowRoot;
    const shown = (el) => el.getClientRects().length > 0 && !el.closest('.vh');
    const frame = [...root.querySelectorAll(boxes)].find(shown);
    if (!frame) return [];
    const box = frame.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    const height = window.innerHeight;
    const problems = [];
    const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
        ? '.' + el.className.split(' ')[0] : '') + ' "' + el.textContent.trim().slice(0, 30) + '"';
    if (box.left < -0.5 || box.top < -0.5 || box.right > width + 0.5 || box.bottom > height + 0.5) {
        problems.push(`${name(frame)} leaves the ${width}x${height} viewport: ${JSON.stringify(box)}`);
    }
    for (const el of [frame, ...frame.querySelectorAll('*')]) {
        if (!shown(el) || el instanceof SVGElement) continue;
        const r = el.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5) {
            problems.push(`${name(el)} sticks out sideways (${Math.round(r.left)}..${Math.round(r.right)})`);
        }
        if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'SELECT') {
            problems.push(`${name(el)} overflows: ${el.scrollWidth} > ${el.clientWidth}`);
        }
    }
    return problems;
}"""


CONVERSATION_ROOM = """() => {
    const root = document.querySelector('neuvo-chat').shadowRoot;
    const body = root.querySelector('.panel__body');
    return { overflow: body.scrollHeight - body.clientHeight,
             log: Math.round(root.querySelector('[role=log]').getBoundingClientRect().height) };
}"""

# Scroll the panel itself to `top` (unless null); returns where it is.
PANEL_SCROLL = """(top) => {
    const panel = document.querySelector('neuvo-chat').shadowRoot.getElementById('neuvo-panel');
    if (top !== null) panel.scrollTop = top;
    return panel.scrollTop;
}"""


async def shoot(page: Page, widget: Widget, name: str, *, conversation: bool = False) -> None:
    """Check the layout of the state on screen and keep a screenshot of it. A conversation (waiting,
    chatting) fits the panel without scrolling it, so the newest line and the message box are both
    on screen; the log takes the room that is left."""
    await widget.settled()
    inside = await widget.frame()
    problems = await page.evaluate(LAYOUT_PROBLEMS, ".launcher, .frame:not(.frame--closed)")
    problems += await inside.evaluate(LAYOUT_PROBLEMS, "#neuvo-panel")
    await page.screenshot(path=artifact(f"{name}.png"))
    assert not problems, f"{name}: {problems}"
    if conversation:
        room = await inside.evaluate(CONVERSATION_ROOM)
        assert room["overflow"] <= 1 and room["log"] >= 120, f"{name}: {room}"


@pytest.mark.parametrize(("width", "height"), [(320, 640), (375, 740), (1280, 800)])
async def test_every_state_fits_the_screen_at_320_and_1280_pixels_wide(
        page: Page, service: Service, host: Host, proxy: Proxy, width: int, height: int) -> None:
    # (at 320 px a connection line above takes 2-4 lines: then the panel scrolls, the log keeps its 8em)
    await page.set_viewport_size({"width": width, "height": height})
    widget = Widget(page)
    url = host.url(proxy.base, html_lang="en")

    service.clock.set(SATURDAY_NOON)
    await widget.load(url)
    await shoot(page, widget, f"{width}-01-launcher")
    await widget.open()
    await expect(widget.heading("The chat is closed right now")).to_be_visible()
    await shoot(page, widget, f"{width}-02-closed-offline-form")
    await widget.button("Send message").click()
    await expect(widget.panel.locator(".error-summary")).to_be_visible()
    await shoot(page, widget, f"{width}-03-offline-form-errors")

    service.clock.set(TUESDAY_10)
    advisor = await advisor_side(service)
    await widget.button("Close the chat window").click()
    await page.reload()
    await widget.open()
    await expect(widget.heading("Start a chat")).to_be_visible()
    await shoot(page, widget, f"{width}-04-before")

    await widget.start()
    await expect(widget.heading("You are in the queue")).to_be_visible()
    await widget.say("Waiting with a question about vocational studies")
    await expect(widget.pending).to_have_count(0)
    await shoot(page, widget, f"{width}-05-waiting", conversation=True)

    await advisor.take()
    await advisor.say(f"Have a look at {LONG_WORD} — it lists every programme.\nA second line.")
    await expect(widget.line("A second line.")).to_be_visible()
    await widget.say("Thanks! " + "Ääkköset ja pitkä viesti " * 12)
    await expect(widget.pending).to_have_count(0)
    await widget.composer.focus()
    await shoot(page, widget, f"{width}-06-chatting", conversation=True)

    proxy.cut()
    await expect(widget.connection).to_have_text("Connection lost. Reconnecting…")
    await widget.say("Are you still there?")
    await expect(widget.pending).to_have_count(1)
    await shoot(page, widget, f"{width}-07-reconnecting", conversation=width > 320)
    proxy.restore()
    await expect(widget.pending).to_have_count(0)
    await expect(widget.connection).to_have_text("Connection restored.")
    await shoot(page, widget, f"{width}-08-restored", conversation=width > 320)

    await widget.button("End chat").click()
    await expect(widget.confirm).to_be_focused()
    await shoot(page, widget, f"{width}-09-end-asked", conversation=True)
    await widget.button("Yes, end the chat").click()
    await expect(widget.heading("The chat has ended")).to_be_visible()
    await shoot(page, widget, f"{width}-10-ended-rating")
    await widget.rating(5).check()
    await widget.button("Send feedback").click()
    await expect(widget.status("Thank you for your feedback!")).to_be_visible()
    await shoot(page, widget, f"{width}-11-feedback-saved")


async def test_at_200_percent_zoom_the_panel_takes_the_screen_and_a_chat_still_works(
        page: Page, service: Service, host: Host, proxy: Proxy) -> None:
    # A 1280x800 laptop at 200 %: 640x400 CSS pixels, each drawn with 2x2 device pixels.
    zoomed = await page.context.browser.new_context(  # type: ignore[union-attr]
        viewport={"width": 640, "height": 400}, device_scale_factor=2)
    try:
        zoomed_page = await zoomed.new_page()
        advisor = await advisor_side(service)
        widget = Widget(zoomed_page)
        await widget.load(host.url(proxy.base, html_lang="en"))
        await shoot(zoomed_page, widget, "zoom200-01-launcher")
        await widget.open()
        await widget.settled()
        box = await widget.iframe.bounding_box()
        assert box == {"x": 0, "y": 0, "width": 640, "height": 400}
        await shoot(zoomed_page, widget, "zoom200-02-before")
        await widget.start()
        await advisor.take()
        await expect(widget.composer).to_be_focused()
        # 400 CSS px are too few for the log and the message box in boxes of their own: the whole
        # panel scrolls (vertically only) and the log grows in it. Nobody scrolls in this test:
        # the widget keeps the newest line on screen above the focused message box.
        await widget.say("Can you read me at 200 %?")
        await advisor.heard("Can you read me at 200 %?")
        await expect(widget.line("Can you read me at 200 %?")).to_be_in_viewport(ratio=1)
        for n in (1, 2):
            await advisor.say(f"Of course. Reply {n}, which takes a line or two at this size, and which "
                              "arrives while you are typing your next question.")
            await expect(widget.line(f"Reply {n}")).to_be_in_viewport(ratio=1)
            await expect(widget.composer).to_be_focused()
            await expect(widget.composer).to_be_in_viewport(ratio=1)
        await widget.composer.fill("Typing while the reply comes in")
        await advisor.say("Yes, clearly.")
        reply = widget.line("Yes, clearly.")
        await expect(reply).to_be_in_viewport(ratio=1)
        await expect(widget.composer).to_be_focused()
        await expect(widget.composer).to_be_in_viewport(ratio=1)
        await expect(widget.composer).to_have_value("Typing while the reply comes in")
        await shoot(zoomed_page, widget, "zoom200-03-chatting")

        # A visitor who scrolled back up to read is left there when a line arrives.
        assert await (await widget.frame()).evaluate(PANEL_SCROLL, 0) == 0
        await expect(widget.heading("Your advisor is Anna")).to_be_in_viewport()
        await advisor.say("A line that comes while you read from the top.")
        await expect(widget.line("A line that comes while you read from the top.")).to_be_attached()
        assert await (await widget.frame()).evaluate(PANEL_SCROLL, None) == 0
        await shoot(zoomed_page, widget, "zoom200-04-scrolled-up")
        await widget.composer.click()  # scrolled into view to be tapped
        await expect(widget.composer).to_be_in_viewport(ratio=1)

        # Down at the message box, a lost connection still shows: its line sticks to the top.
        proxy.cut()
        await expect(widget.connection).to_have_text("Connection lost. Reconnecting…")
        await expect(widget.connection).to_be_in_viewport(ratio=1)
        await expect(widget.composer).to_be_in_viewport(ratio=1)
        await shoot(zoomed_page, widget, "zoom200-05-reconnecting")
        proxy.restore()
        await expect(widget.connection).to_have_text("Connection restored.")
        await widget.button("End chat").scroll_into_view_if_needed()
        await expect(widget.button("End chat")).to_be_in_viewport()
    finally:
        await zoomed.close()
