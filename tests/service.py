"""A real Neuvo server for tests: uvicorn on a free loopback port, in this process, with a
ManualClock the test sets, and real WebSocket clients to talk to it."""

from __future__ import annotations

import asyncio
import json
import queue
import sqlite3
import tempfile
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from argon2 import PasswordHasher
from starlette.types import ASGIApp
from websockets.asyncio.client import ClientConnection, connect

from chat.app import create_app
from chat.base.clock import ManualClock
from chat.base.settings import Settings
from chat.live.commands import Tick
from chat.live.service import LiveService
from chat.ops.serving import uvicorn_options
from storage import people, roster, service
from storage.database import Database
from storage.setup import prepare
from storage.tables import User, WeeklyOpeningRow
from tests.postgres import copy_database, new_database

# A Tuesday morning in Helsinki, inside the opening hours below.
TUESDAY_10 = datetime.fromisoformat("2026-11-24T10:00:00+02:00")
WIDGET_ORIGIN = "https://college.example"
PASSWORD = "correct horse battery"
# The seeded people's password, hashed once with Argon2's cheapest parameters: a verify reads the
# parameters from the hash, so a test's sign-in takes a millisecond, not the 0.13 s the service's
# own parameters cost here (and each seeded test made three such hashes). What the service hashes
# itself (passwords set by the CLI and the pages) keeps its parameters.
PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
FRAME_TIMEOUT = 5.0

# username, organisation, languages, capacity
ADVISORS = (
    ("anna", "kotka", "fi,en", 3),
    ("bertil", "kaakko", "sv,fi", 3),
    ("chloe", "te", "en", 3),
)


async def seed(db: Database, *, advisors: tuple[tuple[str, str, str, int], ...] = ADVISORS,
               shift_day: datetime = TUESDAY_10) -> None:
    """Three organisations, their advisors on shift 08:00-17:00 today, open mon-fri 09-16."""
    await prepare(db)
    async with db.transaction() as session:
        orgs = {}
        for slug, name in (("kotka", "Kotka College"), ("kaakko", "Kaakko UAS"), ("te", "TE Office")):
            orgs[slug] = await people.add_organisation(session, slug=slug, name=name)
        for username, org, languages, capacity in advisors:
            user = await people.add_user(session, user=User(
                username=username, name=username.capitalize(), organisation_id=orgs[org].id or 0,
                role="advisor", password_hash=PASSWORD_HASH, languages=languages, capacity=capacity,
            ))
            day = shift_day.replace(hour=8, minute=0)
            await roster.add_shifts(session, shifts=[(user.id or 0, day, day + timedelta(hours=9))])
        await service.replace_weekly_opening(
            session, rows=[WeeklyOpeningRow(weekday=d, start="09:00", end="16:00") for d in range(5)]
        )


@dataclass(frozen=True)
class Conversation:
    visitor: ClientConnection
    advisor: ClientConnection
    chat: str
    token: str


@dataclass
class Service:
    """A running server and ways to talk to it."""

    settings: Settings
    clock: ManualClock
    base: str
    live: LiveService
    db: Database
    sockets: list[ClientConnection] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return self.base

    @property
    def ws_base(self) -> str:
        return self.base.replace("http://", "ws://")

    async def visitor(self, *, origin: str | None = None, address: str | None = None) -> ClientConnection:
        """A visitor socket; from `address` as a trusted proxy says (NEUVO_TRUSTED_PROXIES 127.0.0.1)."""
        headers = {"X-Forwarded-For": address} if address else None
        ws = await connect(f"{self.ws_base}/ws/visitor", origin=origin or WIDGET_ORIGIN,  # type: ignore[arg-type]
                           additional_headers=headers)
        self.sockets.append(ws)
        return ws

    async def session_cookie(self, username: str, password: str = PASSWORD) -> str:
        async with httpx.AsyncClient(base_url=self.base) as client:
            response = await client.post("/api/session", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        return f"neuvo_session={response.cookies['neuvo_session']}"

    async def advisor(self, username: str, *, cookie: str | None = None) -> tuple[ClientConnection, dict[str, Any]]:
        """A signed-in advisor socket and its `welcome`."""
        ws = await self.connect_advisor(cookie or await self.session_cookie(username))
        welcome = await receive(ws)
        assert welcome["type"] == "welcome", welcome
        return ws, welcome

    async def connect_advisor(self, cookie: str) -> ClientConnection:
        """An advisor socket, its first frame not read yet."""
        ws = await connect(
            f"{self.ws_base}/ws/advisor", origin=self.origin, additional_headers={"Cookie": cookie}  # type: ignore[arg-type]
        )
        self.sockets.append(ws)
        return ws

    async def available(self, username: str) -> ClientConnection:
        ws, _ = await self.advisor(username)
        await send(ws, {"type": "status", "status": "available"})
        await until(ws, "status")
        return ws

    async def chat(self, advisor: str = "anna", *, topic: str = "work", language: str = "fi") -> Conversation:
        """The advisor available, a visitor's chat started and handed to them."""
        advisor_ws = await self.available(advisor)
        visitor = await self.visitor()
        await send(visitor, {"type": "start", "topic": topic, "language": language})
        queued = await until(visitor, "queued")
        assigned = await until(advisor_ws, "assigned")
        assert assigned["chat"]["id"] == queued["chat"]
        await until(visitor, "assigned")
        return Conversation(visitor=visitor, advisor=advisor_ws, chat=queued["chat"], token=queued["token"])

    async def hang_up_advisor(self, ws: ClientConnection, username: str) -> None:
        """Close the advisor's socket and return once the server has counted it gone (the
        server runs in this loop: each check is one loop turn)."""
        await ws.close()
        await _turns_until(lambda: (p := self.live.view.advisor(username)) is None or not p.connected)

    async def hang_up_visitor(self, ws: ClientConnection, chat_id: str) -> None:
        await ws.close()
        await _turns_until(lambda: (c := self.live.view.chat(chat_id)) is None or c.visitor_sockets == 0)

    async def tick(self, seconds: float = 0) -> None:
        """Move the clock and let the live service apply what time changed."""
        self.clock.advance(seconds)
        await self.live.run(Tick())

    async def http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base)


# Filled by tests/conftest.py when the suite runs on PostgreSQL (NEUVO_TEST_DATABASE=postgresql):
# the base URL of the server the fixtures started.
POSTGRES: dict[str, str] = {}
_DATABASES: dict[Path, str] = {}


def test_database_url(tmp: Path) -> str:
    """The database of one test (the same again for a restart in that test): a file in its
    folder, or a database of its own on PostgreSQL."""
    if not POSTGRES:
        return f"sqlite:///{tmp / 'neuvo.db'}"
    if tmp not in _DATABASES:
        _DATABASES[tmp] = new_database(POSTGRES["base"])
    return _DATABASES[tmp]


# "sqlite", or a PostgreSQL server's base URL -> a database there seeded once by this process
_SEEDED: dict[str, str] = {}


async def _seeded(url: str) -> None:
    """`seed` into the database of `url`, as a copy of a database seeded once per test process:
    migrating and seeding took 0.2 s of every test."""
    where = "sqlite" if url.startswith("sqlite:") else url.rsplit("/", 1)[0]
    if where not in _SEEDED:
        template = (f"sqlite:///{Path(tempfile.mkdtemp(prefix='neuvo-seeded-')) / 'seeded.db'}"
                    if where == "sqlite" else new_database(where))
        db = Database(template)
        await seed(db)
        await db.close()
        _SEEDED[where] = template
    if where == "sqlite":
        _copy_sqlite(_SEEDED[where].removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
    else:
        copy_database(_SEEDED[where], url)


def _copy_sqlite(source: str, destination: str) -> None:
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(destination)) as copy:
        original.backup(copy)


@asynccontextmanager
async def running(tmp: Path, *, seeded: bool = True, **overrides: Any) -> AsyncIterator[Service]:
    url = overrides.pop("database_url", None) or test_database_url(tmp)
    if seeded:
        await _seeded(url)
    # Overrides win over these test defaults (e.g. more widget_origins for a browser's host page).
    settings = Settings.from_env({}, **{"database_url": url, "widget_origins": (WIDGET_ORIGIN,), "tick_s": 3600.0,
                                        **overrides})
    clock = ManualClock(TUESDAY_10)
    app = create_app(settings, clock=clock)
    async with serve(app, **uvicorn_options(settings)) as port:  # served as `neuvo serve` serves it
        running_service = Service(settings=settings, clock=clock, base=f"http://127.0.0.1:{port}",
                                  live=app.state.live, db=app.state.db)
        try:
            yield running_service
        finally:
            for ws in running_service.sockets:
                await ws.close()


@contextmanager
def running_in_thread(tmp: Path, **overrides: Any) -> Iterator[Service]:
    """`running` in a thread with its own event loop, for a client that blocks (schemathesis calls
    with `requests`): the server then answers while the caller waits."""
    handed: queue.Queue[tuple[Service, asyncio.AbstractEventLoop, asyncio.Event] | BaseException] = queue.Queue()

    async def serve_until_stopped() -> None:
        stop = asyncio.Event()
        async with running(tmp, **overrides) as service:
            handed.put((service, asyncio.get_running_loop(), stop))
            await stop.wait()

    def run() -> None:
        try:
            asyncio.run(serve_until_stopped())
        except BaseException as error:  # handed to the caller, who raises it
            handed.put(error)

    thread = threading.Thread(target=run, name="neuvo-server")
    thread.start()
    started = handed.get(timeout=60)
    if isinstance(started, BaseException):
        thread.join()
        raise started
    service, loop, stop = started
    try:
        yield service
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join()
    if not handed.empty():  # the server failed as it stopped
        raise handed.get()


async def _turns_until(condition: Callable[[], bool]) -> None:
    """Loop turns until the condition holds: the server runs in this loop and announces a socket
    it counted gone to nobody, so there is no event to await."""
    async with asyncio.timeout(FRAME_TIMEOUT):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0)


@asynccontextmanager
async def serve(app: ASGIApp, **config: Any) -> AsyncIterator[int]:
    """An ASGI app under uvicorn on a free loopback port, in this process and loop; yields the port."""
    server = _Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", **config))
    task = asyncio.create_task(server.serve())
    while not server.started:  # uvicorn offers no event for this; each check is one loop turn
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.stop()
        await task


class _Server(uvicorn.Server):
    """uvicorn's server, told to stop by an event: its own main loop looks at `should_exit`
    every 0.1 s, and each test waited half of that for nothing."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self.should_exit = True
        self._stopping.set()

    async def main_loop(self) -> None:
        await self.on_tick(0)  # what uvicorn does first: the Date header
        await self._stopping.wait()


async def send(ws: ClientConnection, frame: dict[str, Any]) -> None:
    await ws.send(json.dumps(frame))


async def receive(ws: ClientConnection) -> dict[str, Any]:
    frame: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), FRAME_TIMEOUT))
    return frame


async def until(ws: ClientConnection, kind: str, **match: Any) -> dict[str, Any]:
    """The next frame of this type (and fields); frames before it are skipped."""
    while True:
        frame = await receive(ws)
        if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
            return frame


async def until_answer(ws: ClientConnection, kind: str = "ack") -> dict[str, Any]:
    """The next frame of this type or the next error, whichever comes first."""
    while True:
        frame = await receive(ws)
        if frame["type"] in (kind, "error"):
            return frame
