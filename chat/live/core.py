"""The inside of the live service: its state, its configuration, and the moves every command is
made of (assign, requeue, end; routing decisions; delivery).

Theory of operation: every change to a chat is first made durable in one transaction, then
applied to the working copy (`LiveState`), then delivered through the broker. Only
`chat.live.service.LiveService.run` reaches a `Core`, and it holds `Core.lock` around every
command that changes the queue or an assignment, so the moves here may assume it is held.
Lines are the exception: they go through the line writer's group commit (chat.live.writer),
which gives each its seq in arrival order without the lock. Starts come in batches too
(chat.live.starts), under the lock, and `dispatch` stores a whole routing decision in one
transaction.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from chat.base.clock import Clock
from chat.base.metrics import Metrics
from chat.base.ratelimit import SlidingCounter
from chat.base.settings import Settings
from chat.broker import Broker
from chat.broker.channels import advisor_channel, visitor_channel
from chat.live.blocks import Blocks
from chat.live.config import ServiceConfig, load_config
from chat.live.state import AdvisorPresence, LiveChat, LiveState, target_from_row
from chat.live.writer import LineWriter
from chat.wire.outgoing import (
    AdvisorAssigned,
    AdvisorCard,
    Ended,
    IdleCleared,
    IdleWarning,
    OutFrame,
    VisitorAssigned,
    chat_card,
    message_out,
)
from routing import policy
from routing.lifecycle import ChatEvent, ChatState, next_state
from storage import chats, messages, service, statistics
from storage.database import Database
from storage.messages import NewLine

# A burst's assignments in transactions of this many: what one holds (rows, cards, frames) is
# made and freed again and again in the same memory, not all at once in memory a process then
# keeps (docs/benchmarks.md, "memory per socket"); the first visitors hear sooner too.
ASSIGNMENTS_PER_TRANSACTION = 100

log = logging.getLogger("neuvo.live")


@dataclass(frozen=True)
class Ending:
    """A chat to end: the lifecycle event, who ended it, why, and the advisor's outcome."""

    chat: LiveChat
    event: ChatEvent
    by: str
    reason: str | None
    outcome: str | None = None


class Core:
    def __init__(
        self, *, db: Database, broker: Broker, settings: Settings, clock: Clock, metrics: Metrics | None = None
    ) -> None:
        self.db = db
        self.broker = broker
        self.settings = settings
        self.clock = clock
        self.tz = settings.tz
        self.state = LiveState()
        self.lock = asyncio.Lock()
        self.wakeup = asyncio.Event()
        self.metrics = metrics or Metrics()
        self.metrics.watch(self._gauges)
        self.new_chats_per_address = SlidingCounter(limit=settings.chats_per_address, window=600)
        self.blocks = Blocks()
        self.writer = LineWriter(db=db, clock=clock, announce=self.announce_line)
        self._config: ServiceConfig | None = None
        self.config_loaded_at = datetime.min.replace(tzinfo=self.tz)

    def _gauges(self) -> dict[str, tuple[str, float]]:
        chats = list(self.state.chats())
        waiting = sum(1 for chat in chats if chat.waiting)
        advisors = list(self.state.advisors())
        return {
            "neuvo_live_state_owner": ("1 on the process that owns the live state (the gauges below).", 1),
            "neuvo_queue_length": ("Chats waiting in the queue.", waiting),
            "neuvo_active_chats": ("Chats with an advisor.", len(chats) - waiting),
            "neuvo_advisors_signed_in": ("Advisors connected or within their reconnect grace.", len(advisors)),
            "neuvo_advisors_available": (
                "Advisors available for chats.", sum(1 for p in advisors if p.status == "available")
            ),
        }

    # -- configuration -------------------------------------------------------------------------

    @property
    def config(self) -> ServiceConfig:
        assert self._config is not None, "the service loads its configuration before it starts"
        return self._config

    async def reload_config(self) -> None:
        now = self.clock.now()
        async with self.db.transaction() as session:
            self._config = await load_config(session, now=now, tz=self.tz)
        self.config_loaded_at = now

    async def config_is_stale(self) -> bool:
        """Whether an administrative change (made here, in another process or by the CLI) came
        after the configuration in use: one small read."""
        async with self.db.transaction() as session:
            return await service.config_version(session) != self.config.version

    def presence_of(self, username: str, now: datetime) -> AdvisorPresence:
        """The advisor's presence, made (away, no chats, no socket yet: their grace running from
        now) when they have none."""
        presence = self.state.advisor(username)
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
            self.state.add_advisor(presence)
        return presence

    def username_of(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        return next((u.username for u in self.config.users.values() if u.id == user_id), None)

    # -- service state -------------------------------------------------------------------------

    def is_open(self, now: datetime) -> bool:
        return self.config.hours.is_open(now)

    def on_duty(self, now: datetime) -> list[AdvisorPresence]:
        """The advisors on shift and signed in (available or away, or within the reconnect grace)."""
        on_shift = self.config.roster.on_shift(now)
        return [presence for presence in self.state.advisors() if presence.username in on_shift]

    def accepting(self, now: datetime) -> bool:
        """Open, and an advisor who is on shift is signed in (available or away)."""
        return self.is_open(now) and bool(self.on_duty(now))

    # -- delivery ------------------------------------------------------------------------------

    async def to_visitor(self, chat_id: str, frame: OutFrame) -> None:
        await self.broker.publish(visitor_channel(chat_id), frame)

    async def to_advisor(self, username: str, frame: OutFrame) -> None:
        await self.broker.publish(advisor_channel(username), frame)

    async def to_all_advisors(self, frame: OutFrame) -> None:
        for presence in self.state.advisors():
            await self.to_advisor(presence.username, frame)

    async def announce_line(self, chat: LiveChat, message: NewLine) -> None:
        """Send a stored line to whoever may see it: notes reach the advisor only."""
        self.metrics.messages_stored.labels(sender=message.sender).inc()
        if message.sender != "note":
            self.state.active(chat, message.created_at)
            await self.to_visitor(chat.id, message_out(message, self.tz))
        if chat.advisor is not None:
            await self.to_advisor(chat.advisor, message_out(message, self.tz, chat=chat.id))

    async def warn_idle(self, chat: LiveChat, ends_in_s: int) -> None:
        """Tell both parties the chat ends for silence soon, once per silence."""
        self.state.idle_warned(chat)
        await self.to_visitor(chat.id, IdleWarning(ends_in_s=ends_in_s))
        if chat.advisor is not None:
            await self.to_advisor(chat.advisor, IdleWarning(ends_in_s=ends_in_s, chat=chat.id))

    async def still_here(self, chat: LiveChat) -> None:
        """A party answered the idle warning: the idle clock starts again, and both hear it."""
        self.state.active(chat, self.clock.now())
        await self.to_visitor(chat.id, IdleCleared())
        if chat.advisor is not None:
            await self.to_advisor(chat.advisor, IdleCleared(chat=chat.id))

    def wake(self) -> None:
        """Ask the dispatcher for a routing decision soon."""
        self.wakeup.set()

    # -- the moves (the lock is held) ----------------------------------------------------------

    async def dispatch(self, now: datetime) -> None:
        """Ask routing who gets which waiting chat, and hand them all out in one transaction."""
        advisors = self.state.advisor_states()
        if not any(a.available and a.active < a.capacity for a in advisors):
            return  # nobody has room: no need to look at the queue
        decided = policy.assign(
            self.state.queue(),
            advisors,
            self.config.roster.on_shift(now),
            self.state.week_counts,
            self.config.rostered_hours,
        )
        pairs = []
        for assignment in decided:
            chat, presence = self.state.chat(assignment.chat), self.state.advisor(assignment.advisor)
            assert chat is not None and presence is not None, "routing decides over the live state"
            pairs.append((chat, presence))
        for first in range(0, len(pairs), ASSIGNMENTS_PER_TRANSACTION):
            await self._assign(pairs[first:first + ASSIGNMENTS_PER_TRANSACTION], now)

    async def _assign(self, decided: list[tuple[LiveChat, AdvisorPresence]], now: datetime) -> None:
        async with self.db.transaction() as session:
            rows = await chats.summaries_to_change(session, chat_ids=[chat.id for chat, _ in decided])
            # Several processes: an owner that lost its lease unnoticed may still be routing; the
            # database decides, so a chat is never handed out twice.
            still = [(chat, presence) for chat, presence in decided if rows[chat.id].status == ChatState.WAITING]
            if len(still) < len(decided):
                log.error("%d assignments skipped: the chat is no longer waiting in storage", len(decided) - len(still))
            await chats.assign_chats(session, handovers=[
                chats.Handover(rows[chat.id], next_state(chat.status, ChatEvent.ASSIGN), presence.user_id,
                               presence.organisation_id)
                for chat, presence in still
            ], now=now)
            said = [chat.id for chat, _ in still if rows[chat.id].last_seq > 0]  # a new chat has no history
            histories = await messages.histories(session, chat_ids=said) if said else {}
        for chat, presence in still:
            self.state.assigned(chat, presence, now)
            await self.to_visitor(chat.id, VisitorAssigned(
                advisor=AdvisorCard(name=presence.name, organisation=presence.organisation_name)))
            card = chat_card(rows[chat.id], histories.get(chat.id, []), now, self.tz)
            await self.to_advisor(presence.username, AdvisorAssigned(chat=card))

    async def end(
        self, chat: LiveChat, *, event: ChatEvent, by: str, reason: str | None, outcome: str | None = None
    ) -> None:
        await self.end_many([Ending(chat, event, by, reason, outcome)])

    async def end_many(self, endings: list[Ending]) -> None:
        """End the chats in one transaction, then tell their parties; if it fails, none ended."""
        now = self.clock.now()
        for ending in endings:
            ending.chat.ended = True  # lines still queued are refused (chat_ended), not stored after the end
        try:
            async with self.db.transaction() as session:
                rows = await chats.end_chats(session, closings=[
                    chats.Closing(ending.chat.id, next_state(ending.chat.status, ending.event), ending.by,
                                  ending.reason, ending.outcome)
                    for ending in endings
                ], now=now)
                await statistics.record_ended_chats(session, chats=rows, now=now, tz=self.tz)
        except BaseException:
            for ending in endings:
                ending.chat.ended = False  # not ended after all: the chat goes on
            raise
        for ending, row in zip(endings, rows, strict=True):
            await self._ended(ending, row.status, row.assigned_at, now)
        self.wake()

    async def _ended(self, ending: Ending, status: str, assigned_at: datetime | None, now: datetime) -> None:
        chat = ending.chat
        handled = (now - assigned_at).total_seconds() if chat.advisor and assigned_at else None
        self.state.ended(chat, now=now, handled_s=handled)
        self.metrics.chats_ended.labels(status=status).inc()
        if chat.advisor is not None:
            await self.to_advisor(chat.advisor, Ended(chat=chat.id, by=ending.by, reason=ending.reason))
        await self.to_visitor(chat.id, Ended(by=ending.by, reason=ending.reason))

    async def requeue(
        self, chat: LiveChat, *, target_kind: str | None = None, target_value: str | None = None,
        excluded: AdvisorPresence | None = None, topic: str | None = None,
    ) -> None:
        """Back to the queue at the original arrival time (a transfer, or its advisor lost);
        with `topic`, as a chat about that topic now."""
        async with self.db.transaction() as session:
            row = await chats.chat_by_id(session, chat_id=chat.id)
            assert row is not None
            await chats.requeue_chat(
                session,
                chat=row,
                status=next_state(chat.status, ChatEvent.REQUEUE),
                target_kind=target_kind,
                target_value=target_value,
                excluded_user_id=excluded.user_id if excluded else None,
                topic=topic,
            )
        if topic is not None:
            self.state.retopiced(chat, topic)
        self.state.requeued(
            chat, target=target_from_row(target_kind, target_value), excluded=excluded.username if excluded else None
        )
        self.wake()

    def active_without_advisor(self) -> list[LiveChat]:
        return [c for c in self.state.chats() if c.status is ChatState.ACTIVE and c.advisor is None]
