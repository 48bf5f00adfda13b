"""Message delivery and free -> assigned benchmark against one real `neuvo serve` process.

Run: .venv/bin/python bench/load.py [--chats N] [--seconds S] [--capacity C] [--repeats R]

1. Scripts a service in a fresh SQLite file with the CLI (organisations of up to 20 advisors,
   advisors with --capacity each so that N chats are all active, open all week, shifts covering
   today and tomorrow) and starts ONE `python -m chat serve` on a free loopback port, with
   the frame-rate and new-chat limits raised so the benchmark is not throttled.
2. Signs the advisors in, opens their sockets with the server's own Origin, sets them available,
   opens N visitor sockets, starts N chats and waits until every chat is assigned.
3. For --seconds, each visitor writes every 2 s (jittered) and each advisor writes every 2 s in
   each of its chats. The time from a `message` send to the other party's socket receiving the
   `message` frame is recorded in both directions (the server stores before it delivers, so this
   includes the durable write). The time from the send to the sender's own `ack` (sent only once
   the message is stored) is recorded too. Every message must arrive exactly once at the other party and be
   acked once; losses, duplicates and errors are counted by message id.
4. With the delivery load stopped and a queue of waiting chats, an advisor closes one chat and
   the time until that advisor's socket receives `assigned` is recorded, --repeats times.
5. The server's RSS (VmRSS) is read before and after the sockets are opened.

All clients run in this one asyncio process; its CPU use and event-loop lag are printed so that a
client-side bottleneck shows. The server's CPU use over the measurement window is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark password"
ADVISORS_PER_ORG = 20
INTERVAL_S = 2.0
JITTER = 0.2  # each gap is INTERVAL_S * uniform(1 - JITTER, 1 + JITTER)
TICKS = os.sysconf("SC_CLK_TCK")


# -- measurement helpers ---------------------------------------------------------------------


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted samples."""
    if not samples:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(samples)))
    return samples[rank - 1]


def summary(name: str, samples_s: list[float], window_s: float | None = None) -> str:
    ms = sorted(s * 1000 for s in samples_s)
    if not ms:
        return f"{name:<22} no samples"
    rate = f"   {len(ms) / window_s:7.1f} msg/s" if window_s else ""
    return (
        f"{name:<22} n {len(ms):7}   p50 {percentile(ms, 50):7.2f}   p90 {percentile(ms, 90):7.2f}"
        f"   p99 {percentile(ms, 99):7.2f}   max {ms[-1]:8.2f} ms{rate}"
    )


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_s(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def client_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


class LoopLag:
    """How late a 50 ms sleep wakes up: the client's own event-loop delay."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.on = False

    async def run(self) -> None:
        while True:
            began = time.perf_counter()
            await asyncio.sleep(0.05)
            if self.on:
                self.samples.append(time.perf_counter() - began - 0.05)


# -- service setup through the CLI -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def cli(env: dict[str, str], *args: str, stdin: str = "") -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "chat", *args, cwd=env["NEUVO_BENCH_SOURCE"], env=env,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    _, err = await process.communicate(stdin.encode())
    if process.returncode != 0:
        raise RuntimeError(f"neuvo {' '.join(args)}: {err.decode().strip()}")


async def script_service(workdir: Path, env: dict[str, str], advisors: int, capacity: int, jobs: int) -> list[str]:
    organisations = math.ceil(advisors / ADVISORS_PER_ORG)
    for n in range(organisations):
        await cli(env, "org", "add", f"org-{n:02}", "--name", f"Organisation {n:02}")
    await cli(env, "hours", "set", "mon-sun 00:00-24:00")
    usernames = [f"adv{n:03}" for n in range(advisors)]
    gate = asyncio.Semaphore(jobs)  # each `user add` hashes a password: CPU-bound

    async def add(n: int, username: str) -> None:
        async with gate:
            await cli(env, "user", "add", username, "--org", f"org-{n // ADVISORS_PER_ORG:02}", "--role",
                      "advisor", "--name", f"Advisor {n}", "--capacity", str(capacity), "--password-stdin",
                      stdin=PASSWORD + "\n")

    await asyncio.gather(*(add(n, u) for n, u in enumerate(usernames)))
    today = datetime.now(ZoneInfo(env.get("NEUVO_TIMEZONE", "Europe/Helsinki"))).date()
    rows = ["username,date,start,end"]
    for username in usernames:
        for day in (today, today + timedelta(days=1)):
            rows.append(f"{username},{day},00:00,24:00")
    roster = workdir / "roster.csv"
    roster.write_text("\n".join(rows) + "\n")
    await cli(env, "roster", "import", str(roster))
    return usernames


class Server:
    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws_base = f"ws://127.0.0.1:{self.port}"
        self.log_path = workdir / "server.log"
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "chat", "serve", "--port", str(self.port)],
                cwd=env["NEUVO_BENCH_SOURCE"], env=env, stdout=log, stderr=subprocess.STDOUT,
            )

    async def ready(self) -> None:
        async with httpx.AsyncClient(base_url=self.base) as client:
            for _ in range(600):
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/healthz")).status_code == 200:
                        return
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited:\n{self.log_path.read_text()}")
                await asyncio.sleep(0.05)
        raise RuntimeError("server did not become healthy in 30 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# -- clients ---------------------------------------------------------------------------------


@dataclass
class Stats:
    sent: dict[str, float] = field(default_factory=dict)  # message id -> perf_counter at send
    measured: set[str] = field(default_factory=set)  # ids sent inside the timed window
    received: Counter[str] = field(default_factory=Counter)  # ids the other party got
    acked: Counter[str] = field(default_factory=Counter)
    to_advisor: list[float] = field(default_factory=list)
    to_visitor: list[float] = field(default_factory=list)
    ack_visitor: list[float] = field(default_factory=list)  # visitor's send -> its ack (stored)
    ack_advisor: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    out_of_order: int = 0
    unknown: int = 0
    closed_sockets: Counter[str] = field(default_factory=Counter)
    first_closed: float | None = None  # perf_counter of the first socket the server closed

    def closed(self, who: str, error: ConnectionClosed) -> None:
        reason = f"{error.rcvd.code} {error.rcvd.reason}" if error.rcvd else "no close frame"
        self.closed_sockets[f"{who}: {reason}"] += 1
        if self.first_closed is None:
            self.first_closed = time.perf_counter()

    def arrived(self, text: str, into: list[float], at: float) -> None:
        message_id = text.split(" ", 1)[0]
        began = self.sent.get(message_id)
        if began is None:
            self.unknown += 1
            return
        self.received[message_id] += 1
        if message_id in self.measured and self.received[message_id] == 1:
            into.append(at - began)

    def ack(self, message_id: str, into: list[float], at: float) -> None:
        self.acked[message_id] += 1
        if message_id in self.measured and self.acked[message_id] == 1:
            into.append(at - self.sent[message_id])


class Advisor:
    def __init__(self, username: str, ws: ClientConnection, stats: Stats) -> None:
        self.username = username
        self.ws = ws
        self.stats = stats
        self.chats: set[str] = set()
        self.last_seq: dict[str, int] = {}
        self.waiter: asyncio.Future[float] | None = None
        self.ended: dict[str, float] = {}
        self.counter = 0

    async def read(self) -> None:
        stats = self.stats
        try:
            async for raw in self.ws:
                at = time.perf_counter()
                frame = json.loads(raw)
                kind = frame["type"]
                if kind == "message":
                    chat = frame["chat"]
                    if frame["seq"] <= self.last_seq.get(chat, 0):
                        stats.out_of_order += 1
                    self.last_seq[chat] = frame["seq"]
                    if frame["from"] == "visitor":
                        stats.arrived(frame["text"], stats.to_advisor, at)
                elif kind == "ack":
                    stats.ack(frame["id"], stats.ack_advisor, at)
                elif kind == "assigned":
                    chat = frame["chat"]
                    self.chats.add(chat["id"])
                    self.last_seq[chat["id"]] = max((m["seq"] for m in chat["messages"]), default=0)
                    if self.waiter is not None and not self.waiter.done():
                        self.waiter.set_result(at)
                elif kind == "ended":
                    self.chats.discard(frame["chat"])
                    self.ended[frame["chat"]] = at
                elif kind == "error":
                    stats.errors[f"advisor:{frame['code']}"] += 1
        except ConnectionClosed as closed:
            stats.closed("advisor", closed)

    async def say(self, chat: str, measured: bool) -> None:
        self.counter += 1
        message_id = f"a-{self.username}-{self.counter}"
        self.stats.sent[message_id] = time.perf_counter()
        if measured:
            self.stats.measured.add(message_id)
        await self.ws.send(json.dumps({"type": "message", "chat": chat, "id": message_id,
                                       "text": f"{message_id} reply from the advisor"}))


class Visitor:
    def __init__(self, n: int, ws: ClientConnection, stats: Stats) -> None:
        self.n = n
        self.ws = ws
        self.stats = stats
        self.chat: str | None = None
        self.queued = asyncio.Event()
        self.assigned = asyncio.Event()
        self.last_seq = 0
        self.counter = 0

    async def read(self) -> None:
        stats = self.stats
        try:
            async for raw in self.ws:
                at = time.perf_counter()
                frame = json.loads(raw)
                kind = frame["type"]
                if kind == "message":
                    if frame["seq"] <= self.last_seq:
                        stats.out_of_order += 1
                    self.last_seq = frame["seq"]
                    if frame["from"] == "advisor":
                        stats.arrived(frame["text"], stats.to_visitor, at)
                elif kind == "ack":
                    stats.ack(frame["id"], stats.ack_visitor, at)
                elif kind == "queued":
                    self.chat = frame["chat"]
                    self.queued.set()
                elif kind == "assigned":
                    self.assigned.set()
                elif kind == "closed":
                    stats.errors["visitor:closed"] += 1
                    self.queued.set()
                elif kind == "error":
                    stats.errors[f"visitor:{frame['code']}"] += 1
        except ConnectionClosed as closed:
            stats.closed("visitor", closed)

    async def say(self, measured: bool) -> None:
        self.counter += 1
        message_id = f"v-{self.n}-{self.counter}"
        self.stats.sent[message_id] = time.perf_counter()
        if measured:
            self.stats.measured.add(message_id)
        await self.ws.send(json.dumps({"type": "message", "id": message_id,
                                       "text": f"{message_id} a question from the visitor"}))


async def sign_in(server: Server, username: str) -> str:
    async with httpx.AsyncClient(base_url=server.base) as client:
        response = await client.post("/api/session", json={"username": username, "password": PASSWORD},
                                     headers={"Origin": server.base})
    if response.status_code != 200:
        raise RuntimeError(f"sign-in {username}: {response.status_code} {response.text}")
    return f"neuvo_session={response.cookies['neuvo_session']}"


async def open_advisor(server: Server, username: str, stats: Stats) -> Advisor:
    cookie = await sign_in(server, username)
    ws = await connect(f"{server.ws_base}/ws/advisor", origin=server.base,  # type: ignore[arg-type]
                       additional_headers={"Cookie": cookie}, compression=None, max_queue=None)
    welcome = json.loads(await ws.recv())
    assert welcome["type"] == "welcome", welcome
    advisor = Advisor(username, ws, stats)
    await ws.send(json.dumps({"type": "status", "status": "available"}))
    return advisor


async def open_visitor(server: Server, n: int, stats: Stats) -> Visitor:
    ws = await connect(f"{server.ws_base}/ws/visitor", origin=server.base,  # type: ignore[arg-type]
                       compression=None, max_queue=None)
    return Visitor(n, ws, stats)


async def gathered(coroutines: list[Any], limit: int) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(coroutine: Any) -> Any:
        async with gate:
            return await coroutine

    return await asyncio.gather(*(one(c) for c in coroutines))


async def wait_all(events: list[asyncio.Event], limit_s: float, what: str) -> None:
    try:
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in events)), limit_s)
    except TimeoutError:
        done = sum(e.is_set() for e in events)
        raise RuntimeError(f"only {done} of {len(events)} {what} within {limit_s:.0f} s") from None


# -- the run ---------------------------------------------------------------------------------


async def pace(say: Any, stop: asyncio.Event, window: tuple[float, float]) -> None:
    """Call say(measured) every INTERVAL_S (jittered) until stop; starts at a random offset."""
    await asyncio.sleep(random.uniform(0, INTERVAL_S))
    while not stop.is_set():
        now = time.perf_counter()
        try:
            await say(window[0] <= now < window[1])
        except ConnectionClosed:
            return  # counted by the socket's reader; this party stops writing
        await asyncio.sleep(INTERVAL_S * random.uniform(1 - JITTER, 1 + JITTER))


async def run(args: argparse.Namespace) -> None:
    random.seed(args.seed)
    advisors_needed = math.ceil(args.chats / args.capacity)
    workdir = Path(tempfile.mkdtemp(prefix="neuvo-load-", dir=args.dir))
    db = workdir / "load.db"
    env = {
        **os.environ,
        "NEUVO_DATABASE_URL": f"sqlite:///{db}",
        "NEUVO_VISITOR_RATE": "1000",
        "NEUVO_ADVISOR_RATE": "100000",
        "NEUVO_CHATS_PER_ADDRESS": "0",
        # Every simulated visitor comes from 127.0.0.1: the per-address limits would stop the load.
        "NEUVO_WAITING_PER_ADDRESS": "0",
        "NEUVO_CONNECTIONS_PER_ADDRESS": "0",
        "NEUVO_CHAT_RATE": "1000",
        "NEUVO_FIRST_FRAME_S": "600",
        "NEUVO_LOGIN_FAILURES": "100000",
        # `python -m chat` imports the project from its working directory first.
        "NEUVO_BENCH_SOURCE": args.source,
    }
    print(f"server and CLI run from {env['NEUVO_BENCH_SOURCE']}")
    print(f"machine: nproc {os.cpu_count()}, python {sys.version.split()[0]}, load {loadavg()}")
    print(f"chats {args.chats}, advisors {advisors_needed} x capacity {args.capacity} "
          f"in {math.ceil(advisors_needed / ADVISORS_PER_ORG)} organisations, database {db}")
    began = time.perf_counter()
    today = datetime.now(ZoneInfo(env.get("NEUVO_TIMEZONE", "Europe/Helsinki"))).date()
    cached = Path(args.setup_cache) / f"neuvo-load-{advisors_needed}x{args.capacity}-{today}.db" \
        if args.setup_cache else None
    if cached is not None and cached.exists():
        shutil.copy(cached, db)  # scripted earlier today by the same CLI steps
        usernames = [f"adv{n:03}" for n in range(advisors_needed)]
        print(f"copied the service the CLI scripted earlier today from {cached}")
    else:
        usernames = await script_service(workdir, env, advisors_needed, args.capacity, args.setup_jobs)
        print(f"scripted the service with the CLI in {time.perf_counter() - began:.1f} s")
        if cached is not None:
            shutil.copy(db, cached)

    server = Server(workdir, env)
    stats = Stats()
    lag = LoopLag()
    tasks: list[asyncio.Task[None]] = [asyncio.create_task(lag.run())]
    try:
        await server.ready()
        await asyncio.sleep(1)
        pid = server.process.pid
        rss_idle = rss_kib(pid)

        began = time.perf_counter()
        advisors: list[Advisor] = await gathered([open_advisor(server, u, stats) for u in usernames], 8)
        tasks += [asyncio.create_task(a.read()) for a in advisors]
        visitors: list[Visitor] = await gathered(
            [open_visitor(server, n, stats) for n in range(args.chats)], 50)
        tasks += [asyncio.create_task(v.read()) for v in visitors]
        print(f"opened {len(advisors)} advisor and {len(visitors)} visitor sockets in "
              f"{time.perf_counter() - began:.1f} s")
        rss_open = rss_kib(pid)

        began = time.perf_counter()
        for chunk in range(0, len(visitors), 50):
            await asyncio.gather(*(v.ws.send(json.dumps({"type": "start", "topic": "work", "language": "fi"}))
                                   for v in visitors[chunk:chunk + 50]))
        await wait_all([v.queued for v in visitors], 120, "chats queued")
        await wait_all([v.assigned for v in visitors], 120, "chats assigned")
        for _ in range(100):  # the advisor's `assigned` may arrive just after the visitor's
            if sum(len(a.chats) for a in advisors) == len(visitors):
                break
            await asyncio.sleep(0.1)
        per_advisor = Counter(len(a.chats) for a in advisors)
        print(f"started and assigned {len(visitors)} chats in {time.perf_counter() - began:.1f} s "
              f"(chats per advisor: {dict(sorted(per_advisor.items()))})")
        if sum(len(a.chats) for a in advisors) != len(visitors):
            raise RuntimeError("advisors do not hold every chat")
        await asyncio.sleep(1)
        rss_chats = rss_kib(pid)
        sockets = len(advisors) + len(visitors)
        print(f"server RSS: idle {rss_idle / 1024:.1f} MiB, {sockets} sockets open "
              f"{rss_open / 1024:.1f} MiB ({(rss_open - rss_idle) / sockets:.1f} KiB per socket), "
              f"{len(visitors)} chats active {rss_chats / 1024:.1f} MiB "
              f"({(rss_chats - rss_idle) / sockets:.1f} KiB per socket, chats included)")

        if args.seconds > 0:
            # Delivery: everybody writes every 2 s; only messages sent inside the window are timed.
            print(f"load average before delivery: {loadavg()}")
            stop = asyncio.Event()
            start = time.perf_counter() + args.warmup
            window = (start, start + args.seconds)
            writers = [asyncio.create_task(pace(v.say, stop, window)) for v in visitors]
            for advisor in advisors:
                for chat in advisor.chats:
                    writers.append(asyncio.create_task(
                        pace(lambda m, a=advisor, c=chat: a.say(c, m), stop, window)))
            await asyncio.sleep(args.warmup)
            cpu0, ccpu0, t0 = cpu_s(pid), client_cpu_s(), time.perf_counter()
            lag.on = True
            await asyncio.sleep(args.seconds)
            lag.on = False
            cpu1, ccpu1, t1 = cpu_s(pid), client_cpu_s(), time.perf_counter()
            stop.set()
            await asyncio.gather(*writers)
            # Drain: wait until every sent message arrived and was acked (or give up after 15 s).
            deadline = time.perf_counter() + 15
            while time.perf_counter() < deadline:
                if len(stats.received) == len(stats.sent) and len(stats.acked) == len(stats.sent):
                    break
                await asyncio.sleep(0.1)
            rss_after = rss_kib(pid)
            elapsed = t1 - t0
            measured = stats.measured
            lost = [i for i in stats.sent if stats.received[i] == 0]
            unacked = [i for i in stats.sent if stats.acked[i] == 0]
            duplicated = sum(1 for c in stats.received.values() if c > 1)
            acked_undelivered = sum(1 for i in stats.sent if stats.acked[i] and not stats.received[i])
            double_acked = sum(1 for c in stats.acked.values() if c > 1)
            print(f"\nmessage delivery, {args.seconds:.0f} s window after {args.warmup:.0f} s warm-up:")
            print(summary("visitor -> advisor", stats.to_advisor, elapsed))
            print(summary("advisor -> visitor", stats.to_visitor, elapsed))
            print(summary("both", stats.to_advisor + stats.to_visitor, elapsed))
            print(summary("visitor send -> ack", stats.ack_visitor))
            print(summary("advisor send -> ack", stats.ack_advisor))
            print(f"sent {len(stats.sent)} (timed {len(measured)}), not delivered {len(lost)} "
                  f"(of them acked {acked_undelivered}), unacked {len(unacked)}, "
                  f"duplicated {duplicated}, acked twice {double_acked}, out of order {stats.out_of_order}, "
                  f"unknown {stats.unknown}, errors {dict(stats.errors) or 0}, "
                  f"sockets closed {dict(stats.closed_sockets) or 0}")
            if lost:
                print(f"  first lost ids: {lost[:5]}")
            if stats.first_closed is not None:
                print(f"  the first socket was closed {stats.first_closed - start:.1f} s into the timed window")
            print(f"server CPU {100 * (cpu1 - cpu0) / elapsed:.0f}% of a core, client CPU "
                  f"{100 * (ccpu1 - ccpu0) / elapsed:.0f}% of a core; client loop lag "
                  f"{summary('', lag.samples).strip()}")
            print(f"server RSS after delivery {rss_after / 1024:.1f} MiB")

        # Free -> assigned: a queue of waiting chats, then one close at a time.
        print(f"\nload average before free -> assigned: {loadavg()}")
        waiting = await gathered([open_visitor(server, args.chats + n, stats)
                                  for n in range(args.repeats + 10)], 50)
        tasks += [asyncio.create_task(v.read()) for v in waiting]
        for visitor in waiting:
            await visitor.ws.send(json.dumps({"type": "start", "topic": "work", "language": "fi"}))
        await wait_all([v.queued for v in waiting], 60, "waiting chats queued")
        await asyncio.sleep(1)
        close_to_assigned: list[float] = []
        ended_to_assigned: list[float] = []
        usable = [a for a in advisors if a.ws.close_code is None and a.chats]
        for n in range(args.repeats if usable else 0):
            advisor = usable[n % len(usable)]
            if not advisor.chats:
                continue
            chat = sorted(advisor.chats)[0]
            advisor.waiter = asyncio.get_running_loop().create_future()
            began = time.perf_counter()
            await advisor.ws.send(json.dumps({"type": "close", "chat": chat, "outcome": "answered"}))
            try:
                got = await asyncio.wait_for(advisor.waiter, 10)
            except TimeoutError:
                stats.errors["free->assigned timeout"] += 1
                continue
            close_to_assigned.append(got - began)
            if chat in advisor.ended:
                ended_to_assigned.append(got - advisor.ended[chat])
            await asyncio.sleep(0.02)
        assigned_waiting = sum(v.assigned.is_set() for v in waiting)
        print(f"{len(usable)} advisor sockets still open for this part")
        print(f"advisor free -> next chat assigned, {args.repeats} closes, queue of "
              f"{len(waiting)} at the start ({assigned_waiting} of them assigned by the end):")
        print(summary("close sent -> assigned", close_to_assigned))
        print(summary("ended recv -> assigned", ended_to_assigned))
        print(f"errors {dict(stats.errors) or 0}")

        log = server.log_path.read_text()
        problems = [line for line in log.splitlines()
                    if "Traceback" in line or "ERROR" in line or "Exception" in line]
        print(f"\nserver log: {len(log.splitlines())} lines, {len(problems)} error lines")
        for line in problems[:10]:
            print(f"  {line}")
        if problems:
            kept = Path(args.dir or tempfile.gettempdir()) / f"neuvo-load-{args.chats}-server.log"
            shutil.copy(server.log_path, kept)
            print(f"  full log kept at {kept}")
    finally:
        for task in tasks:
            task.cancel()
        server.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=100, help="active chats (default 100)")
    parser.add_argument("--seconds", type=float, default=60, help="timed delivery window (default 60)")
    parser.add_argument("--warmup", type=float, default=5, help="untimed writing before the window (default 5)")
    parser.add_argument("--capacity", type=int, default=10, help="chats per advisor (default 10)")
    parser.add_argument("--repeats", type=int, default=200, help="free -> assigned closes (default 200)")
    parser.add_argument("--setup-jobs", type=int, default=2, help="CLI `user add` processes at once (default 2)")
    parser.add_argument("--dir", help="where the temporary database goes (default: the system temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the database and server log")
    parser.add_argument("--source", help="a checkout to run the server and CLI from (default: this one), e.g. "
                        "`git archive HEAD | tar -x -C DIR` so edits in progress here do not change the run")
    parser.add_argument("--setup-cache", help="a folder to keep the scripted (still empty) database in and "
                        "reuse it the same day for the same advisors and capacity (the CLI steps take minutes)")
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()
    args.source = str(Path(args.source).resolve() if args.source else ROOT)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
