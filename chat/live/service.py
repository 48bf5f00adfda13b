"""The live service: the one owner of live state. Sockets, pages, the ticker and configuration
changes hand it typed commands (chat.live.commands); it applies each under its own lock, in one
transaction, asks `routing`, then delivers through the broker.

    socket / page / ticker ──Command──► LiveService.run ──► (lock) handler ──► storage
                                                                   │          routing
                                                                   └────────► broker ──► sockets

Questions are commands too (`AskStatus` for /api/service, `AskColleagues`, `AskQueue`, `AskNow`,
`AskCarries`), so they travel between processes like the rest; `config` is read directly for
the pages' choices. Changing is only through `run`. Lines and typing
take no lock (the line writer orders lines by itself); a transfer stores its note like a line,
then takes the lock for the move. Starts are stored in batches (chat.live.starts), as lines
are, and so are advisors' closes (chat.live.closes) and each routing decision, so that a burst
costs a transaction per batch; the queue announcer tells visitors of their new places a few
times a second at most (chat.live.places).

A several-process service will put another implementation of the same surface behind the same
name, so that sockets and pages do not know which they have.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar, cast

from chat.base.clock import Clock
from chat.base.metrics import Metrics
from chat.base.settings import Settings
from chat.broker import Broker, Subscriber, follow, unfollow
from chat.live import advisor_commands as advisor
from chat.live import closes, starts
from chat.live import commands as c
from chat.live import visitor_commands as visitor
from chat.live.batches import Batches
from chat.live.config import ServiceConfig
from chat.live.core import Core
from chat.live.deadlines import apply_deadlines
from chat.live.ids import ChatIds
from chat.live.places import QueueAnnouncer, place_of, queue_frame
from chat.live.recovery import restore
from chat.live.state import AdvisorPresence, LiveState
from chat.wire.errors import Unavailable, storage_failure
from chat.wire.outgoing import Closed, Queued, QueueOut, at, at_or_none
from routing.advisors import why_unserved
from storage.database import Database
from storage.errors import STORAGE_FAILURES

log = logging.getLogger("neuvo.live")
_NOT_A_QUESTION = object()
R = TypeVar("R")
Handler = Callable[[Core, Any], Awaitable[Any]]

# Commands that change the queue or an assignment: run under the lock. (A start or an advisor's
# close is stored in a batch with those sent meanwhile, under the lock too: chat.live.starts,
# chat.live.closes.)
LOCKED: dict[type[c.Command[Any]], Handler] = {
    c.VisitorEnds: visitor.end,
    c.AdvisorConnected: advisor.connected,
    c.AdvisorDisconnected: advisor.disconnected,
    c.SetStatus: advisor.set_status,
    c.VisitorStillHere: visitor.still_here,
    c.VisitorLeftQuickly: visitor.left_quickly,
    c.BlockVisitor: advisor.block,
    c.LiftBlock: advisor.lift_block,
    c.AdvisorStillHere: advisor.still_here,
    c.Rejoin: advisor.rejoin,
}
# Reads, lines and typing; a visitor's socket counted (no await: nothing can come between); and
# the transfer, which takes the lock itself after its note.
UNLOCKED: dict[type[c.Command[Any]], Handler] = {
    c.ResumeChat: visitor.resume,
    c.VisitorConnected: visitor.connected,
    c.VisitorDisconnected: visitor.disconnected,
    c.VisitorSays: visitor.say,
    c.VisitorTyping: visitor.typing,
    c.GiveFeedback: visitor.feedback,
    c.AnswerSurvey: visitor.answer_survey,
    c.AdvisorSays: advisor.say,
    c.AdvisorTyping: advisor.typing,
    c.TransferChat: advisor.transfer,
    c.EndSessions: advisor.end_sessions,
}


class LiveService:
    def __init__(
        self, *, db: Database, broker: Broker, settings: Settings, clock: Clock, metrics: Metrics | None = None
    ) -> None:
        self._core = Core(db=db, broker=broker, settings=settings, clock=clock, metrics=metrics)
        self._queue = QueueAnnouncer()
        self._starts: Batches[c.StartChat, Queued | Closed] = Batches(
            partial(starts.admit, self._core), max_batch=starts.MAX_BATCH
        )
        self._closes: Batches[c.CloseChat, None] = Batches(partial(closes.settle, self._core),
                                                           max_batch=closes.MAX_BATCH)
        self._tasks: list[asyncio.Task[None]] = []
        self._ids = ChatIds()

    # -- start and stop ------------------------------------------------------------------------

    async def start(self) -> None:
        """Load the configuration, rebuild the live state from storage, and start routing."""
        await self._core.reload_config()
        async with self._core.lock:
            await restore(self._core, self._core.clock.now())
        self._tasks = [
            asyncio.create_task(self._dispatch_when_woken()), asyncio.create_task(self._queue.run(self._core))
        ]
        self._core.writer.start()
        self._starts.start()
        self._closes.start()

    async def stop(self) -> None:
        self._core.metrics.unwatch()
        await self._starts.stop()
        await self._closes.stop()
        await self._core.writer.stop()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- commands ------------------------------------------------------------------------------

    async def run(self, command: c.Command[R]) -> R:
        """Apply the command and return its answer; a ProtocolError says why it was refused. A
        storage failure is refused as `unavailable`: nothing of the command was kept."""
        try:
            return cast(R, await self._apply(command))
        except STORAGE_FAILURES as error:
            raise storage_failure(error) from error

    async def _apply(self, command: c.Command[Any]) -> Any:
        core = self._core
        if isinstance(command, c.Tick):
            async with core.lock:
                await apply_deadlines(core, core.clock.now())
            return await self._route()
        if isinstance(command, c.Reconfigure):
            await core.reload_config()
            core.wake()
            return None
        if isinstance(command, c.StartChat):
            starts.check(core, command)
            return await self._starts.submit(command)
        if isinstance(command, c.CloseChat):
            return await self._closes.submit(command)
        question = self._answer(command)
        if question is not _NOT_A_QUESTION:
            return question
        handler = UNLOCKED.get(type(command))
        if handler is not None:
            return await handler(core, command)
        async with core.lock:
            return await LOCKED[type(command)](core, command)

    def new_chat_id(self) -> str:
        return self._ids.new()

    async def healthy(self) -> bool:
        return True  # the database is checked by /healthz itself; nothing else to reach

    async def follow(self, channel: str, subscriber: Subscriber) -> None:
        """From now on, the frames published on the channel go to the subscriber (a socket) too."""
        await follow(self._core.broker, channel, subscriber)

    async def unfollow(self, channel: str, subscriber: Subscriber) -> None:
        await unfollow(self._core.broker, channel, subscriber)

    # -- routing -------------------------------------------------------------------------------

    async def _route(self) -> None:
        core = self._core
        try:
            async with core.lock:
                await core.dispatch(core.clock.now())
        finally:
            self._queue.soon()  # even after a failed transaction: the ones before it assigned chats

    async def _dispatch_when_woken(self) -> None:
        while True:
            await self._core.wakeup.wait()
            self._core.wakeup.clear()
            try:
                await self._route()
            except STORAGE_FAILURES as error:
                # The chats stay queued; the next tick tries again.
                log.error("dispatch failed: %s", type(error).__name__)
            except Exception:
                # A bug must not stop routing for good: log it whole, route again next time.
                log.exception("dispatch failed")

    async def ticks(self) -> None:
        """Tick every NEUVO_TICK_S until cancelled; a failed tick is logged and the next retries."""
        while True:
            await asyncio.sleep(self._core.settings.tick_s)
            try:
                await self.run(c.Tick())
            except Unavailable:
                continue  # logged where storage failed, without its trace: the next tick retries
            except Exception:
                log.exception("tick failed")  # a bug must not stop the deadlines for good

    # -- reading -------------------------------------------------------------------------------

    @property
    def config(self) -> ServiceConfig:
        return self._core.config

    @property
    def metrics(self) -> Metrics:
        return self._core.metrics

    def _answer(self, command: c.Command[Any]) -> Any:
        if isinstance(command, c.AskStatus):
            return self.status()
        if isinstance(command, c.AskQueue):
            return self.queue()
        if isinstance(command, c.AskColleagues):
            return self.signed_in()
        if isinstance(command, c.AskCarries):
            return self.carries(command.chat_id)
        if isinstance(command, c.AskNow):
            return self.now()
        if isinstance(command, c.AskBlocks):
            return self.blocks()
        return _NOT_A_QUESTION

    def status(self) -> c.ServiceStatus:
        core = self._core
        now = core.clock.now()
        is_open = core.is_open(now)
        waiting = core.state.waiting()
        return c.ServiceStatus(
            open=is_open,
            accepting=core.accepting(now),
            next_open=None if is_open else at_or_none(core.config.hours.next_open(now), core.tz),
            queue_length=len(waiting),
            estimated_wait_s=place_of(core, waiting[-1], now)[1] if waiting else None,
            languages_on_duty=tuple(sorted({language for p in core.on_duty(now) for language in p.languages})),
        )

    def queue(self) -> QueueOut:
        return queue_frame(self._core, self._core.clock.now())

    def signed_in(self) -> list[c.Colleague]:
        on_shift = self._core.config.roster.on_shift(self._core.clock.now())
        return [_colleague(p, on_shift) for p in self._core.state.advisors() if p.connected]

    def now(self) -> c.NowView:
        core, now = self._core, self._core.clock.now()
        on_shift = core.config.roster.on_shift(now)
        present = [p for p in core.state.advisors() if p.connected]
        on_duty = [p.as_state() for p in present if p.username in on_shift]
        waiting = core.state.waiting()
        unserved = [
            c.UnservedChat(chat.topic, chat.language, _seconds(now - chat.arrived_at), reason)
            for chat in waiting if (reason := why_unserved(chat.as_waiting(), on_duty)) is not None
        ]
        return c.NowView(
            advisors=tuple(c.SignedIn(_colleague(p, on_shift), len(p.chats), p.capacity)
                           for p in sorted(present, key=lambda p: p.name)),
            queue_length=len(waiting),
            oldest_wait_s=_seconds(now - waiting[0].arrived_at) if waiting else None,
            unserved=tuple(unserved),
        )

    def blocks(self) -> list[c.BlockView]:
        core = self._core
        return [c.BlockView(b.id, b.duration, at(b.since, core.tz), at(b.until, core.tz))
                for b in core.blocks.active(core.clock.now())]

    @property
    def view(self) -> LiveState:
        """The live state itself, to read (tests, diagnostics); only commands change it."""
        return self._core.state

    def carries(self, chat_id: str) -> bool:
        """Whether the chat is live (waiting or active)."""
        return self._core.state.chat(chat_id) is not None


def _seconds(span: timedelta) -> int:
    return max(0, int(span.total_seconds()))


def _colleague(presence: AdvisorPresence, on_shift: frozenset[str]) -> c.Colleague:
    return c.Colleague(presence.username, presence.name, presence.organisation_name, presence.status == "available",
                       presence.username in on_shift, tuple(sorted(presence.languages)))
