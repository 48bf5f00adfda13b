"""The hub joins sockets, storage and the routing core.

Theory of operation: every change to a chat is first made durable in one transaction, then
applied to the in-memory working copy (chat.live), then announced through the broker. Changes
to the queue and to assignments are serialised by one lock; the routing core is asked who gets
what after each such change (the dispatcher) and once a tick, when time alone may have changed
the answer (shifts starting, grace periods running out).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import deque
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from chat.base.clock import Clock
from chat.base.metrics import Metrics
from chat.base.ratelimit import SlidingCounter
from chat.base.settings import Settings
from chat.broker import Broker
from chat.live.config import ServiceConfig, load_config
from chat.live.state import AdvisorPresence, LiveChat, target_from_row
from chat.live.writer import LineWriter
from chat.wire.errors import Unavailable
from chat.wire.outgoing import advisor_chat, message_frame
from routing import estimate, policy, queue
from routing.advisors import can_serve
from routing.lifecycle import ChatEvent, ChatState, next_state
from routing.types import AdvisorState
from storage import chats, messages, statistics
from storage.database import Database, Session
from storage.errors import STORAGE_FAILURES
from storage.tables import Message

log = logging.getLogger("neuvo.hub")
RECENT_HANDLING = 100


class Hub:
    def __init__(self, *, db: Database, broker: Broker, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.broker = broker
        self.settings = settings
        self.clock = clock
        self.tz = settings.tz
        self.chats: dict[str, LiveChat] = {}
        self.advisors: dict[str, AdvisorPresence] = {}
        self.week_counts: dict[str, int] = {}
        self.handling_s: deque[float] = deque(maxlen=RECENT_HANDLING)
        self.routing_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._dispatcher_task: asyncio.Task[None] | None = None
        self._queue_seen: tuple[int, str | None] = (-1, None)
        self._config: ServiceConfig | None = None
        self.config_loaded_at = datetime.min.replace(tzinfo=self.tz)
        self._last_id_ns = 0
        self.new_chats_per_address = SlidingCounter(limit=settings.chats_per_address, window=600)
        self.writer = LineWriter(db=db, clock=clock, announce=self.announce_line)
        self.metrics = Metrics()
        self.metrics.watch(self._gauges)

    def _gauges(self) -> dict[str, tuple[str, float]]:
        waiting = sum(1 for chat in self.chats.values() if chat.status == "waiting")
        return {
            "neuvo_queue_length": ("Chats waiting in the queue.", waiting),
            "neuvo_active_chats": ("Chats with an advisor.", len(self.chats) - waiting),
            "neuvo_advisors_signed_in": ("Advisors connected or within their reconnect grace.", len(self.advisors)),
            "neuvo_advisors_available": (
                "Advisors available for chats.", sum(1 for p in self.advisors.values() if p.status == "available")
            ),
        }

    def new_chat_id(self) -> str:
        """A unique id that sorts in creation order: chats arriving at the same instant are
        still served first come, first served (the queue orders by arrival, then id)."""
        self._last_id_ns = max(self._last_id_ns + 1, time.time_ns())
        return f"{self._last_id_ns:016x}{secrets.token_hex(4)}"

    @staticmethod
    def monotonic() -> float:
        """Seconds for rate limits: real elapsed time, unaffected by the service clock."""
        return time.monotonic()

    # -- start and stop ----------------------------------------------------------------------

    def start(self) -> None:
        """Start the dispatcher and the line writer (after chat.recovery.restore has rebuilt the
        working copy)."""
        self._dispatcher_task = asyncio.create_task(self._dispatcher())
        self.writer.start()

    async def stop(self) -> None:
        await self.writer.stop()
        if self._dispatcher_task is not None:
            self._dispatcher_task.cancel()
            await asyncio.gather(self._dispatcher_task, return_exceptions=True)

    # -- configuration -------------------------------------------------------------------------

    @property
    def config(self) -> ServiceConfig:
        assert self._config is not None, "Hub.start() loads the configuration"
        return self._config

    async def reload_config(self) -> None:
        now = self.clock.now()
        async with self.db.transaction() as session:
            self._config = await load_config(session, now=now, tz=self.tz)
        self.config_loaded_at = now

    async def reconfigure(self) -> None:
        """The administration changed something: load it, and route again at once (a new shift
        or a new advisor may serve a waiting chat now)."""
        await self.reload_config()
        self.wake()

    def username_of(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        return next((u.username for u in self.config.users.values() if u.id == user_id), None)

    def presence_of(self, username: str, now: datetime) -> AdvisorPresence:
        """The advisor's presence, made (away, no chats, no socket yet: their grace running from
        now) when they have none."""
        presence = self.advisors.get(username)
        if presence is None:
            user = self.config.users[username]
            organisation = self.config.organisation_of(user)
            presence = AdvisorPresence(
                user_id=user.id or 0,
                username=username,
                name=user.name,
                organisation=organisation.slug,
                organisation_id=user.organisation_id,
                organisation_name=organisation.name,
                languages=frozenset(user.languages.split(",")),
                topics=frozenset(user.topics.split(",")) if user.topics else None,
                capacity=user.capacity,
                idle_since=now,
                gone_since=now,
            )
            self.advisors[username] = presence
        return presence

    # -- service state -------------------------------------------------------------------------

    def is_open(self, now: datetime) -> bool:
        return self.config.hours.is_open(now)

    def accepting(self, now: datetime) -> bool:
        """Open, and an advisor who is on shift is signed in (available or away)."""
        if not self.is_open(now):
            return False
        on_shift = self.config.roster.on_shift(now)
        return any(name in on_shift for name in self.advisors)

    def waiting(self) -> list[LiveChat]:
        return sorted((c for c in self.chats.values() if c.status == "waiting"), key=lambda c: (c.arrived_at, c.id))

    def advisor_states(self) -> list[AdvisorState]:
        return [presence.as_state() for presence in self.advisors.values()]

    # -- locks and storage ---------------------------------------------------------------------

    def transaction(self) -> AbstractAsyncContextManager[Session]:
        return self.db.transaction()

    @staticmethod
    def storage_error(error: Exception) -> Unavailable:
        log.error("storage failed: %s", type(error).__name__)
        return Unavailable("storage cannot take the write now; nothing was saved, please retry")

    # -- publishing ------------------------------------------------------------------------------

    async def to_visitor(self, chat_id: str, frame: dict[str, Any]) -> None:
        await self.broker.publish(f"visitor:{chat_id}", frame)

    async def to_advisor(self, username: str, frame: dict[str, Any]) -> None:
        await self.broker.publish(f"advisor:{username}", frame)

    async def announce_line(self, chat: LiveChat, message: Message) -> None:
        """Send a stored line to whoever may see it: notes reach the advisor only."""
        self.metrics.messages_stored.labels(sender=message.sender).inc()
        if message.sender != "note":
            chat.last_activity_at = message.created_at
            await self.to_visitor(chat.id, message_frame(message, self.tz))
        if chat.advisor is not None:
            await self.to_advisor(chat.advisor, message_frame(message, self.tz, chat=chat.id))

    async def sessions_ended(self, username: str) -> None:
        """The user's sessions were ended (new password, deactivated): their open advisor
        sockets, in whichever process, are told and closed with 4401."""
        await self.to_advisor(username, {"type": "signed_out"})

    async def to_all_advisors(self, frame: dict[str, Any]) -> None:
        for username in self.advisors:
            await self.to_advisor(username, frame)

    # -- routing ---------------------------------------------------------------------------------

    def wake(self) -> None:
        """Ask the dispatcher for a routing decision soon."""
        self._wake.set()

    async def _dispatcher(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self.dispatch()
            except STORAGE_FAILURES as error:
                # The chats stay queued; the next tick tries again.
                log.error("dispatch failed: %s", type(error).__name__)
            except Exception:
                # A bug must not stop routing for good: log it whole, route again next time.
                log.exception("dispatch failed")

    async def dispatch(self) -> None:
        async with self.routing_lock:
            now = self.clock.now()
            waiting = [chat.as_waiting() for chat in self.waiting()]
            if waiting:
                decided = policy.assign(
                    waiting,
                    self.advisor_states(),
                    self.config.roster.on_shift(now),
                    self.week_counts,
                    self.config.rostered_hours,
                )
                for assignment in decided:
                    await self._assign(self.chats[assignment.chat], self.advisors[assignment.advisor], now)
            await self.publish_queue(now)

    async def _assign(self, chat: LiveChat, presence: AdvisorPresence, now: datetime) -> None:
        async with self.db.transaction() as session:
            row = await chats.chat_by_id(session, chat_id=chat.id)
            assert row is not None
            row.status = next_state(ChatState(row.status), ChatEvent.ASSIGN)
            await chats.assign_chat(
                session, chat=row, user_id=presence.user_id, organisation_id=presence.organisation_id, now=now
            )
            history = await messages.messages_after(session, chat_id=chat.id, after=0, visitor_view=False)
        chat.status, chat.advisor, chat.target, chat.excluded = "active", presence.username, None, None
        chat.last_activity_at, chat.position = now, None
        presence.chats.add(chat.id)
        presence.idle_since = now
        self.week_counts[presence.organisation] = self.week_counts.get(presence.organisation, 0) + 1
        advisor = {"name": presence.name, "organisation": presence.organisation_name}
        await self.to_visitor(chat.id, {"type": "assigned", "advisor": advisor})
        payload = advisor_chat(row, history, now, self.tz)
        await self.to_advisor(presence.username, {"type": "assigned", "chat": payload})

    async def publish_queue(self, now: datetime) -> None:
        """Tell visitors whose place or estimate changed, and advisors when the queue did."""
        waiting = self.waiting()
        states = self.advisor_states()
        on_shift = self.config.roster.on_shift(now)
        places = queue.positions([c.as_waiting() for c in waiting], states)
        servers = _server_counter(states, on_shift)
        for chat in waiting:
            position = places[chat.id]
            wait = estimate.estimate_wait(position, servers(chat), self.handling_s)
            if chat.position is None:
                chat.position, chat.estimate = position, wait
                await self.to_visitor(
                    chat.id, {"type": "queued", "chat": chat.id, "position": position, "estimated_wait_s": wait}
                )
            elif (position, wait) != (chat.position, chat.estimate):
                chat.position, chat.estimate = position, wait
                await self.to_visitor(chat.id, {"type": "position", "position": position, "estimated_wait_s": wait})
        head = waiting[0].id if waiting else None
        if (len(waiting), head) != self._queue_seen:
            self._queue_seen = (len(waiting), head)
            await self.to_all_advisors(self.queue_frame(now))

    def queue_frame(self, now: datetime) -> dict[str, Any]:
        waiting = self.waiting()
        oldest = round((now - waiting[0].arrived_at).total_seconds()) if waiting else 0
        return {"type": "queue", "length": len(waiting), "oldest_wait_s": oldest}

    def place_of(self, chat: LiveChat, now: datetime) -> tuple[int, int | None]:
        """Position and estimated wait of a waiting chat, as publish_queue would announce them."""
        waiting = self.waiting()
        states = self.advisor_states()
        position = queue.positions([c.as_waiting() for c in waiting], states)[chat.id]
        servers = _server_counter(states, self.config.roster.on_shift(now))(chat)
        return position, estimate.estimate_wait(position, servers, self.handling_s)

    # -- moves that end or requeue a chat (the caller holds routing_lock) -----------------------

    async def end(
        self, chat: LiveChat, *, event: ChatEvent, by: str, reason: str | None, outcome: str | None = None
    ) -> None:
        now = self.clock.now()
        chat.ended = True  # lines still queued are refused (chat_ended), not stored after the end
        try:
            async with self.db.transaction() as session:
                row = await chats.chat_by_id(session, chat_id=chat.id)
                assert row is not None
                status = next_state(ChatState(row.status), event)
                await chats.end_chat(
                    session, chat=row, status=status, ended_by=by, reason=reason, outcome=outcome, now=now
                )
                await statistics.record_ended_chat(session, chat=row, now=now, tz=self.tz)
        except BaseException:
            chat.ended = False  # not ended after all: the chat goes on
            raise
        self.chats.pop(chat.id, None)
        self.metrics.chats_ended.labels(status=status).inc()
        if chat.advisor is not None:
            presence = self.advisors.get(chat.advisor)
            if presence is not None:
                presence.chats.discard(chat.id)
                presence.past_chats.add(chat.id)
                presence.idle_since = now
            if row.assigned_at is not None:
                self.handling_s.append((now - row.assigned_at).total_seconds())
            await self.to_advisor(chat.advisor, {"type": "ended", "chat": chat.id, "by": by, "reason": reason})
        await self.to_visitor(chat.id, {"type": "ended", "by": by, "reason": reason})
        self.wake()

    async def requeue(
        self, chat: LiveChat, *, target_kind: str | None, target_value: str | None, excluded: AdvisorPresence | None
    ) -> None:
        """Back to the queue at the original arrival time (a transfer, or its advisor lost)."""
        async with self.db.transaction() as session:
            row = await chats.chat_by_id(session, chat_id=chat.id)
            assert row is not None
            row.status = next_state(ChatState(row.status), ChatEvent.REQUEUE)
            await chats.requeue_chat(
                session,
                chat=row,
                target_kind=target_kind,
                target_value=target_value,
                excluded_user_id=excluded.user_id if excluded else None,
            )
        if chat.advisor is not None and chat.advisor in self.advisors:
            self.advisors[chat.advisor].chats.discard(chat.id)
        chat.status, chat.advisor, chat.position = "waiting", None, None
        chat.target = target_from_row(target_kind, target_value)
        chat.excluded = excluded.username if excluded else None
        self.wake()

def _server_counter(states: list[AdvisorState], on_shift: frozenset[str]) -> Callable[[LiveChat], int]:
    """How many signed-in, on-shift advisors could serve a chat like this one (cached by kind)."""
    candidates = [s for s in states if s.id in on_shift and s.signed_in]
    cache: dict[tuple[object, ...], int] = {}

    def count(chat: LiveChat) -> int:
        key = (chat.language, chat.topic, chat.target, chat.excluded)
        if key not in cache:
            waiting = chat.as_waiting()
            cache[key] = sum(1 for s in candidates if can_serve(s, waiting))
        return cache[key]

    return count
