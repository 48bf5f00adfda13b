"""Issue 5 in a real browser: a whole chat, a reload in the middle, a network that drops while the
visitor writes, and a connection that looks open but is deaf. The host page is on another origin
than the server, as on a college's site."""

from __future__ import annotations

import json
from typing import Any

from playwright.async_api import ConsoleMessage, Page, WebSocket, expect
from sqlalchemy import select

from storage.tables import Feedback
from tests.e2e.browser import Host, Proxy, Widget, advisor_side, in_a_chat, stored_lines
from tests.service import Service, send, until


async def test_a_visitor_chats_with_an_advisor_rates_it_and_downloads_the_transcript(
        page: Page, service: Service, host: Host) -> None:
    advisor = await advisor_side(service)
    widget = Widget(page)
    await widget.load(host.url(service.base, html_lang="en"))
    await expect(widget.launcher).to_have_text("Ask for guidance in chat")
    await widget.open()
    await widget.start(topic="Work", language="English", keep=True)

    await expect(widget.heading("You are in the queue")).to_be_visible()
    await expect(widget.status("Your place in the queue: 1.")).to_be_visible()

    chat = await advisor.take()
    await expect(widget.heading("Your advisor is Anna")).to_be_visible()
    await expect(widget.panel.get_by_text("Kotka College", exact=True)).to_be_visible()
    await expect(widget.composer).to_be_focused()  # focus followed from the queue's message box

    await widget.composer.fill("How do I apply for the spring term?")
    await widget.composer.press("Enter")
    heard = await advisor.heard("How do I apply for the spring term?")
    assert heard["from"] == "visitor"
    await expect(widget.composer).to_have_value("")
    await expect(widget.pending).to_have_count(0)

    await advisor.say("INTERNAL: check the applicant's region", kind="note")
    await advisor.say("Hello! The spring application opens in January.")
    await expect(widget.line("Hello! The spring application opens in January.")).to_be_visible()
    line = widget.lines.filter(has_text="Hello! The spring application opens in January.")
    await expect(line).to_have_class("msg msg--advisor")
    await expect(line.locator(".msg__who")).to_have_text("Advisor")
    assert await widget.texts() == ["How do I apply for the spring term?",
                                    "Hello! The spring application opens in January."]

    await widget.end()
    await expect(widget.heading("The chat has ended")).to_be_visible()
    await expect(widget.panel.get_by_text("You ended the chat.")).to_be_visible()
    ended = await until(advisor.ws, "ended", chat=chat)
    assert ended["by"] == "visitor"

    await widget.rating(4).check()
    await widget.inside.get_by_label("Comment (optional)").fill("Clear answer, thanks")
    await widget.button("Send feedback").click()
    await expect(widget.status("Thank you for your feedback!")).to_be_visible()
    await expect(widget.button("Send feedback")).to_be_hidden()
    async with service.db.transaction() as session:
        feedback = (await session.execute(select(Feedback).where(Feedback.chat_id == chat))).scalar_one()
    assert (feedback.rating, feedback.comment) == (4, "Clear answer, thanks")
    assert (await widget.stored())["chat"]["feedbackSaved"] is True

    async with page.expect_download() as info:
        await widget.button("Download the conversation (.txt)").click()
    download = await info.value
    assert download.suggested_filename.startswith("neuvo-chat-") and download.suggested_filename.endswith(".txt")
    transcript = (await download.path()).read_text(encoding="utf-8")
    assert "Neuvo chat – conversation" in transcript
    assert "Topic: Work" in transcript
    assert "You: How do I apply for the spring term?" in transcript
    assert "Advisor: Hello! The spring application opens in January." in transcript
    assert "INTERNAL" not in transcript
    assert transcript.index("spring term") < transcript.index("opens in January")


async def test_a_reload_in_the_middle_of_a_chat_resumes_it_with_the_whole_history_once(
        page: Page, service: Service, host: Host) -> None:
    widget, advisor = await in_a_chat(page, service, host, keep=True)
    for n in (1, 2):
        await widget.say(f"visitor line {n}")
        await advisor.heard(f"visitor line {n}")
        await advisor.say(f"advisor line {n}")
        await expect(widget.line(f"advisor line {n}")).to_be_visible()
    await widget.composer.fill("a draft not sent yet")
    await widget.until_stored("draft", "a draft not sent yet")  # kept a moment after typing

    await page.reload()

    await expect(widget.panel).to_be_visible()  # the panel was open: it opens again
    await expect(widget.heading("Your advisor is Anna")).to_be_visible()
    expected = ["visitor line 1", "advisor line 1", "visitor line 2", "advisor line 2"]
    await expect(widget.log.locator(".msg__text")).to_have_text(expected)
    await expect(widget.composer).to_have_value("a draft not sent yet")

    # The resumed socket works both ways, and nothing is doubled by the replay.
    await advisor.say("advisor line 3")
    await widget.composer.fill("visitor line 3")
    await widget.composer.press("Enter")
    await advisor.heard("visitor line 3")
    await expect(widget.log.locator(".msg__text")).to_have_text([*expected, "advisor line 3", "visitor line 3"])
    await expect(widget.pending).to_have_count(0)
    lines = await stored_lines(service, advisor.chat)
    assert [line.text for line in lines] == [*expected, "advisor line 3", "visitor line 3"]

    # With the panel closed, a new line shows on the launcher, and is there when it opens.
    await widget.button("Close the chat window").click()
    await advisor.say("advisor line 4")
    await expect(widget.launcher).to_contain_text("1 new message")
    await widget.open()
    await expect(widget.line("advisor line 4")).to_be_visible()
    await widget.button("Close the chat window").click()
    await expect(widget.launcher).to_have_text("Ask for guidance in chat")


async def test_lines_written_while_the_network_is_down_reach_the_advisor_once_each_in_order(
        page: Page, service: Service, host: Host, proxy: Proxy) -> None:
    advisor = await advisor_side(service)
    widget = Widget(page)
    await widget.load(host.url(proxy.base, html_lang="en"))  # everything goes through the proxy
    await widget.open()
    await widget.start()
    chat = await advisor.take()
    await widget.say("before the drop")
    await advisor.heard("before the drop")

    # The server stores the next line, but its ack never reaches the browser; then the line drops.
    proxy.deafen()
    await widget.say("line 1")
    await advisor.heard("line 1")
    await expect(widget.pending).to_have_count(1)
    proxy.cut()
    await page.context.set_offline(True)
    await expect(widget.connection).to_contain_text("offline")

    await widget.say("line 2")
    await widget.say("line 3")
    await expect(widget.pending).to_have_count(3)
    await expect(widget.pending.locator(".msg__state")).to_have_text(["sending…"] * 3)
    await expect(widget.log.locator(".msg__text")).to_have_text(["before the drop", "line 1", "line 2", "line 3"])

    proxy.restore()
    await page.context.set_offline(False)
    await expect(widget.connection).to_have_text("Connection restored.")
    await expect(widget.pending).to_have_count(0)
    await expect(widget.log.locator(".msg__text")).to_have_text(["before the drop", "line 1", "line 2", "line 3"])

    # Everything the advisor's socket got up to a marker: line 2 and 3 once each, line 1 not again.
    await send(advisor.ws, {"type": "message", "chat": chat, "id": "marker", "text": "marker"})
    frames = await advisor.frames_until(lambda f: f["type"] == "message" and f.get("text") == "marker")
    heard = [f["text"] for f in frames if f["type"] == "message" and f.get("from") == "visitor"]
    assert heard == ["line 2", "line 3"]

    lines = await stored_lines(service, chat)
    visitor_lines = [(line.seq, line.text) for line in lines if line.sender == "visitor"]
    assert [text for _, text in visitor_lines] == ["before the drop", "line 1", "line 2", "line 3"]
    seqs = [seq for seq, _ in visitor_lines]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


# -- a connection that looks open but is deaf ------------------------------------------------------

# The widget's ack timeout for these tests (data-ack-timeout-ms), instead of its 15 s; the liveness
# probe goes out after twice this much silence.
ACK_TIMEOUT_MS = 1000


async def embed_with_ack_timeout(page: Page, ms: int) -> None:
    """The widget's tag on the host's pages gets data-ack-timeout-ms as the parser inserts it, before
    the deferred script runs. (The host fixture's pages know only data-lang and data-topic, and a
    page fulfilled by page.route() would lose its loopback address: Chromium then refuses the
    script from 127.0.0.1.)"""
    await page.add_init_script(f"""new MutationObserver((records, observer) => {{
        const tag = document.querySelector('script[src$="/widget.js"]');
        if (tag) {{
            tag.dataset.ackTimeoutMs = '{int(ms)}';
            observer.disconnect();
        }}
    }}).observe(document, {{ childList: true, subtree: true }});""")


def gave_up(message: ConsoleMessage) -> bool:
    """The widget's warning when its ack timeout closes a socket that looked open."""
    return message.type == "warning" and message.text.startswith("neuvo-chat: no answer in")


def record_sent_frames(page: Page) -> list[dict[str, Any]]:
    """Every JSON frame the page sends on any of its WebSockets, in order."""
    sent: list[dict[str, Any]] = []

    def watch(ws: WebSocket) -> None:
        ws.on("framesent", lambda payload: sent.append(json.loads(payload)))

    page.on("websocket", watch)
    return sent


async def test_a_line_sent_into_a_deaf_connection_reaches_the_advisor_once_after_the_widget_reconnects_by_itself(
        page: Page, service: Service, host: Host, proxy: Proxy) -> None:
    advisor = await advisor_side(service)
    widget = Widget(page)
    await embed_with_ack_timeout(page, ACK_TIMEOUT_MS)
    sent = record_sent_frames(page)
    await widget.load(host.url(proxy.base, html_lang="en"))
    await widget.open()
    await widget.start()
    chat = await advisor.take()
    await widget.say("before the silence")
    await advisor.heard("before the silence")
    await expect(widget.pending).to_have_count(0)

    # The server still gets the browser's bytes; nothing comes back, and the socket looks open.
    proxy.deafen()
    async with page.expect_console_message(gave_up) as timed_out:
        await widget.say("into the silence")
        await advisor.heard("into the silence")  # stored, its ack lost on the way
        await expect(widget.pending.locator(".msg__state")).to_have_text(["sending…"])
        await expect(widget.connection).to_have_text("")  # nothing looked wrong to the browser yet
    await timed_out.value  # the widget closes the socket itself, and reconnects
    proxy.restore()  # (should its new socket's handshake be lost as well, the same timeout retries)

    await expect(widget.connection).to_have_text("Connection restored.")
    await expect(widget.pending).to_have_count(0)
    await expect(widget.log.locator(".msg__text")).to_have_text(["before the silence", "into the silence"])
    assert [f["type"] for f in sent].count("resume") >= 1  # a new socket, on the widget's own initiative
    resent = [f for f in sent if f["type"] == "message" and f["text"] == "into the silence"]
    assert len(resent) >= 2 and len({f["id"] for f in resent}) == 1, resent  # the same id, every time

    # The advisor heard it once: nothing more of it up to a marker, and the chat stores it once.
    await send(advisor.ws, {"type": "message", "chat": chat, "id": "marker", "text": "marker"})
    frames = await advisor.frames_until(lambda f: f["type"] == "message" and f.get("text") == "marker")
    assert [f for f in frames if f["type"] == "message" and f.get("from") == "visitor"] == []
    await expect(widget.line("marker")).to_be_visible()  # and the new socket works both ways
    lines = await stored_lines(service, chat)
    assert [line.text for line in lines] == ["before the silence", "into the silence", "marker"]


async def test_an_idle_visitor_on_a_deaf_connection_still_gets_the_advisors_reply(
        page: Page, service: Service, host: Host, proxy: Proxy) -> None:
    advisor = await advisor_side(service)
    widget = Widget(page)
    await embed_with_ack_timeout(page, ACK_TIMEOUT_MS)
    sent = record_sent_frames(page)
    await widget.load(host.url(proxy.base, html_lang="en"))
    await widget.open()
    await widget.start()
    await advisor.take()
    await expect(widget.heading("Your advisor is Anna")).to_be_visible()

    # The visitor writes nothing, so nothing waits for an ack: the widget's liveness probe (a ping
    # after a silence) goes unanswered, and it reconnects; the resume replays the lost reply.
    proxy.deafen()
    async with page.expect_console_message(gave_up) as timed_out:
        await advisor.say("A reply the visitor's socket never delivers")
    await timed_out.value
    proxy.restore()
    await expect(widget.line("A reply the visitor's socket never delivers")).to_be_visible()
    await expect(widget.connection).to_have_text("Connection restored.")
    assert any(f["type"] == "ping" for f in sent) and [f["type"] for f in sent].count("resume") >= 1
    # Today's server answers a ping with error unknown_type: the widget takes that as a pong
    # and shows nothing of it.
    await expect(widget.inside.locator("neuvo-chat .notice")).to_have_text("")
