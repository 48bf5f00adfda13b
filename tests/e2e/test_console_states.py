"""Issue 16 in real Chromium: the console's chat list (names, chips, unread counts, the title),
the warning before signing out with chats, the offline inbox answering by e-mail through a real
SMTP server, and the visitor's feedback in a transcript. Each new state is checked with axe and
photographed at 1280 and 375 px (test-artifacts/console/)."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page, expect

from tests.chat.coordinator_fixtures import COORDINATOR, add_coordinator
from tests.e2e.browser import sign_out
from tests.e2e.test_console import no_violations, on_duty, screenshots, sign_in, visitor_chat
from tests.service import Service, running, send, until
from tests.smtp_server import smtp_server

TITLE = "Duty console – Neuvo"


async def test_the_chat_list_names_each_chat_shows_its_state_and_counts_unread_lines_in_the_title(
    service: Service, page: Page
) -> None:
    await on_duty(page, service.base)
    visitors = []
    for topic in ("work", "work", "education"):
        visitor = await service.visitor()
        await send(visitor, {"type": "start", "topic": topic, "language": "fi"})
        visitors.append((visitor, str((await until(visitor, "queued"))["chat"])))
        service.clock.advance(60)
    (first, a), (second, b), (third, c) = visitors
    tabs = page.get_by_role("tab")
    await expect(tabs).to_have_count(3)
    tab = {chat: page.locator(f"#tab-{chat}") for chat in (a, b, c)}
    # Two chats on one topic are told apart: a name, and the time each visitor came.
    await expect(tab[a]).to_have_text("Visitor 1 Yours Work · Finnish · 10:00")
    await expect(tab[b].locator(".tab__meta")).to_have_text("Work · Finnish · 10:01")
    await expect(tab[c].locator(".tab__meta")).to_have_text("Education · Finnish · 10:02")
    await expect(tab[b].locator(".tab__chip")).to_have_text("New")
    await expect(page.locator(f"#pane-{a} .pane__meta")).to_contain_text("Visitor 1 · Work · Finnish · arrived 10:00")

    await send(second, {"type": "message", "id": "v1", "text": "Onko siellä ketään?"})
    await expect(tab[b].locator(".tab__unread")).to_have_text("2 unread")
    await expect(page).to_have_title(f"(3) {TITLE}")  # b: the chat and its line; c: the chat
    await send(first, {"type": "message", "id": "v1", "text": "Hei"})
    await expect(tab[a].locator(".tab__chip")).to_have_text("Waiting for you")
    await expect(tab[a].locator(".tab__unread")).to_have_count(1)
    await expect(tab[a].locator(".tab__unread")).to_be_empty()  # it is open: read as it comes
    await screenshots(page, "chat-list")
    await no_violations(page, "chat list with new, waiting and unread chats")

    await tab[b].click()
    await expect(tab[b].locator(".tab__chip")).to_have_text("Waiting for you")
    await expect(page).to_have_title(f"(1) {TITLE}")
    composer = page.locator(f"#pane-{b}").get_by_label("Message", exact=True)
    await composer.fill("Täällä ollaan")
    await composer.press("Enter")
    await until(second, "message", seq=2)
    await expect(tab[b].locator(".tab__chip")).to_have_text("Yours")

    await tab[c].focus()
    await page.keyboard.press("ArrowUp")  # a vertical list: up and down move between chats
    await expect(tab[b]).to_be_focused()
    await page.keyboard.press("ArrowDown")
    await expect(tab[c]).to_be_focused()
    await expect(page).to_have_title(TITLE)
    await send(third, {"type": "end"})
    await expect(tab[c].locator(".tab__chip")).to_have_text("Visitor left")
    await send(first, {"type": "quick_exit"})  # gone at once, the chat ends after the grace
    await expect(tab[a].locator(".tab__chip")).to_have_text("Visitor left")
    await no_violations(page, "chat list after the visitor left")

    await page.reload()  # the names stay with their chats
    await expect(page.locator("#connection")).to_contain_text("Connected")
    await expect(page.locator(f"#tab-{b} .tab__name")).to_have_text("Visitor 2")
    await expect(page.locator(f"#tab-{a} .tab__name")).to_have_text("Visitor 1")


async def test_the_chat_list_reads_finnish_and_swedish_names_and_counts(service: Service, page: Page) -> None:
    await sign_in(page, service.base, "bertil")
    await page.goto(f"{service.base}/console?lang=sv")
    await page.locator("input[value=available]").check()
    await visitor_chat(service, language="sv")
    second, chat = await visitor_chat(service, language="sv")
    await send(second, {"type": "message", "id": "v1", "text": "Hej"})
    await expect(page.locator(f"#tab-{chat}")).to_contain_text("Besökare 2 Ny 2 olästa")
    await expect(page.locator(f"#tab-{chat} .tab__meta")).to_contain_text("Arbete · svenska")


async def test_signing_out_while_holding_a_chat_asks_first_and_back_returns_to_the_chats(
    service: Service, page: Page
) -> None:
    await on_duty(page, service.base)
    _, chat = await visitor_chat(service)
    await expect(page.locator(f"#tab-{chat}")).to_be_visible()
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="You have 1 chat in progress")).to_be_visible()
    await expect(page.get_by_role("listitem").filter(has_text="Work · Finnish · arrived 10:00")).to_be_visible()
    await screenshots(page, "sign-out-warning")
    await no_violations(page, "sign-out warning")

    await page.get_by_role("link", name="Back to the chats").click()
    await expect(page.locator(f"#tab-{chat}")).to_be_visible()
    await page.get_by_role("button", name="Sign out").click()
    await page.get_by_role("button", name="Sign out anyway").click()
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


async def test_an_offline_message_is_answered_by_email_and_a_refusal_keeps_the_text(tmp_path: Path, page: Page) -> None:
    async with smtp_server() as mailbox, running(tmp_path, smtp_host="127.0.0.1", smtp_port=mailbox.port,
                                                 smtp_from="Neuvo <neuvo@service.test>",
                                                 smtp_starttls=False) as service:
        async with await service.http() as client:
            left = await client.post("/api/offline-messages", json={
                "topic": "work", "language": "en", "text": "Can I apply in the autumn?", "contact": "sam@example.fi"})
        assert left.status_code == 201
        await sign_in(page, service.base, "anna")
        await page.goto(f"{service.base}/console/offline?lang=en")
        await page.get_by_role("button", name="I'll take this").click()
        reply = page.get_by_label("Reply by e-mail to sam@example.fi")
        await expect(reply).to_have_accessible_description(
            "The visitor gets it from Neuvo <neuvo@service.test> in their own language, signed with your name and "
            "organisation, with their message quoted below. Neuvo records only that you answered, not the text.")
        await reply.fill("Yes: the autumn application is open 2-16 September.")
        await screenshots(page, "offline-reply")
        await no_violations(page, "offline inbox with a reply box")

        mailbox.refuse_recipients = "550 5.1.1 <sam@example.fi>: mailbox unavailable"
        await page.get_by_role("button", name="Send the reply").click()
        summary = page.locator(".error-summary")
        await expect(summary).to_contain_text("The reply was not sent: the mail server refused the address.")
        await expect(reply).to_have_value("Yes: the autumn application is open 2-16 September.")
        await expect(page.get_by_text("The server said: 550 5.1.1")).to_be_visible()
        await screenshots(page, "offline-reply-refused")
        await no_violations(page, "offline reply refused by the mail server")

        mailbox.refuse_recipients = None
        await page.get_by_role("button", name="Send the reply").click()
        await expect(page.get_by_role("status")).to_have_text(
            "The reply was sent by e-mail and the message marked as answered.")
        [mail] = mailbox.received
        assert (mail["To"], mail["Subject"]) == ("sam@example.fi", "A reply to your message of 24 Nov 2026")
        await page.go_back()  # the old form again, then a second click: nothing is sent twice
        await page.get_by_role("button", name="Send the reply").click()
        await expect(page.get_by_role("status")).to_contain_text("already answered; nothing was sent again")
        assert len(mailbox.received) == 1


async def test_a_coordinator_releases_an_advisors_claim_from_the_inbox(tmp_path: Path, page: Page) -> None:
    async with running(tmp_path) as service:
        await add_coordinator(service)
        async with await service.http() as client:
            await client.post("/api/offline-messages", json={"topic": "work", "language": "fi", "text": "Soittakaa"})
        await sign_in(page, service.base, "anna")
        await page.goto(f"{service.base}/console/offline?lang=en")
        await page.get_by_role("button", name="I'll take this").click()
        await sign_out(page)
        await sign_in(page, service.base, COORDINATOR)
        await page.goto(f"{service.base}/console/offline?lang=en")
        await expect(page.get_by_role("link", name="Coordinator pages")).to_be_visible()
        await expect(page.get_by_text("Anna is answering this")).to_be_visible()
        await screenshots(page, "offline-coordinator")
        await no_violations(page, "offline inbox, a coordinator's view")
        await page.get_by_role("button", name="Release it for others (now: Anna)").click()
        await expect(page.get_by_role("status")).to_have_text("Released: anyone can take the message now.")
        await expect(page.get_by_role("button", name="I'll take this")).to_be_visible()


async def test_the_transcript_shows_the_visitors_rating_and_comment(service: Service, page: Page) -> None:
    talk = await service.chat("anna")
    await send(talk.visitor, {"type": "message", "id": "v1", "text": "Kiitos avusta"})
    await send(talk.visitor, {"type": "end"})
    await until(talk.visitor, "ended")
    await send(talk.visitor, {"type": "feedback", "rating": 5, "comment": "Sain vastauksen heti."})
    await until(talk.visitor, "feedback_saved")
    await sign_in(page, service.base, "anna")
    await page.goto(f"{service.base}/console/chats/{talk.chat}?lang=en")
    feedback = page.get_by_role("region", name="The visitor's feedback")
    await expect(feedback).to_contain_text("Rating: 5 out of 5")
    await expect(feedback.locator("blockquote")).to_have_text("Sain vastauksen heti.")
    await screenshots(page, "transcript-feedback")
    await no_violations(page, "transcript with feedback")
