"""Issue 17 in the console, in real Chromium: the line when a visitor leaves by the quick exit,
the idle warning with its answer, and ending an abusive chat as blocked. axe in each state."""

from __future__ import annotations

from playwright.async_api import Page, expect
from websockets.asyncio.client import ClientConnection

from chat.live.commands import AskBlocks
from tests.e2e.test_console import no_violations, on_duty, screenshots
from tests.service import Service, send, until


async def _chat(service: Service, page: Page) -> tuple[ClientConnection, str]:
    await on_duty(page, service.base)
    visitor = await service.visitor()
    await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
    chat = str((await until(visitor, "queued"))["chat"])
    await expect(page.locator(f"#pane-{chat}")).to_be_visible()
    return visitor, chat


async def test_the_idle_warning_is_answered_from_the_console(service: Service, page: Page) -> None:
    visitor, chat = await _chat(service, page)
    await service.tick(1680)
    pane = page.locator(f"#pane-{chat}")
    await expect(pane.locator(".idle[role=alert]")).to_contain_text("The chat ends for silence in about 2 minutes.")
    await no_violations(page, "idle warning")
    await screenshots(page, "idle-warning")
    await pane.get_by_role("button", name="Keep the chat open").click()
    await until(visitor, "idle_cleared")
    await expect(pane.locator(".idle")).to_be_hidden()


async def test_a_quick_exit_is_told_and_an_abusive_chat_is_ended_as_blocked(service: Service, page: Page) -> None:
    visitor, chat = await _chat(service, page)
    pane = page.locator(f"#pane-{chat}")
    await send(visitor, {"type": "quick_exit"})
    await expect(pane.locator(".line--system")).to_have_text(
        "The visitor left by the quick exit. The chat ends shortly; the visitor will not see new lines.")
    await pane.get_by_text("Block an abusive visitor").click()
    await pane.get_by_label("For how long").select_option("24h")
    await no_violations(page, "block form")
    await screenshots(page, "block")
    await pane.get_by_role("button", name="End and block").click()
    ended = await until(visitor, "ended")
    assert ended == {"type": "ended", "by": "advisor", "reason": None}
    assert [block.duration for block in await service.live.run(AskBlocks())] == ["24h"]
