"""Issue 14: the conversation is out of the host page's reach. A script on the participating site
(analytics, a tag manager) can read neither the chat's text nor its token: both live in the frame,
a document of the chat's own origin, and the launcher hears only its own words and counts."""

from __future__ import annotations

import json
from typing import Any

from playwright.async_api import Page, expect

from tests.e2e.browser import Host, in_a_chat
from tests.service import Service

# Installed on the host page before anything of it runs, as a tag manager would be: it keeps
# every message the page's window receives.
LISTEN = """window.__heard = [];
window.addEventListener('message', (event) => window.__heard.push(JSON.stringify(event.data)));"""

# What a script on the host page can find: storage, cookies, the page's markup with every open
# shadow root's, the frame's address, and what reaching into the frame gives.
SNOOP = """() => {
    const shadows = [];
    const walk = (root) => root.querySelectorAll('*').forEach((el) => {
        if (el.shadowRoot) { shadows.push(el.shadowRoot); walk(el.shadowRoot); }
    });
    walk(document);
    const iframe = shadows.map((root) => root.querySelector('iframe')).find(Boolean);
    const attempt = (read) => { try { return String(read()); } catch (error) { return error.name; } };
    return {
        storage: JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }),
        storageKeys: [...Object.keys(sessionStorage), ...Object.keys(localStorage)],
        cookies: document.cookie,
        markup: document.documentElement.outerHTML + shadows.map((root) => root.innerHTML).join(''),
        text: document.body.innerText + shadows.map((root) => root.textContent).join(''),
        logs: shadows.filter((root) => root.querySelector('[role=log]')).length,
        frameSrc: iframe.src,
        contentDocument: iframe.contentDocument === null ? 'null' : 'readable',
        frameDocument: attempt(() => iframe.contentWindow.document.body.innerHTML),
        frameStorage: attempt(() => iframe.contentWindow.sessionStorage.length),
        heard: window.__heard,
    };
}"""


async def test_a_script_on_the_host_page_can_read_neither_the_conversation_nor_its_token(
        page: Page, service: Service, host: Host) -> None:
    await page.add_init_script(LISTEN)
    widget, advisor = await in_a_chat(page, service, host, keep=True)  # kept: in the frame's storage
    await widget.say("My personal question about my studies")
    await advisor.heard("My personal question about my studies")
    await advisor.say("A private answer for you")
    await expect(widget.line("A private answer for you")).to_be_visible()

    record: dict[str, Any] = await widget.stored()  # the frame's own sessionStorage: the chat origin's
    token = record["chat"]["token"]
    assert token and record["chat"]["history"]
    frame_origin = await (await widget.frame()).evaluate("() => location.origin")
    assert frame_origin != host.origin

    # A closed panel and a new line: the launcher counts it, and still gets none of its words.
    await widget.button("Close the chat window").click()
    await advisor.say("Another private line")
    await expect(widget.launcher).to_contain_text("1 new message")

    found = await page.evaluate(SNOOP)
    assert found["contentDocument"] == "null"
    assert found["frameDocument"] == "SecurityError"
    assert found["frameStorage"] == "SecurityError"
    assert not [key for key in found["storageKeys"] if "neuvo" in key.lower()], found["storageKeys"]
    assert found["logs"] == 0
    heard = "".join(found["heard"])
    assert found["heard"], "the launcher heard from the frame"
    everything = {name: found[name] for name in ("storage", "cookies", "markup", "text", "frameSrc")}
    everything["heard"] = heard
    for secret in (token, record["chat"]["id"], "personal question", "private answer", "Another private line",
                   "Anna"):
        leaks = [name for name, seen in everything.items() if secret in seen]
        assert not leaks, f"{secret!r} is readable on the host page in {leaks}"
    # What the launcher did hear: its own words and a count.
    assert {json.loads(said)["type"] for said in found["heard"]} <= {"state", "announce", "close"}
