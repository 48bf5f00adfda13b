"""The advisors' duty console in real Chromium against the real server; visitors on real sockets."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, Route, WebSocketRoute, expect
from sqlmodel import col, delete, select
from websockets.asyncio.client import ClientConnection

from chat.live.commands import Reconfigure
from storage import people, roster
from storage.tables import CannedAnswer, Chat, OfflineMessage, ShiftRow
from tests.e2e.browser import DESKTOP, Proxy, sign_out
from tests.service import PASSWORD, TUESDAY_10, Service, receive, send, until

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "console"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


async def sign_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    await page.goto(f"{base}/console?lang=en")
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()


async def on_duty(page: Page, base: str, username: str = "anna") -> None:
    """Signed in, connected and available."""
    await sign_in(page, base, username)
    await expect(page.locator("#connection")).to_contain_text("Connected")
    await page.get_by_label("Available – take chats").check()
    await expect(page.get_by_label("Available – take chats")).to_be_checked()


async def visitor_chat(service: Service, language: str = "fi") -> tuple[ClientConnection, str]:
    visitor = await service.visitor()
    await send(visitor, {"type": "start", "topic": "work", "language": language})
    queued = await until(visitor, "queued")
    return visitor, str(queued["chat"])


async def no_violations(page: Page, state: str) -> None:
    results = await Axe().run(page, options=WCAG)
    found = [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]
    assert not found, f"axe, {state}: {found}"


async def screenshots(page: Page, name: str) -> None:
    """The whole page at 1280 and at a phone's 375 px (test-artifacts/console/NAME-WIDTH.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 800), (375, 740)):
        await page.set_viewport_size({"width": width, "height": height})
        await page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
    await page.set_viewport_size({"width": 1280, "height": 800})


async def test_an_advisor_answers_from_the_handbook_notes_transfers_and_the_visitor_sees_no_note(
    service: Service, page: Page
) -> None:
    async with service.db.transaction() as session:
        session.add(CannedAnswer(language="fi", title="Hakuajat", text="Yhteishaku alkaa maaliskuussa."))
    await on_duty(page, service.base)
    visitor, chat_id = await visitor_chat(service)
    await until(visitor, "assigned")
    pane = page.locator(f"#pane-{chat_id}")
    await expect(pane).to_be_visible()

    await send(visitor, {"type": "message", "id": "v1", "text": "Milloin haku alkaa?"})
    await expect(pane.locator(".line--visitor")).to_contain_text("Milloin haku alkaa?")

    await pane.get_by_text("Canned answers").click()
    await pane.get_by_label("Search the handbook").fill("haku")
    await pane.get_by_label("Search the handbook").press("Enter")
    await expect(pane.get_by_label("Message")).to_have_value("Yhteishaku alkaa maaliskuussa.")
    await pane.get_by_label("Message").press("Enter")
    assert (await until(visitor, "message", seq=2))["text"] == "Yhteishaku alkaa maaliskuussa."

    await pane.get_by_label("A note for advisors").check()
    await pane.get_by_label("Internal note", exact=True).fill("Kysyi hakuajoista")
    await pane.get_by_role("button", name="Add internal note").click()
    await expect(pane.locator(".line--note")).to_contain_text("Kysyi hakuajoista")

    bertil = await service.available("bertil")
    await pane.get_by_text("Transfer", exact=True).click()
    await pane.get_by_label("To", exact=True).select_option("advisor")
    await pane.get_by_label("Choose").select_option("bertil")
    await pane.get_by_label("Note for the receiver").fill("Jatkatko sinä?")
    await pane.get_by_role("button", name="Transfer the chat").click()

    handed = await until(bertil, "assigned")
    history = [(m["from"], m["text"]) for m in handed["chat"]["messages"]]
    assert history == [
        ("visitor", "Milloin haku alkaa?"),
        ("advisor", "Yhteishaku alkaa maaliskuussa."),
        ("note", "Kysyi hakuajoista"),
        ("note", "Jatkatko sinä?"),
    ]
    await expect(pane.locator(".pane__meta")).to_contain_text("Transferred")
    frames = []
    while (frame := await receive(visitor))["type"] != "assigned":
        frames.append(frame)
    assert frame["advisor"]["name"] == "Bertil"
    assert all(f.get("from") != "note" for f in frames)
    await no_violations(page, "console with a transferred chat")


async def test_writing_an_internal_note_tells_the_visitor_nothing_not_even_that_someone_types(
    service: Service, page: Page
) -> None:
    """Issue 12.4 and 16: the note has its own box in a note mode of its own, apart from the message
    to the visitor and coloured apart, and typing in it sends no `typing` frame."""
    await on_duty(page, service.base)
    visitor, chat_id = await visitor_chat(service)
    await until(visitor, "assigned")
    pane = page.locator(f"#pane-{chat_id}")
    message = pane.get_by_label("Message", exact=True)
    note = pane.get_by_label("Internal note", exact=True)
    await expect(message).to_be_visible()
    await expect(note).to_be_hidden()  # reply mode first

    reply_mode = pane.get_by_label("A reply to the visitor")
    await reply_mode.focus()
    await page.keyboard.press("ArrowRight")  # a radio group: the arrow chooses note mode
    await expect(pane.get_by_label("A note for advisors")).to_be_checked()
    await expect(message).to_be_hidden()
    await expect(note).to_be_visible()
    await expect(note).to_have_accessible_description(
        "The visitor sees neither the note nor that you are writing it. Enter saves it.")
    looks = await pane.locator(".composer--note").evaluate(
        "form => { const s = getComputedStyle(form); return [s.backgroundColor, s.borderTopStyle]; }")
    assert looks == ["rgb(255, 247, 230)", "dashed"]  # amber and dashed, as the notes in the log
    await expect(pane.get_by_role("button", name="Add internal note")).to_be_visible()
    await expect(pane.get_by_role("button", name="Send", exact=True)).to_be_hidden()

    await page.keyboard.press("Tab")
    await expect(note).to_be_focused()
    await page.keyboard.type("Kysyy hakuajoista; ohjaisin opintoneuvojalle", delay=30)
    await page.keyboard.press("Enter")
    await expect(pane.locator(".line--note:not(.line--pending)")).to_contain_text("ohjaisin opintoneuvojalle")
    await expect(note).to_have_value("")
    await screenshots(page, "note-written")
    await no_violations(page, "console after a note was written")

    # The note is stored (acked) and the visitor's ping is answered after anything sent before it.
    await send(visitor, {"type": "ping"})
    frames = []
    while (frame := await receive(visitor))["type"] != "pong":
        frames.append(frame)
    assert [f["type"] for f in frames if f["type"] in ("typing", "message")] == []

    # The message box still says so, which shows the visitor's socket would have heard it.
    await reply_mode.check()
    await message.press_sequentially("Hei", delay=30)
    assert (await until(visitor, "typing"))["from"] == "advisor"


async def test_the_transfer_list_says_who_speaks_what_and_who_is_away_and_a_refused_transfer_says_why(
    service: Service, page: Page
) -> None:
    """Issue 12.1, the console's part. The server's refusal (`cannot_serve`, which another branch
    adds) is played here by answering the console's transfer frame on its way to the server."""
    bertil, _ = await service.advisor("bertil")  # signed in, away
    await service.available("chloe")

    async def colleagues(route: Route) -> None:  # Chloe's shift is over, as far as the list says
        people = await (await route.fetch()).json()
        await route.fulfill(json=[{**p, "on_shift": p["username"] != "chloe"} for p in people])

    await page.route("**/api/console/colleagues", colleagues)

    def refuse_transfers(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def from_console(message: str | bytes) -> None:
            if isinstance(message, str) and json.loads(message).get("type") == "transfer":
                ws.send(json.dumps({"type": "error", "code": "cannot_serve", "message": "cannot serve"}))
            else:
                server.send(message)

        ws.on_message(from_console)

    await page.route_web_socket(re.compile(r"/ws/advisor$"), refuse_transfers)
    await on_duty(page, service.base)
    visitor, chat_id = await visitor_chat(service)
    await until(visitor, "assigned")
    pane = page.locator(f"#pane-{chat_id}")
    await expect(pane).to_be_visible()

    await pane.get_by_text("Transfer", exact=True).click()
    await pane.get_by_label("To", exact=True).select_option("advisor")
    target = pane.get_by_label("Choose")
    await expect(target.locator("option")).to_have_text([
        "Bertil · Kaakko UAS · fi, sv · away",
        "Chloe · TE Office · en · not on shift",
    ])
    await target.select_option("bertil")
    await pane.get_by_label("Note for the receiver").fill("Ruotsiksi, kiitos")
    await pane.get_by_role("button", name="Transfer the chat").click()

    await expect(pane.get_by_role("alert")).to_have_text(
        "The transfer is not possible: nobody who could take this chat (its language and topic) is signed in "
        "and on shift now. The chat stays with you.")
    await expect(page.locator(f"#tab-{chat_id}")).to_be_visible()
    await expect(pane.locator(".pane__meta")).not_to_contain_text("Transferred")
    await expect(pane.get_by_label("Message", exact=True)).to_be_enabled()
    await expect(pane.get_by_label("Note for the receiver")).to_have_value("Ruotsiksi, kiitos")
    await screenshots(page, "transfer-refused")
    await no_violations(page, "console with a refused transfer")
    await bertil.close()


async def test_three_chats_at_once_each_in_a_tab_with_unread_counts_and_one_closed_with_an_outcome(
    service: Service, page: Page
) -> None:
    await on_duty(page, service.base)
    chats = [await visitor_chat(service) for _ in range(3)]
    tabs = page.get_by_role("tab")
    await expect(tabs).to_have_count(3)

    second_visitor, second = chats[1]
    await send(second_visitor, {"type": "message", "id": "v1", "text": "Oletko siellä?"})
    second_tab = page.locator(f"#tab-{second}")
    # Unread: the new chat itself (it arrived while the first tab was open), then its message.
    await expect(second_tab).to_contain_text("2 unread")
    await second_tab.click()
    await expect(second_tab).not_to_contain_text("unread")
    await expect(page.locator(f"#pane-{second} .line--visitor")).to_contain_text("Oletko siellä?")
    calendar = await page.get_by_role("link", name="Your shifts in your own calendar").get_attribute("href")
    feed = await page.request.get(f"{service.base}{calendar}")
    assert feed.ok and "BEGIN:VEVENT" in await feed.text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=ARTIFACTS / "three-chats-1280.png", full_page=True)
    await page.set_viewport_size({"width": 320, "height": 800})
    await page.screenshot(path=ARTIFACTS / "three-chats-320.png", full_page=True)
    await page.set_viewport_size({"width": 1280, "height": 800})

    third_visitor, third = chats[2]
    await page.locator(f"#tab-{third}").click()
    pane = page.locator(f"#pane-{third}")
    await pane.get_by_label("Outcome").select_option("referred")
    await pane.get_by_role("button", name="Close the chat").click()
    assert (await until(third_visitor, "ended"))["by"] == "advisor"
    await expect(pane.locator(".pane__meta")).to_contain_text("Closed")
    async with service.db.transaction() as session:
        closed = await session.get(Chat, third)
    assert closed is not None and closed.outcome == "referred"
    await no_violations(page, "console with three chats")


async def test_the_console_reconnects_by_itself_and_what_was_typed_meanwhile_arrives_once(
    service: Service, proxy: Proxy, page: Page
) -> None:
    await on_duty(page, proxy.base)
    visitor, chat_id = await visitor_chat(service)
    pane = page.locator(f"#pane-{chat_id}")
    await expect(pane).to_be_visible()

    proxy.cut()
    await expect(page.locator("#connection")).to_contain_text("Reconnecting")
    await pane.get_by_label("Message").fill("Yhteys pätkii, mutta olen tässä")
    await pane.get_by_label("Message").press("Enter")
    await expect(pane.locator(".line--pending")).to_have_count(1)
    proxy.restore()

    await expect(page.locator("#connection")).to_contain_text("Connected")
    line = await until(visitor, "message")
    assert (line["seq"], line["text"]) == (1, "Yhteys pätkii, mutta olen tässä")
    await expect(pane.locator(".line--pending")).to_have_count(0)
    await expect(page.get_by_label("Available – take chats")).to_be_checked()
    async with service.db.transaction() as session:
        stored = await session.get(Chat, chat_id)
    assert stored is not None and stored.last_seq == 1


async def test_a_line_sent_into_a_deaf_console_socket_arrives_once_after_the_console_reconnects_by_itself(
    service: Service, proxy: Proxy, page: Page
) -> None:
    """The console shares the widget's connection.js, so it notices a socket that looks open but
    hears nothing (its ack timeout, shortened here like the widget's with data-ack-timeout-ms)."""
    await page.add_init_script("""new MutationObserver((records, observer) => {
        const tag = document.querySelector('script[src$="/console.js"]');
        if (tag) {
            tag.dataset.ackTimeoutMs = '1000';
            observer.disconnect();
        }
    }).observe(document, { childList: true, subtree: true });""")
    await on_duty(page, proxy.base)
    visitor, chat_id = await visitor_chat(service)
    pane = page.locator(f"#pane-{chat_id}")
    await expect(pane).to_be_visible()

    proxy.deafen()  # the server still gets the console's bytes; nothing comes back
    await pane.get_by_label("Message").fill("Kuuluuko?")
    await pane.get_by_label("Message").press("Enter")
    line = await until(visitor, "message")
    assert (line["seq"], line["text"]) == (1, "Kuuluuko?")
    await expect(page.locator("#connection")).to_contain_text("Reconnecting")
    proxy.restore()

    await expect(page.locator("#connection")).to_contain_text("Connected")
    await expect(pane.locator(".line--pending")).to_have_count(0)
    await expect(pane.locator(".line__text", has_text="Kuuluuko?")).to_have_count(1)
    async with service.db.transaction() as session:
        stored = await session.get(Chat, chat_id)
    assert stored is not None and stored.last_seq == 1


async def test_an_advisor_cannot_open_another_advisors_transcript(service: Service, page: Page) -> None:
    anna = await service.available("anna")
    visitor, chat_id = await visitor_chat(service)
    await until(anna, "assigned")
    await send(visitor, {"type": "message", "id": "v1", "text": "Yksityinen asia"})
    await until(visitor, "ack")

    await sign_in(page, service.base, "bertil")
    response = await page.goto(f"{service.base}/console/chats/{chat_id}")
    assert response is not None and response.status == 403
    await expect(page.get_by_text("Yksityinen asia")).to_have_count(0)

    await page.goto(f"{service.base}/console/chats")
    await sign_out(page)
    await sign_in(page, service.base, "anna")
    await page.goto(f"{service.base}/console/chats/{chat_id}")
    await expect(page.get_by_text("Yksityinen asia")).to_be_visible()
    await no_violations(page, "transcript")


async def test_wrong_passwords_are_throttled_with_the_same_message_for_unknown_users(
    service: Service, page: Page
) -> None:
    messages: list[str] = []
    for username in ["nobody"] + ["anna"] * service.settings.login_failures:
        await sign_in(page, service.base, username, "wrong password")
        summary = page.locator(".error-summary")
        await expect(summary).to_be_visible()
        messages.append(await summary.locator("li").inner_text())
    assert set(messages) == {"Wrong username or password"}
    await sign_in(page, service.base, "anna")
    await expect(page.locator(".error-summary")).to_contain_text("Too many failed attempts")
    await no_violations(page, "sign-in with errors")


async def test_offline_messages_are_claimed_once_and_marked_answered(service: Service, page: Page) -> None:
    async with await service.http() as client:
        left = await client.post("/api/offline-messages", json={"topic": "work", "language": "fi",
                                                                "text": "Soittakaa minulle", "contact": "040 1"})
    assert left.status_code == 201
    await sign_in(page, service.base, "anna")
    await page.goto(f"{service.base}/console/offline?lang=en")
    await expect(page.get_by_text("Soittakaa minulle")).to_be_visible()
    await page.get_by_role("button", name="I'll take this").click()
    await page.get_by_label("By phone").check()
    await no_violations(page, "offline inbox")
    await page.get_by_role("button", name="Mark as answered").click()
    await expect(page.get_by_role("status")).to_contain_text("Marked as answered")
    await expect(page.get_by_text("Soittakaa minulle")).to_have_count(0)

    async with service.db.transaction() as session:
        stored = (await session.execute(select(OfflineMessage))).scalar_one()
    assert stored.answered_how == "phone" and stored.claimed_by is not None


async def test_the_console_works_by_keyboard_alone(service: Service, page: Page) -> None:
    async with service.db.transaction() as session:
        session.add(CannedAnswer(language="fi", title="Tervehdys", text="Hei, miten voin auttaa?"))
    await page.goto(f"{service.base}/sign-in?lang=en&next=/console")
    await page.keyboard.press("Tab")  # skip link first
    focused = page.locator(":focus")
    while await focused.get_attribute("id") != "username":
        await page.keyboard.press("Tab")
    await page.keyboard.type("anna")
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page.locator("#connection")).to_contain_text("Connected")

    cues = page.get_by_label("Sound cue")
    await cues.focus()
    await page.keyboard.press("Space")
    await page.reload()
    await expect(page.locator("#connection")).to_contain_text("Connected")
    await expect(cues).not_to_be_checked()  # the choice is remembered

    away = page.get_by_label("Away")
    await away.focus()
    await page.keyboard.press("ArrowUp")  # radio group: arrows move and choose
    await expect(page.get_by_label("Available – take chats")).to_be_checked()

    visitors = [await visitor_chat(service) for _ in range(2)]
    await expect(page.get_by_role("tab")).to_have_count(2)
    first_tab = page.locator(f"#tab-{visitors[0][1]}")
    await first_tab.focus()
    await page.keyboard.press("ArrowRight")
    second = visitors[1][1]
    await expect(page.locator(f"#tab-{second}")).to_be_focused()
    await expect(page.locator(f"#pane-{second}")).to_be_visible()

    composer = page.locator(f"#pane-{second}").get_by_label("Message")
    await composer.focus()
    await page.keyboard.press("Alt+h")
    await expect(page.locator(f"#pane-{second}").get_by_label("Search the handbook")).to_be_focused()
    await page.keyboard.type("hei")
    await page.keyboard.press("Enter")
    await expect(composer).to_be_focused()
    await page.keyboard.press("Enter")
    assert (await until(visitors[1][0], "message"))["text"] == "Hei, miten voin auttaa?"


async def test_a_shift_ending_at_midnight_reads_until_24_00(page: Page, service: Service) -> None:
    midnight = TUESDAY_10.replace(hour=0)
    async with service.db.transaction() as session:
        bertil = await people.user_by_username(session, username="bertil")
        assert bertil is not None and bertil.id is not None
        await session.execute(delete(ShiftRow).where(col(ShiftRow.user_id) == bertil.id))
        await roster.add_shifts(session, shifts=[(bertil.id, midnight, midnight + timedelta(days=1))])
    await service.live.run(Reconfigure())
    await sign_in(page, service.base, "bertil")
    await expect(page.locator("#connection")).to_contain_text("Connected")
    await expect(page.locator("#shift")).to_have_text("On shift until 24:00")
    await expect(page.get_by_role("cell", name="00:00–24:00")).to_be_visible()


async def test_a_chat_the_visitor_ended_is_given_its_outcome_from_the_console(service: Service, page: Page) -> None:
    await on_duty(page, service.base)
    visitor, chat_id = await visitor_chat(service)
    pane = page.locator(f"#pane-{chat_id}")
    await expect(pane).to_be_visible()
    await send(visitor, {"type": "end"})
    await expect(pane.locator(".pane__meta")).to_contain_text("The visitor ended the chat")
    await expect(pane.get_by_label("Message")).to_be_disabled()
    await pane.get_by_label("Outcome").select_option("referred")
    await pane.get_by_role("button", name="Save the outcome").click()
    await expect(pane.get_by_role("button", name="Save the outcome")).to_be_disabled()
    async with service.db.transaction() as session:
        ended = await session.get(Chat, chat_id)
    assert ended is not None and ended.outcome == "referred"
    await no_violations(page, "console, outcome after the visitor ended")
    await screenshots(page, "outcome-after-end")


async def test_unread_counts_read_as_finnish_counts_them(service: Service, page: Page) -> None:
    await sign_in(page, service.base, "anna")
    await page.goto(f"{service.base}/console?lang=fi")
    await page.locator("input[value=available]").check()
    await visitor_chat(service)  # the first chat's tab is the open one
    second_visitor, second = await visitor_chat(service)
    tab = page.locator(f"#tab-{second}")
    await expect(tab).to_contain_text("1 lukematon")  # the new chat itself
    await send(second_visitor, {"type": "message", "id": "v1", "text": "Hei"})
    await expect(tab).to_contain_text("2 lukematonta")


# Kept by every document of the page, before its own scripts run: what its CSP refused.
RECORD_VIOLATIONS = """window.__violations = [];
document.addEventListener('securitypolicyviolation',
    (event) => window.__violations.push(`${event.effectiveDirective} ${event.blockedURI}`));"""


async def test_the_console_works_under_its_content_security_policy(service: Service, browser: Browser) -> None:
    """Issue 14.5: no inline script, the setup read from its JSON data block by the module, the
    socket allowed by connect-src. Its own context: the control at the end is a violation on purpose."""
    context = await browser.new_context(viewport=DESKTOP)
    try:
        page = await context.new_page()
        await page.add_init_script(RECORD_VIOLATIONS)
        refused: list[str] = []
        page.on("console", lambda message: refused.append(message.text)
                if "Content Security Policy" in message.text else None)
        async with page.expect_response(lambda response: response.url.endswith("/console?lang=en")) as answered:
            await on_duty(page, service.base)
        policy = (await answered.value).headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        visitor, chat = await visitor_chat(service, language="en")
        composer = page.locator(f"#pane-{chat}").get_by_label("Message")
        await composer.fill("Hello under the policy")
        await composer.press("Enter")
        assert (await until(visitor, "message"))["text"] == "Hello under the policy"
        assert await page.evaluate("() => window.__violations") == [] and refused == []

        # The control: the policy is in force, and a refusal would have been seen.
        await page.evaluate("""() => { const s = document.createElement('script');
            s.textContent = 'window.__ran = 1'; document.head.append(s); }""")
        await page.wait_for_function("() => window.__violations.length > 0")
        assert await page.evaluate("() => typeof window.__ran") == "undefined"
    finally:
        await context.close()
