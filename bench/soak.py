"""Soak: many visitors and advisors chat against one real `neuvo serve` for minutes, reconnecting
and ending chats as people do, optionally under storage faults; then every chat is read back.

Run: .venv/bin/python -m bench.soak --minutes 10 [--visitors 24] [--advisors 8] [--faults]
     .venv/bin/python -m bench.soak --minutes 10 --url http://127.0.0.1:8000   (a `neuvo demo`)

Without --url it seeds a fresh SQLite service (the demo's, plus advisors soak4.. beyond the
demo's three), with the per-address limits off (every client comes from 127.0.0.1), and starts
`python -m chat serve` on a free port. With --faults, every few seconds one fault for 1-3 s:
another process holding the database's write lock past the server's busy timeout (0.5 s here),
or, where this machine lets the soak mount a tmpfs for the database (root), a full disk.

Visitors wait a few seconds for an advisor, then write (an advisor answers most lines and
closes some chats), reconnect now and then, end most chats and rate some. Clients behave as the
widget and the console do: one request at a time per socket, a line
re-sent with the same id after `unavailable`, a socket that closes or stays silent 15 s reopened
and the chat resumed from the last seq seen. At the end every chat is resumed from seq 0 and
checked: seqs gap-free, every acked line stored once at its seq, nothing stored that nobody sent;
no client waited 15 s for an answer, no socket closed by the server except 1013 under a fault,
no traceback in the server's log, and (runs of 2 minutes or more) the server's RSS in the last
quarter within 1.5x (or 32 MiB) of the second quarter. Prints a summary; exits 1 on a problem.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from chat.admin.passwords import hash_password
from chat.base.clock import SystemClock
from chat.base.settings import Settings
from chat.ops.demo import USERS, demo_password, seed
from storage import people, roster
from storage.database import Database
from storage.setup import prepare
from storage.tables import User
from tests.faults import SmallFilesystem, WriteLock, small_filesystem, sqlite_file
from tests.processes import Server

ANSWER_TIMEOUT_S = 15.0  # the widget's: a socket that answers nothing this long is dead
RETRY_S = (0.2, 0.6)  # the pause before a refused request goes again
RETRIED = {"unavailable", "rate_limited"}
BUSY_TIMEOUT_S = 0.5
TOPICS = ("education", "work", "wellbeing")
# Frames a client has no use for: not passed on to its owner.
VISITOR_QUIET = {"typing", "pong"}
ADVISOR_QUIET = {"typing", "queue", "pong"}
DEMO_ADVISORS = [username for username, _, _, role, _ in USERS if role == "advisor"]
Frame = dict[str, Any]


@dataclass
class Plan:
    seconds: float
    visitors: int = 24
    advisors: int = 8  # capacity 3 each: every visitor served, more or less
    faults: bool = False
    url: str | None = None
    seed: int | None = None
    folder: Path | None = None  # the local server's files (a fresh temporary folder if None)


@dataclass
class Ledger:
    """What the clients sent and were told, and what went wrong on the way."""

    tokens: dict[str, str] = field(default_factory=dict)  # chat -> token
    sent: dict[str, set[str]] = field(default_factory=dict)  # chat -> texts sent into it
    acked: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)  # (chat, id) -> (seq, text)
    refused: Counter[str] = field(default_factory=Counter)
    reconnects: Counter[str] = field(default_factory=Counter)
    ended: Counter[str] = field(default_factory=Counter)
    closes: list[tuple[str, int | None]] = field(default_factory=list)  # closed by the server
    faults: list[tuple[str, float]] = field(default_factory=list)  # kind, seconds held
    rss_kib: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    stalls: int = 0

    def ack(self, chat: str, client_id: str, seq: int, text: str) -> None:
        before = self.acked.setdefault((chat, client_id), (seq, text))
        if before[0] != seq:
            self.problems.append(f"{client_id} acked as {before[0]} and as {seq}")


class Dead(Exception):
    """The socket closed or stopped answering: reopen it and resume."""


class Peer:
    """One client socket. A reader sorts the server's frames into an inbox; the owner asks one
    thing at a time and takes the answer out of it, as the server answers a socket in order."""

    def __init__(self, ws: ClientConnection, ledger: Ledger, who: str, quiet: set[str],
                 on_message: Callable[[Frame], None] | None = None) -> None:
        self.ws, self.ledger, self.who, self.quiet, self.on_message = ws, ledger, who, quiet, on_message
        self.inbox: asyncio.Queue[Frame | None] = asyncio.Queue()
        self.closing = False
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                frame = json.loads(raw)
                if frame["type"] == "message" and self.on_message is not None:
                    self.on_message(frame)
                elif frame["type"] not in self.quiet:
                    self.inbox.put_nowait(frame)
        except ConnectionClosed:
            pass
        finally:
            if not self.closing:
                self.ledger.closes.append((self.who, self.ws.close_code))
            self.inbox.put_nowait(None)

    async def next(self, wait_s: float = ANSWER_TIMEOUT_S, *, idle: bool = False) -> Frame | None:
        """The next frame; None when an idle wait ran out. Dead when the socket is gone, or when
        an answer was awaited longer than the widget waits."""
        try:
            async with asyncio.timeout(wait_s):
                frame = await self.inbox.get()
        except TimeoutError:
            if idle:
                return None
            self.ledger.stalls += 1
            raise Dead from None
        if frame is None:
            self.inbox.put_nowait(None)
            raise Dead
        return frame

    async def ask(self, frame: Frame, is_answer: Callable[[Frame], bool], aside: Callable[[Frame], None]) -> Frame:
        """Send a frame; return its answer (or an error); other frames meanwhile go aside."""
        try:
            await self.ws.send(json.dumps(frame))
        except ConnectionClosed:
            raise Dead from None
        while True:
            got = await self.next()
            assert got is not None
            if got["type"] == "error" or is_answer(got):
                return got
            aside(got)

    async def close(self) -> None:
        self.closing = True
        await self.ws.close()
        await self.reader


class Client:
    """What visitors and advisors share: reopening a socket, asking until answered."""

    peer: Peer

    def __init__(self, base: str, ledger: Ledger, rng: random.Random) -> None:
        self.base, self.ledger, self.rng = base, ledger, rng

    async def socket(self, path: str, **headers: str) -> ClientConnection:
        ws_url = self.base.replace("http", "ws", 1) + path
        while True:
            try:
                return await connect(ws_url, origin=self.base, additional_headers=headers)  # type: ignore[arg-type]
            except (OSError, InvalidHandshake):
                await self.pause()

    async def pause(self) -> None:
        await asyncio.sleep(self.rng.uniform(*RETRY_S))

    async def reconnect(self) -> None:
        raise NotImplementedError

    def aside(self, frame: Frame) -> None:
        raise NotImplementedError

    async def until_answered(self, frame: Frame, is_answer: Callable[[Frame], bool]) -> Frame:
        """Ask until the answer is not a refusal to retry; a dead socket is reopened first."""
        while True:
            try:
                answer = await self.peer.ask(frame, is_answer, self.aside)
            except Dead:
                await self.reconnect()
                continue
            if answer["type"] == "error" and answer["code"] in RETRIED:
                self.ledger.refused[answer["code"]] += 1
                await self.pause()
                continue
            return answer


class Visitor(Client):
    def __init__(self, base: str, ledger: Ledger, rng: random.Random) -> None:
        super().__init__(base, ledger, rng)
        self.chat: str | None = None
        self.seen = 0
        self.over = False
        self.served = False  # an advisor has the chat

    def seen_line(self, frame: Frame) -> None:
        self.seen = max(self.seen, frame["seq"])

    def aside(self, frame: Frame) -> None:
        if frame["type"] == "ended":
            self.ended(frame)
        elif frame["type"] == "assigned":
            self.served = True

    def ended(self, frame: Frame) -> None:
        self.over = True
        self.ledger.ended[frame["by"]] += 1

    async def open(self) -> None:
        self.peer = Peer(await self.socket("/ws/visitor"), self.ledger, "visitor", VISITOR_QUIET, self.seen_line)

    async def reconnect(self) -> None:
        self.ledger.reconnects["visitor"] += 1
        while True:
            await self.peer.close()
            await self.open()
            if self.chat is None:
                return
            resume = {"type": "resume", "chat": self.chat, "token": self.ledger.tokens[self.chat], "after": self.seen}
            try:
                answer = await self.peer.ask(resume, lambda f: f["type"] in ("position", "assigned", "ended"),
                                             self.aside)
            except Dead:
                continue
            if answer["type"] != "error":
                self.aside(answer)
                return
            if answer["code"] not in RETRIED:
                self.ledger.problems.append(f"resume refused: {answer['code']}")
                return
            await self.pause()

    async def life(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            await self.one_chat(deadline)

    async def one_chat(self, deadline: float) -> None:
        self.chat, self.seen, self.over, self.served = None, 0, False, False
        await self.open()
        while self.chat is None:
            start = {"type": "start", "topic": self.rng.choice(TOPICS), "language": "fi"}
            answer = await self.until_answered(start,
                                               lambda f: f["type"] in ("queued", "closed"))
            if answer["type"] == "queued":
                self.chat = answer["chat"]
                self.ledger.tokens[self.chat] = answer["token"]
            else:
                await self.pause()  # not taking chats this moment (an advisor reconnecting)
        await self.wait_for_advisor(min(deadline, time.monotonic() + self.rng.uniform(2, 10)))
        for n in range(self.rng.randint(3, 12)):
            if self.over or time.monotonic() >= deadline:
                break
            await asyncio.sleep(self.rng.uniform(0.1, 0.6))
            if self.rng.random() < 0.05:
                await self.reconnect()  # the page reloaded, the network dropped
            await self.say(n)
        if not self.over and self.rng.random() < 0.7:
            answer = await self.until_answered({"type": "end"}, lambda f: f["type"] == "ended")
            if answer["type"] == "ended":
                self.ended(answer)
            self.over = True  # or chat_ended: the advisor's close came first
        if self.over and self.rng.random() < 0.3:
            await self.until_answered({"type": "feedback", "rating": self.rng.randint(1, 5), "comment": None},
                                      lambda f: f["type"] == "feedback_saved")
        await self.peer.close()

    async def wait_for_advisor(self, until: float) -> None:
        """Wait in the queue a while; a visitor who waits too long writes anyway (it may)."""
        while not (self.served or self.over) and (left := until - time.monotonic()) > 0:
            try:
                frame = await self.peer.next(left, idle=True)
            except Dead:
                await self.reconnect()
                continue
            if frame is not None:
                self.aside(frame)

    async def say(self, n: int) -> None:
        assert self.chat is not None
        client_id, text = f"{self.chat}-v{n}", f"visitor line {n} of {self.chat}"
        self.ledger.sent.setdefault(self.chat, set()).add(text)
        answer = await self.until_answered({"type": "message", "id": client_id, "text": text},
                                           lambda f: f["type"] == "ack" and f["id"] == client_id)
        if answer["type"] == "ack":
            self.ledger.ack(self.chat, client_id, answer["seq"], text)
        elif answer["code"] == "chat_ended":
            self.over = True
        else:
            self.ledger.problems.append(f"a visitor's line refused: {answer['code']}")


class Advisor(Client):
    def __init__(self, base: str, ledger: Ledger, rng: random.Random, username: str, cookie: str) -> None:
        super().__init__(base, ledger, rng)
        self.username, self.cookie = username, cookie
        self.chats: set[str] = set()
        self.backlog: deque[Frame] = deque()
        self.written = 0

    def aside(self, frame: Frame) -> None:
        self.backlog.append(frame)

    async def reconnect(self) -> None:
        """Open a socket and get `welcome`; refused (unavailable, then 1013) means try again."""
        with contextlib.suppress(AttributeError):
            await self.peer.close()
        while True:
            ws = await self.socket("/ws/advisor", Cookie=self.cookie)
            self.peer = Peer(ws, self.ledger, "advisor", ADVISOR_QUIET)
            with contextlib.suppress(Dead):
                first = await self.peer.next()
                if first is not None and first["type"] == "welcome":
                    self.chats = {chat["id"] for chat in first["chats"]}
                    break
            await self.peer.close()  # after `unavailable` comes 1013: try again later
            await self.pause()
        await self.until_answered({"type": "status", "status": "available"}, lambda f: f["type"] == "status")

    async def life(self, deadline: float) -> None:
        await self.reconnect()
        while (left := deadline - time.monotonic()) > 0:
            try:
                frame = self.backlog.popleft() if self.backlog else await self.peer.next(left, idle=True)
            except Dead:
                self.ledger.reconnects["advisor"] += 1
                await self.reconnect()
                continue
            if frame is not None:
                await self.handle(frame)
            if self.rng.random() < 0.01:
                self.ledger.reconnects["advisor"] += 1
                await self.reconnect()  # a reload of the console
        await self.peer.close()

    async def handle(self, frame: Frame) -> None:
        if frame["type"] == "assigned":
            self.chats.add(frame["chat"]["id"])
        elif frame["type"] == "ended":
            self.chats.discard(frame["chat"])
        elif frame["type"] == "message" and frame["from"] == "visitor" and frame["chat"] in self.chats:
            if self.rng.random() < 0.7:
                await self.reply(frame["chat"])
            if frame["chat"] in self.chats and self.rng.random() < 0.1:
                await self.close(frame["chat"])
        elif frame["type"] == "error":
            self.ledger.problems.append(f"an advisor got an error unasked: {frame['code']}")

    async def reply(self, chat: str) -> None:
        self.written += 1
        client_id, text = f"{chat}-{self.username}-{self.written}", f"reply {self.written} from {self.username}"
        self.ledger.sent.setdefault(chat, set()).add(text)
        answer = await self.until_answered({"type": "message", "chat": chat, "id": client_id, "text": text},
                                           lambda f: f["type"] == "ack" and f["id"] == client_id)
        if answer["type"] == "ack":
            self.ledger.ack(chat, client_id, answer["seq"], text)
        elif answer["code"] in ("chat_ended", "not_yours"):
            self.chats.discard(chat)
        else:
            self.ledger.problems.append(f"an advisor's line refused: {answer['code']}")

    async def close(self, chat: str) -> None:
        await self.until_answered({"type": "close", "chat": chat, "outcome": "answered"},
                                  lambda f: f["type"] == "ended" and f["chat"] == chat)
        self.chats.discard(chat)  # closed, or chat_ended: the visitor ended it first


# -- the service ------------------------------------------------------------------------------


async def seed_service(url: str, advisors: list[str]) -> None:
    """The demo service, and advisors beyond the demo's (fi, capacity 3, on shift all along)."""
    db = Database(url)
    try:
        await prepare(db)
        now = SystemClock().now()
        await seed(db, Settings.from_env({}, database_url=url), now)
        async with db.transaction() as session:
            org = await people.organisation_by_slug(session, slug="kotka-college")
            assert org is not None
            for username in advisors[len(DEMO_ADVISORS):]:
                user = await people.add_user(session, user=User(
                    username=username, name=username.capitalize(), organisation_id=org.id or 0, role="advisor",
                    password_hash=hash_password(demo_password(username)), languages="fi",
                ))
                shift = (user.id or 0, now - timedelta(days=1), now + timedelta(days=2))
                await roster.add_shifts(session, shifts=[shift])
    finally:
        await db.close()


def server_env(url: str, faults: bool) -> dict[str, str]:
    env = {
        "NEUVO_DATABASE_URL": url, "NEUVO_SECRET_KEY": secrets.token_hex(16), "NEUVO_TICK_S": "0.5",
        # Every client comes from 127.0.0.1: the per-address limits would measure themselves.
        "NEUVO_CHATS_PER_ADDRESS": "0", "NEUVO_WAITING_PER_ADDRESS": "0", "NEUVO_CONNECTIONS_PER_ADDRESS": "100000",
        "NEUVO_VISITOR_RATE": "1000", "NEUVO_ADVISOR_RATE": "1000", "NEUVO_CHAT_RATE": "1000",
    }
    if faults:
        env["NEUVO_SQLITE_BUSY_TIMEOUT_S"] = str(BUSY_TIMEOUT_S)
    return env


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def sample_rss(pid: int, ledger: Ledger) -> None:
    while True:
        ledger.rss_kib.append(rss_kib(pid))
        await asyncio.sleep(1.0)


async def inject_faults(database: Path, filesystem: SmallFilesystem | None, ledger: Ledger,
                        rng: random.Random, stop: asyncio.Event) -> None:
    """One fault every 2-6 s, held 1-3 s (past the busy timeout), until stopped."""
    kinds = ["locked", "full"] if filesystem is not None else ["locked"]
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), rng.uniform(2, 6))
            return
        kind, hold = kinds[len(ledger.faults) % len(kinds)], rng.uniform(1, 3)
        if kind == "locked":
            async with WriteLock(database):
                await asyncio.sleep(hold)
        else:
            assert filesystem is not None
            # The log emptied first, so the next commit must grow it (tests/faults.py).
            await asyncio.to_thread(_checkpoint, database)
            filesystem.fill()
            try:
                await asyncio.sleep(hold)
            finally:
                filesystem.free()
        ledger.faults.append((kind, hold))


def _checkpoint(database: Path) -> None:
    with contextlib.closing(sqlite3.connect(database, timeout=10)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# -- reading back and judging -----------------------------------------------------------------


async def read_back(base: str, ledger: Ledger) -> dict[str, list[tuple[int, str]]]:
    """Every chat's lines as stored, by resuming it from seq 0: (seq, text)."""
    gate = asyncio.Semaphore(16)
    stored: dict[str, list[tuple[int, str]]] = {}

    async def one(chat: str, token: str) -> None:
        async with gate, asyncio.timeout(10 * ANSWER_TIMEOUT_S):
            while True:
                url = base.replace("http", "ws", 1) + "/ws/visitor"
                async with connect(url, origin=base) as ws:  # type: ignore[arg-type]
                    await ws.send(json.dumps({"type": "resume", "chat": chat, "token": token, "after": 0}))
                    lines = []
                    while (frame := json.loads(await ws.recv()))["type"] == "message":
                        lines.append((frame["seq"], frame["text"]))
                if frame["type"] != "error":
                    stored[chat] = lines
                    return
                await asyncio.sleep(RETRY_S[1])

    await asyncio.gather(*(one(chat, token) for chat, token in ledger.tokens.items()))
    return stored


def judge(ledger: Ledger, stored: dict[str, list[tuple[int, str]]], seconds: float, server_log: str) -> list[str]:
    problems = list(ledger.problems)
    for chat, lines in stored.items():
        seqs, texts = [seq for seq, _ in lines], [text for _, text in lines]
        if seqs != list(range(1, len(seqs) + 1)):
            problems.append(f"chat {chat}: seqs {seqs} are not 1..{len(seqs)}")
        problems += [f"chat {chat}: stored twice: {t!r}" for t, n in Counter(texts).items() if n > 1]
        problems += [f"chat {chat}: stored, never sent: {t!r}" for t in set(texts) - ledger.sent.get(chat, set())]
    for (chat, client_id), (seq, text) in ledger.acked.items():
        if (seq, text) not in stored.get(chat, []):
            problems.append(f"{client_id}: acked as seq {seq}, not stored so")
    if ledger.stalls:
        problems.append(f"{ledger.stalls} answers awaited {ANSWER_TIMEOUT_S:.0f} s in vain")
    expected = {1013} if ledger.faults else set()
    problems += [f"a {who} socket closed by the server: {code}" for who, code in ledger.closes if code not in expected]
    if "Traceback" in server_log:
        # The first one in full: a CI log is all there is to go on after the server's folder is gone.
        first = "\n".join(server_log[server_log.index("Traceback"):].splitlines()[:60])
        problems.append(f"{server_log.count('Traceback')} tracebacks in the server's log; the first:\n{first}")
    if seconds >= 120 and len(ledger.rss_kib) >= 8:
        quarter = len(ledger.rss_kib) // 4
        before = statistics.median(ledger.rss_kib[quarter:2 * quarter])
        after = statistics.median(ledger.rss_kib[-quarter:])
        if after > 1.5 * before and after - before > 32 * 1024:
            problems.append(f"server RSS grew from {before / 1024:.0f} to {after / 1024:.0f} MiB")
    return problems


@dataclass
class Report:
    plan: Plan
    ledger: Ledger
    stored: dict[str, list[tuple[int, str]]]
    problems: list[str]
    fault_kinds: list[str]

    def summary(self) -> str:
        ledger, plan = self.ledger, self.plan
        faults = Counter(kind for kind, _ in ledger.faults)
        rss = ledger.rss_kib
        lines = [
            f"soak: {plan.seconds:.0f} s, {plan.visitors} visitors, {plan.advisors} advisors, faults: "
            + (", ".join(f"{kind} x{faults[kind]}" for kind in self.fault_kinds) or "off"),
            f"chats {len(ledger.tokens)}, ended by {dict(ledger.ended)}; lines stored "
            f"{sum(map(len, self.stored.values()))}, acked {len(ledger.acked)} "
            f"({sum(1 for _, client_id in ledger.acked if '-v' in client_id)} of them visitors')",
            f"refused and retried {dict(ledger.refused)}; reconnects {dict(ledger.reconnects)}; "
            f"sockets closed by the server {dict(Counter(code for _, code in ledger.closes))}",
        ]
        if rss:
            lines.append(f"server RSS MiB: first {rss[0] / 1024:.0f}, most {max(rss) / 1024:.0f}, "
                         f"last {rss[-1] / 1024:.0f} ({len(rss)} samples)")
        shown = self.problems[:20] + ([f"... {len(self.problems) - 20} more"] if len(self.problems) > 20 else [])
        return "\n".join([*lines, *(f"PROBLEM {p}" for p in shown), "OK" if not self.problems else "FAILED"])


# -- the run ----------------------------------------------------------------------------------


async def sign_in(base: str, username: str) -> str:
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.post("/api/session", json={"username": username, "password": demo_password(username)})
    response.raise_for_status()
    return f"neuvo_session={response.cookies['neuvo_session']}"


async def chat_for(seconds: float, clients: list[Advisor | Visitor]) -> None:
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(client.life(deadline) for client in clients))


async def clients_of(base: str, plan: Plan, ledger: Ledger, usernames: list[str], rng: random.Random,
                     ) -> list[Advisor | Visitor]:
    """Advisors signed in (before any fault: a sign-in is a page's business, not the soak's) and
    visitors, each with a random source of its own."""
    clients: list[Advisor | Visitor] = [
        Advisor(base, ledger, random.Random(rng.random()), name, await sign_in(base, name)) for name in usernames
    ]
    return clients + [Visitor(base, ledger, random.Random(rng.random())) for _ in range(plan.visitors)]


async def soak(plan: Plan) -> Report:
    rng = random.Random(plan.seed)
    ledger = Ledger()
    if plan.url is not None:
        await chat_for(plan.seconds, await clients_of(plan.url, plan, ledger, DEMO_ADVISORS[:plan.advisors], rng))
        stored = await read_back(plan.url, ledger)
        return Report(plan, ledger, stored, judge(ledger, stored, plan.seconds, ""), [])
    usernames = [*DEMO_ADVISORS, *(f"soak{n}" for n in range(len(DEMO_ADVISORS) + 1, plan.advisors + 1))]
    usernames = usernames[:plan.advisors]
    with contextlib.ExitStack() as stack:
        workdir = plan.folder or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        # The database on a tmpfs of its own where faults include a full disk; the log beside it
        # would fill up too, so it stays in the working folder.
        filesystem = stack.enter_context(small_filesystem(1024 ** 3)) if plan.faults else None
        database = (filesystem.folder if filesystem else workdir) / "neuvo.db"
        if database.exists():
            raise SystemExit(f"{database} exists: the soak starts from a fresh service")
        url = f"sqlite:///{database}"
        kinds = (["locked", "full"] if filesystem else ["locked"]) if plan.faults else []
        await seed_service(url, usernames)
        log = workdir / "soak-server.log"
        server = Server(server_env(url, plan.faults), log)
        stop = asyncio.Event()
        background: list[asyncio.Task[None]] = []
        try:
            await server.ready()
            background.append(asyncio.create_task(sample_rss(server.process.pid, ledger)))
            clients = await clients_of(server.base, plan, ledger, usernames, rng)
            if plan.faults:
                background.append(asyncio.create_task(inject_faults(sqlite_file(url), filesystem, ledger, rng, stop)))
            await chat_for(plan.seconds, clients)
            stop.set()
            await asyncio.gather(*background[1:])  # the fault held now, if any, ends
            stored = await read_back(server.base, ledger)
        finally:
            stop.set()
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            server.process.terminate()
            server.process.wait()
        return Report(plan, ledger, stored, judge(ledger, stored, plan.seconds, log.read_text()), kinds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, required=True)
    parser.add_argument("--visitors", type=int, default=Plan.visitors)
    parser.add_argument("--advisors", type=int, default=Plan.advisors, help="at most 3 with --url (the demo's)")
    parser.add_argument("--faults", action="store_true", help="locked database; full disk where a tmpfs mounts")
    parser.add_argument("--url", help="a running `neuvo demo` (limits per address off) instead of a local server")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--keep", type=Path, help="a folder for the server's log and database (local server)")
    args = parser.parse_args()
    if args.url and args.faults:
        parser.error("--faults needs the local server: the soak must reach its database file")
    plan = Plan(seconds=args.minutes * 60, visitors=args.visitors, advisors=args.advisors, faults=args.faults,
                url=args.url, seed=args.seed, folder=args.keep)
    report = asyncio.run(soak(plan))
    print(report.summary())
    sys.exit(1 if report.problems else 0)


if __name__ == "__main__":
    main()
