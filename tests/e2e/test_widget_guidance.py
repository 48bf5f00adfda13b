"""Issue 16, the widget as a visitor meets it: Start in sight without scrolling on a laptop and a
phone, the question typed on the start screen as the chat's first line, the log saying who joined,
a transfer and a return to the queue, ending asked first, the week's hours in the service's time
zone when closed, a hint when nobody on duty speaks the chosen language, and the rating as one row
of five buttons. axe in every state; screenshots at 1280x800 and 375x740 in test-artifacts/widget/."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from chat.live.commands import Reconfigure
from storage import service as service_rows
from storage.tables import Feedback, OfflineMessage
from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    SCREENS,
    AdvisorSide,
    Host,
    Widget,
    advisor_side,
    artifact,
    expect_no_violations,
    shoot,
    stored_lines,
)
from tests.service import Service, send, until

SATURDAY_NOON = datetime.fromisoformat("2026-11-28T12:00:00+02:00")

# The panel's own scroll offsets: Start must be in sight as the panel opens, nothing scrolled.
SCROLLED = """() => {
    const root = document.querySelector('neuvo-chat').shadowRoot;
    return [root.getElementById('neuvo-panel').scrollTop, root.querySelector('.panel__body').scrollTop];
}"""


@pytest.mark.parametrize("screen", SCREENS)
async def test_start_is_in_sight_without_scrolling_in_every_language(
        page: Page, service: Service, host: Host, screen: str) -> None:
    size = SCREENS[screen]
    await page.set_viewport_size(size)
    await advisor_side(service, "anna")  # fi, en
    await advisor_side(service, "bertil")  # sv, fi: every language is spoken
    widget = Widget(page)
    await widget.load(host.url(service.base, html_lang="en"))
    await widget.open()
    for language, heading, start in (("English", "Start a chat", "Start chat"),
                                     ("suomi", "Aloita keskustelu", "Aloita chat"),
                                     ("svenska", "Starta ett samtal", "Starta chatten")):
        await widget.button(language).click()
        await expect(widget.heading(heading)).to_be_visible()
        await widget.settled()
        await page.screenshot(path=artifact(f"issue16-{screen}-start-{language}.png"))
        box = await widget.button(start).bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["y"] >= 0, (language, box)
        assert box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"], (language, box)
        assert await (await widget.frame()).evaluate(SCROLLED) == [0, 0], language

    # Privacy is one line that opens: what is kept and for how long is all there.
    await widget.button("English").click()
    summary = widget.inside.locator("neuvo-chat .privacy summary")
    await expect(summary).to_have_text("Privacy: you can stay anonymous")
    assert (await summary.bounding_box() or {}).get("height", 99) < 30  # one line
    await summary.click()
    await expect(widget.panel.get_by_text("Transcripts are deleted after 90 days.")).to_be_visible()
    await page.screenshot(path=artifact(f"issue16-{screen}-start-privacy-open.png"))
    await expect_no_violations(page, f"start screen at {screen}, privacy open")


async def test_the_question_typed_on_the_start_screen_reaches_the_advisor_as_seq_1(
        page: Page, service: Service, host: Host) -> None:
    advisor = await advisor_side(service)
    widget = Widget(page)
    await widget.load(host.url(service.base, html_lang="en"))
    await widget.open()
    await widget.label("Your question (optional)").fill("Can I study nursing part-time?")
    await expect_no_violations(page, "start screen with a question")
    await widget.start()
    await expect(widget.heading("You are in the queue")).to_be_visible()
    await expect(widget.line("Can I study nursing part-time?")).to_be_visible()
    await expect(widget.pending).to_have_count(0)  # acked like any line
    await expect(widget.composer).to_have_value("")

    chat = await advisor.take()
    assert [(m["seq"], m["from"], m["text"]) for m in advisor.history] == [
        (1, "visitor", "Can I study nursing part-time?")]
    lines = await stored_lines(service, chat)
    assert [(line.seq, line.text) for line in lines] == [(1, "Can I study nursing part-time?")]


async def transfer(advisor: AdvisorSide, to: dict[str, str]) -> None:
    await send(advisor.ws, {"type": "transfer", "chat": advisor.chat, "to": to, "note": None})
    await until(advisor.ws, "transferred", chat=advisor.chat)


async def test_the_log_says_who_joined_a_transfer_and_a_return_to_the_queue_then_ending_is_asked_first(
        page: Page, service: Service, host: Host) -> None:
    await page.add_init_script(LISTEN_TO_THE_LAUNCHER)
    anna = await advisor_side(service, "anna")  # fi, en
    bertil = await advisor_side(service, "bertil")  # sv, fi
    widget = Widget(page)
    await widget.load(host.url(service.base, html_lang="en"))
    await widget.open()
    await widget.start(language="Finnish")
    chat = await anna.take()
    joined = widget.log.locator("li.msg--event")
    await expect(joined).to_have_count(1)
    await expect(joined.last).to_contain_text("Anna (Kotka College) joined the chat.")
    await widget.say("Hei, kysyisin opinnoista")
    await anna.heard("Hei, kysyisin opinnoista")

    # To a colleague: the visitor is told whom to.
    await send(bertil.ws, {"type": "status", "status": "available"})
    await until(bertil.ws, "status")
    await transfer(anna, {"advisor": "bertil"})
    bertil.chat = (await until(bertil.ws, "assigned"))["chat"]["id"]
    assert bertil.chat == chat
    await expect(widget.heading("Your advisor is Bertil")).to_be_visible()
    await expect(joined.last).to_contain_text("You were transferred to Bertil (Kaakko UAS).")
    await bertil.say("Bertil tässä, hei!")
    await expect(widget.line("Bertil tässä, hei!")).to_be_visible()
    await expect_no_violations(page, "a transfer said in the log")
    await shoot(page, widget, "issue16", "log-transferred")

    # Bertil's connection is lost past the grace, with the panel closed: back in the queue, and
    # the launcher on the host page says so without naming anyone; Anna takes it again.
    await widget.button("Close the chat window").click()
    await send(anna.ws, {"type": "status", "status": "away"})
    await until(anna.ws, "status")
    await service.hang_up_advisor(bertil.ws, "bertil")
    await service.tick(service.settings.advisor_grace_s + 1)
    await expect(page.locator("neuvo-chat p[role=status]")).to_have_text(
        "The advisor left the chat. You are back in the queue.")
    await widget.open()
    await expect(widget.heading("You are in the queue")).to_be_visible()
    await expect(joined.last).to_contain_text("Bertil left the chat. You are back in the queue.")
    await expect(widget.status("Your place in the queue: 1.")).to_be_visible()
    await expect_no_violations(page, "back in the queue, said in the log")
    await shoot(page, widget, "issue16", "log-requeued")
    await send(anna.ws, {"type": "status", "status": "available"})
    await until(anna.ws, "assigned")
    await expect(widget.heading("Your advisor is Anna")).to_be_visible()
    texts = await widget.log.locator("li").all_inner_texts()
    order = [next((mark for mark in ("Anna (Kotka College) joined", "Hei, kysyisin", "transferred to Bertil",
                                     "Bertil tässä", "Bertil left", "joined the chat") if mark in text), text)
             for text in texts]
    assert order == ["Anna (Kotka College) joined", "Hei, kysyisin", "transferred to Bertil", "Bertil tässä",
                     "Bertil left", "Anna (Kotka College) joined"], texts
    heard = "".join(await page.evaluate("() => window.__heard"))
    assert "Anna" not in heard and "Bertil" not in heard  # the host page never hears a name

    # Ending is asked first; No keeps the chat, the draft and the message box.
    await widget.composer.fill("a draft kept")
    await widget.button("End chat").click()
    await expect(widget.confirm).to_be_focused()
    await expect(widget.composer).to_be_hidden()
    await expect_no_violations(page, "asked whether to end")
    await shoot(page, widget, "issue16", "end-asked")
    await widget.button("No, continue the chat").click()
    await expect(widget.button("End chat")).to_be_focused()
    await expect(widget.composer).to_have_value("a draft kept")
    await widget.end()
    ended = await until(anna.ws, "ended", chat=chat)
    assert ended["by"] == "visitor"

    # The rating: one row of five buttons, the chosen one said in words.
    await expect(widget.heading("The chat has ended")).to_be_visible()
    tops = [round((await widget.rating(n).bounding_box() or {})["y"]) for n in range(1, 6)]
    assert len(set(tops)) == 1, tops
    await page.set_viewport_size(PHONE)
    tops = [round((await widget.rating(n).bounding_box() or {})["y"]) for n in range(1, 6)]
    assert len(set(tops)) == 1, f"one row on a phone too: {tops}"
    await page.set_viewport_size(DESKTOP)
    await widget.rating(4).click()  # the pointer meets the radio, laid over the button drawn for it
    await expect(widget.rating(4)).to_be_checked()
    await expect_no_violations(page, "ended, a rating chosen")
    await shoot(page, widget, "issue16", "rating-row")
    await widget.button("Send feedback").click()
    await expect(widget.status("Thank you for your feedback!")).to_be_visible()
    async with service.db.transaction() as session:
        feedback = (await session.execute(select(Feedback).where(Feedback.chat_id == chat))).scalar_one()
    assert feedback.rating == 4

    # The transcript has the events too, as Neuvo's lines.
    async with page.expect_download() as info:
        await widget.button("Download the conversation (.txt)").click()
    transcript = (await (await info.value).path()).read_text(encoding="utf-8")
    assert "Neuvo: You were transferred to Bertil (Kaakko UAS)." in transcript
    assert transcript.index("transferred to Bertil") < transcript.index("Bertil tässä")


# Installed on the host page before anything of it runs: every message its window hears.
LISTEN_TO_THE_LAUNCHER = """window.__heard = [];
window.addEventListener('message', (event) => window.__heard.push(JSON.stringify(event.data)));"""


async def test_closed_the_widget_shows_the_weeks_hours_in_the_service_time_zone_whatever_the_visitors(
        browser: Browser, service: Service, host: Host) -> None:
    service.clock.set(SATURDAY_NOON)
    async with service.db.transaction() as session:  # Wednesday is a holiday
        await service_rows.set_opening_exception(session, day=date(2026, 12, 2), start=None, end=None)
        await service_rows.bump_config_version(session)
    await service.live.run(Reconfigure())
    # A visitor whose own clock is in New York: the hours are still Helsinki's, and say so.
    context = await browser.new_context(viewport=DESKTOP, timezone_id="America/New_York")
    try:
        page = await context.new_page()
        widget = Widget(page)
        await widget.load(host.url(service.base, html_lang="en"))
        await widget.open()
        await expect(widget.heading("The chat is closed right now")).to_be_visible()
        await expect(widget.panel.get_by_text(
            "The chat opens next on Monday 30 November at 9:00 (Helsinki time).")).to_be_visible()
        table = widget.inside.get_by_role("table", name="Opening hours this week (Helsinki time)")
        rows = await table.locator("tr").all_inner_texts()
        assert [row.split("\t") for row in rows] == [
            ["Saturday 28/11 (today)", "Closed"], ["Sunday 29/11", "Closed"], ["Monday 30/11", "9:00–16:00"],
            ["Tuesday 01/12", "9:00–16:00"], ["Wednesday 02/12", "Closed"], ["Thursday 03/12", "9:00–16:00"],
            ["Friday 04/12", "9:00–16:00"]], rows
        await expect_no_violations(page, "closed, the week's hours")
        await shoot(page, widget, "issue16", "closed-week")

        await widget.button("suomi").click()
        await expect(widget.panel.get_by_text(
            "Chat aukeaa seuraavan kerran: maanantai 30. marraskuuta klo 9.00 (Suomen aikaa).")).to_be_visible()
        table = widget.inside.get_by_role("table", name="Aukioloajat tällä viikolla (Suomen aikaa)")
        await expect(table.locator("tr").nth(2)).to_have_text("maanantai 30.11.9.00–16.00")
        await widget.button("svenska").click()
        await expect(widget.inside.get_by_role("table", name="Öppettider den här veckan (finsk tid)")).to_be_visible()
        await expect_no_violations(page, "closed, the week's hours in Swedish")
        await shoot(page, widget, "issue16", "closed-week-sv")
    finally:
        await context.close()


async def test_a_hint_says_when_nobody_on_duty_speaks_the_chosen_language_and_offers_a_message(
        page: Page, service: Service, host: Host) -> None:
    await advisor_side(service, "anna")  # fi, en: nobody for Swedish
    widget = Widget(page)
    await widget.load(host.url(service.base, html_lang="en"))
    await widget.open()
    note = widget.inside.locator("neuvo-chat #before-language-note")
    await expect(note).to_have_text("")
    language = widget.label("Language of the chat")
    await language.select_option(label="Swedish")
    await expect(note).to_have_text("Nobody on duty speaks Swedish right now. The wait may be long – you can "
                                    "also choose another language.")
    await expect(note).to_have_attribute("role", "status")  # said as it appears
    assert "before-language-note" in (await language.get_attribute("aria-describedby") or "").split()
    await page.screenshot(path=artifact("issue16-1280-language-hint-first.png"))
    box = await widget.button("Start chat").bounding_box()  # still in sight, hint and all
    assert box is not None and box["y"] + box["height"] <= DESKTOP["height"] - 16, box
    await expect_no_violations(page, "start screen, nobody speaks the language")
    await shoot(page, widget, "issue16", "language-hint")

    await language.select_option(label="English")
    await expect(note).to_have_text("")
    await expect(widget.button("Leave a message instead")).to_be_hidden()

    await language.select_option(label="Swedish")
    await widget.label("Your question (optional)").fill("Kan jag studera på svenska?")
    await widget.button("Leave a message instead").click()
    await expect(widget.heading("Leave a message for the advisors")).to_be_focused()
    await expect(widget.label("Language for the answer")).to_have_value("sv")
    await expect(widget.label("Your message")).to_have_value("Kan jag studera på svenska?")
    await expect_no_violations(page, "a message instead, for Swedish")
    await shoot(page, widget, "issue16", "language-message")
    await widget.button("Send message").click()
    await expect(widget.heading("Thank you, your message has been sent")).to_be_visible()
    async with service.db.transaction() as session:
        stored = (await session.execute(select(OfflineMessage))).scalars().all()
    assert [(m.language, m.text) for m in stored] == [("sv", "Kan jag studera på svenska?")]
    await widget.button("Back to the start").click()
    await expect(widget.label("Your question (optional)")).to_have_value("")  # it went with the message
