"""Browser tests of the visitor widget: real Chromium, the real server, a host page on another origin.

- `service`: the real Neuvo server (tests/service.py) on http://127.0.0.1:<port>; it allows the host
  page's origin as a widget origin.
- `host`: a tiny page server on http://localhost:<port2> (another origin) whose pages embed the
  widget with one script tag, in variants (data-lang, <html lang>, a hostile stylesheet).
- `proxy`: a loopback TCP proxy in front of the server that a test can cut and restore, because
  Playwright's set_offline does not cut WebSockets that are already open (PITFALLS.md).
- `page`: a fresh browser context per test. `Widget` and `AdvisorSide` drive the two ends of a chat.

Nothing here sleeps to synchronise: the browser side waits with Playwright's expect(), the advisor
side awaits frames on its socket.
"""

from __future__ import annotations

import asyncio
import html
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Frame, FrameLocator, Locator, Page, expect
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import HTMLResponse
from websockets.asyncio.client import ClientConnection

from storage.tables import Message
from tests.service import Service, receive, send, until

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-gpu"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "widget"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
SCREENS = {"1280": DESKTOP, "375": PHONE}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# What a careless (or hostile) host site might have in its stylesheet. None of it may reach the widget.
HOSTILE_CSS = """
* { all: unset; color: red !important; font-size: 40px !important; display: block !important;
    line-height: 3 !important; letter-spacing: 4px !important; font-family: serif !important;
    text-transform: uppercase !important; box-sizing: content-box !important; }
html { font-size: 40px !important; }
button, input, select, textarea { display: none !important; }
section, div, p, form, ol, li, h2, h3 { padding: 30px !important; margin: 30px !important;
    border: 5px dotted lime !important; background: yellow !important; }
neuvo-chat { display: none !important; position: absolute !important; opacity: 0.1 !important;
    font-size: 40px !important; transform: rotate(10deg) !important; visibility: hidden !important;
    color: red !important; line-height: 3 !important; }
body > * { visibility: hidden !important; }
[role="dialog"], [role="log"], .panel, .launcher, #neuvo-panel { display: none !important; }
:focus, :focus-visible { outline: none !important; }
body { transform: translateZ(0) !important; filter: contrast(1) !important; contain: paint !important; }
"""


# -- servers ---------------------------------------------------------------------------------------


def host_page(request: Request) -> HTMLResponse:
    """An organisation's page: some content of its own, then the one script tag."""
    q = request.query_params
    data = "".join(f' data-{name}="{html.escape(q[name])}"' for name in ("lang", "topic", "exit-url")
                   if q.get(name))
    html_lang = f' lang="{html.escape(q["html_lang"])}"' if q.get("html_lang") else ""
    style = f"<style>{HOSTILE_CSS}</style>" if q.get("hostile") else ""
    return HTMLResponse(f"""<!doctype html>
<html{html_lang}>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kotka College</title>{style}</head>
<body>
<header><a id="host-first" href="#main">Skip to content</a></header>
<main id="main"><h1>Kotka College</h1>
<p>Welcome to the college. <a id="host-last" href="#apply">How to apply</a></p></main>
<script src="{html.escape(q['src'])}"{data} defer></script>
</body>
</html>""")


def exit_page(request: Request) -> HTMLResponse:
    """A neutral page for the quick exit to land on (there is no internet in the tests)."""
    return HTMLResponse("<!doctype html><html lang=en><title>Weather</title><h1>Weather today</h1></html>")


class Host:
    """The participating organisation's site, on another origin than the Neuvo server."""

    def __init__(self, port: int) -> None:
        self.origin = f"http://localhost:{port}"

    def url(self, server: str, **params: str) -> str:
        """A page with <script src="{server}/widget.js" defer>; params: lang, topic, exit-url, html_lang,
        hostile.

        The script comes from `localhost:<server's port>`: another origin than the page (so the page
        cannot read the conversation's frame), on the same site, as chat.college.fi is to
        www.college.fi. Chromium blocks a cross-site frame's storage (third-party storage), and the
        frame's sessionStorage is what carries a chat over a reload (widget/README.md)."""
        server = server.replace("://127.0.0.1:", "://localhost:")
        return f"{self.origin}/page?{urlencode({'src': f'{server}/widget.js', **params})}"


class Proxy:
    """Loopback TCP between the browser and the server that a test can cut and restore.

    cut(): every open connection is dropped at once and new ones are refused (accepted, then
    dropped), as a lost network looks to the browser. deafen(): the browser's bytes still reach the
    server, but nothing comes back (a message stored whose ack is lost on the way).
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.refusing = False
        self.deaf = False
        self.pipes: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.server: asyncio.Server | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        self.cut()
        if self.server:
            self.server.close()
            await self.server.wait_closed()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    def cut(self) -> None:
        self.refusing = True
        for client, upstream in list(self.pipes):
            client.transport.abort()
            upstream.transport.abort()
        self.pipes.clear()

    def deafen(self) -> None:
        self.deaf = True

    def restore(self) -> None:
        self.refusing = False
        self.deaf = False

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.refusing:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.transport.abort()
            return
        pair = (writer, up_writer)
        self.pipes.add(pair)
        for task in (asyncio.create_task(self._pump(reader, up_writer, pair, back=False)),
                     asyncio.create_task(self._pump(up_reader, writer, pair, back=True))):
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    pair: tuple[asyncio.StreamWriter, asyncio.StreamWriter], *, back: bool) -> None:
        try:
            while data := await reader.read(65536):
                if back and self.deaf:
                    continue
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            for end in pair:
                end.transport.abort()
            self.pipes.discard(pair)


# -- the two ends of a chat -------------------------------------------------------------------------


FRAME = "neuvo-chat iframe"


class Widget:
    """The visitor's side, as a person sees it (roles and names, English texts unless told). The
    launcher is on the host page; the conversation is in the frame (`inside`, the chat origin's)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.launcher = page.locator("neuvo-chat .launcher")
        self.iframe = page.locator(FRAME)
        self.inside: FrameLocator = page.frame_locator(FRAME)
        self.panel = self.inside.locator("neuvo-chat #neuvo-panel")
        self.log = self.inside.locator("neuvo-chat [role=log]")
        self.lines = self.log.locator("li")
        self.pending = self.log.locator("li.msg--pending")
        self.connection = self.inside.locator("neuvo-chat .connection")
        self.composer = self.inside.locator("neuvo-chat #composer")
        self.confirm = self.inside.locator("neuvo-chat #end-question")

    async def load(self, url: str) -> None:
        await self.page.goto(url)
        await expect(self.launcher.or_(self.iframe).filter(visible=True)).to_be_visible()

    async def frame(self) -> Frame:
        """The conversation's document (it changes with every reload of the host page)."""
        frame = await (await self.iframe.element_handle()).content_frame()
        assert frame is not None
        return frame

    def button(self, name: str) -> Locator:
        return self.inside.get_by_role("button", name=name, exact=True)

    def heading(self, name: str) -> Locator:
        return self.inside.get_by_role("heading", name=name, exact=True)

    def label(self, name: str) -> Locator:
        return self.inside.get_by_label(name, exact=True)

    def status(self, text: str) -> Locator:
        return self.inside.get_by_role("status").filter(has_text=text)

    async def open(self) -> None:
        await self.launcher.click()
        await expect(self.panel).to_be_visible()

    async def start(self, *, topic: str = "Work", language: str = "English", keep: bool = False) -> None:
        """Start a chat; `keep` ticks "Keep on this device" first (off by default, as
        for a visitor: then nothing of the chat survives a reload)."""
        await expect(self.heading("Start a chat")).to_be_visible()
        await self.label("Topic").select_option(label=topic)
        await self.label("Language of the chat").select_option(label=language)
        if keep:
            await self.label("Keep on this device").check()
        await self.button("Start chat").click()

    async def say(self, text: str) -> None:
        await self.composer.fill(text)
        await self.composer.press("Enter")

    async def end(self) -> None:
        """End the chat as a visitor does: the button, then yes to the question it asks."""
        await self.button("End chat").click()
        await expect(self.confirm).to_be_focused()
        await self.button("Yes, end the chat").click()

    def rating(self, stars: int) -> Locator:
        return self.inside.get_by_role("radio", name=f"{stars} of 5", exact=True)

    def line(self, text: str) -> Locator:
        return self.log.locator("li .msg__text", has_text=text)

    async def texts(self) -> list[str]:
        return await self.log.locator(".msg__text").all_inner_texts()

    async def focused(self) -> str:
        """What has focus: 'launcher', an id, a class (in the frame when focus is there), or the host
        page element's id ('page:...')."""
        where = str(await self.page.evaluate("""() => {
            const host = document.querySelector('neuvo-chat');
            if (document.activeElement !== host) {
                return 'page:' + (document.activeElement?.id || document.activeElement?.tagName);
            }
            const el = host.shadowRoot.activeElement;
            return !el ? 'host' : el.tagName === 'IFRAME' ? 'frame' : el.className.split(' ')[0];
        }"""))
        if where != "frame":
            return where
        return str(await (await self.frame()).evaluate("""() => {
            const el = document.querySelector('neuvo-chat').shadowRoot.activeElement;
            if (!el) return 'frame:body';
            return el.id || el.getAttribute('aria-label') || (el.className && el.className.baseVal === undefined
                ? el.className.split(' ')[0] : el.tagName) + ':' + el.textContent.trim().slice(0, 40);
        }"""))

    async def settled(self) -> None:
        """Wait for the widget's running animations (the panel fades in) to finish; one that is
        cancelled (a colour transition cut short) counts as finished."""
        for document in (self.page, await self.frame()):
            await document.evaluate("""() => Promise.all((document.querySelector('neuvo-chat')?.shadowRoot
                ?.getAnimations() || []).map((animation) => animation.finished.catch(() => null)))""")

    async def stored(self) -> dict[str, Any]:
        """The widget's sessionStorage record: the frame's (the chat origin's), not the host page's."""
        record: dict[str, Any] = await (await self.frame()).evaluate("""() => {
            const key = Object.keys(sessionStorage).find((k) => k.startsWith('neuvo-chat:v1:'));
            return key ? JSON.parse(sessionStorage.getItem(key)) : {};
        }""")
        return record

    async def until_stored(self, key: str, value: Any) -> None:
        """Wait until the frame's sessionStorage record has this top-level value."""
        await (await self.frame()).wait_for_function("""([key, value]) => {
            const name = Object.keys(sessionStorage).find((k) => k.startsWith('neuvo-chat:v1:'));
            return name && JSON.stringify(JSON.parse(sessionStorage.getItem(name))[key]) === JSON.stringify(value);
        }""", arg=[key, value])


class AdvisorSide:
    """An advisor on the real advisor socket."""

    _ids = itertools.count(1)

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.chat = ""
        self.history: list[dict[str, Any]] = []

    async def take(self) -> str:
        """Go available (if not already) and wait for the chat to be pushed."""
        await send(self.ws, {"type": "status", "status": "available"})
        frame = await until(self.ws, "assigned")
        self.chat = frame["chat"]["id"]
        self.history = frame["chat"]["messages"]
        return self.chat

    async def say(self, text: str, *, kind: str = "message") -> int:
        """Send a message (or an internal note) and return its seq once the server acked it."""
        frame_id = f"advisor-{next(self._ids)}"
        await send(self.ws, {"type": kind, "chat": self.chat, "id": frame_id, "text": text})
        ack = await until(self.ws, "ack", id=frame_id)
        return int(ack["seq"])

    async def heard(self, text: str) -> dict[str, Any]:
        return await until(self.ws, "message", chat=self.chat, text=text)

    async def frames_until(self, stop: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        """Every frame up to and including the first for which stop() holds."""
        frames = []
        while True:
            frame = await receive(self.ws)
            frames.append(frame)
            if stop(frame):
                return frames


async def in_a_chat(page: Page, service: Service, host: Host, *, keep: bool = False) -> tuple[Widget, AdvisorSide]:
    """An English visitor on the host page, in a chat about work that Anna has taken; `keep`:
    kept on this device over reloads (Widget.start)."""
    advisor = await advisor_side(service)
    widget = Widget(page)
    await widget.load(host.url(service.base, html_lang="en"))
    await widget.open()
    await widget.start(keep=keep)
    await advisor.take()
    return widget, advisor


async def expect_no_violations(page: Page, state: str) -> None:
    """axe-core in both documents: the host page (launcher, iframe title) and the conversation's
    frame, each run on its own (axe runs per document) and their violations counted together."""
    widget = Widget(page)
    await widget.settled()  # axe would see the colours half way through the panel's fade-in
    found = []
    for name, document in (("host page", page), ("frame", await widget.frame())):
        results = await Axe().run(document, options={**WCAG, "iframes": False})  # type: ignore[arg-type]
        # (the package's own generate_report() cannot print targets inside a shadow root: they are lists)
        found += [f"{name}: {v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
            f"    {node['target']}: {node['html'][:160]}\n      {node.get('failureSummary', '')}"
            for node in v["nodes"]) for v in results.response["violations"]]
    assert not found, f"axe, {state}:\n" + "\n".join(found)


async def stored_lines(service: Service, chat: str) -> list[Message]:
    async with service.db.transaction() as session:
        result = await session.execute(select(Message).where(Message.chat_id == chat).order_by(Message.seq))
        return list(result.scalars().all())


async def advisor_side(service: Service, username: str = "anna") -> AdvisorSide:
    """Signed in (on shift, so the service accepts chats) but still away: nothing is pushed yet."""
    ws, welcome = await service.advisor(username)
    assert welcome["status"] == "away"
    return AdvisorSide(ws)


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name



async def shoot(page: Page, widget: Widget, issue: str, name: str) -> None:
    """The state on screen at 1280x800 and at 375x740, kept for people to look at."""
    for label, size in SCREENS.items():
        await page.set_viewport_size(size)
        await widget.settled()
        await page.screenshot(path=artifact(f"{issue}-{label}-{name}.png"))
    await page.set_viewport_size(DESKTOP)


async def sign_out(page: Page) -> None:
    """Sign out of the console and wait for the sign-in page: a goto issued while the sign-out's
    redirect is still on its way is cut short by it (seen on busy cores)."""
    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url("**/sign-in*")
