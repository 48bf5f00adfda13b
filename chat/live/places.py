"""Queue positions and wait estimates, as routing computes them, and telling visitors and advisors
when theirs changed.

Telling is coalesced: the announcer runs at once when the queue first changes, then at most
every ANNOUNCE_EVERY_S while changes keep coming, and each run sends a frame only to the
visitors whose position or estimate differs from what they were last told. So a burst of
arrivals and assignments costs each waiting visitor a few frames a second at most, however
many chats move. The positions themselves come from the live state (`LiveState.position`),
which keeps them as chats arrive and works them out again, in one pass, only after other
changes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from chat.live.core import Core
from chat.live.state import LiveChat
from chat.wire.outgoing import Position, Queued, QueueOut
from routing import estimate
from routing.advisors import can_serve
from routing.types import AdvisorState

log = logging.getLogger("neuvo.live")
ANNOUNCE_EVERY_S = 0.25
ANNOUNCED_AT_A_TIME = 200


class Places:
    """Positions and estimates at one instant, with the advisors who could serve each kind of
    chat counted once for all the chats asked about."""

    def __init__(self, core: Core, now: datetime) -> None:
        self._state = core.state
        self._servers = _server_counter(core.state.advisor_states(), core.config.roster.on_shift(now))
        self._wait = estimate.estimator(core.state.handling_s)

    def of(self, chat: LiveChat) -> tuple[int, int | None]:
        position = self._state.position(chat)
        return position, self._wait(position, self._servers(chat))


def place_of(core: Core, chat: LiveChat, now: datetime) -> tuple[int, int | None]:
    """Position and estimated wait of a waiting chat, as `QueueAnnouncer.publish` would say."""
    return Places(core, now).of(chat)


class QueueAnnouncer:
    """Remembers what advisors were last told about the queue, so they hear only of changes."""

    def __init__(self) -> None:
        self._seen: tuple[int, str | None] = (-1, None)
        self._due = asyncio.Event()

    def soon(self) -> None:
        """Ask for an announcement: now, or when the last one is ANNOUNCE_EVERY_S old."""
        self._due.set()

    async def run(self, core: Core) -> None:
        while True:
            await self._due.wait()
            self._due.clear()
            try:
                await self.publish(core)
            except Exception:
                log.exception("announcing the queue failed")  # the next change tries again
            await asyncio.sleep(ANNOUNCE_EVERY_S)

    async def publish(self, core: Core) -> None:
        """Tell visitors whose place or estimate changed, and advisors when the queue did.

        A campaign's queue is thousands long: its visitors are told ANNOUNCED_AT_A_TIME at a
        time, each slice under the lock with the places as they are then, and the loop is let
        go between slices, so that a routing decision or a line waits for one slice at most,
        not for the whole queue.
        """
        waiting = core.state.waiting()
        for first in range(0, len(waiting), ANNOUNCED_AT_A_TIME):
            async with core.lock:
                await self._tell(core, waiting[first:first + ANNOUNCED_AT_A_TIME], core.clock.now())
            await asyncio.sleep(0)
        async with core.lock:
            now = core.clock.now()
            queue = core.state.waiting()
            head = queue[0].id if queue else None
            if (len(queue), head) != self._seen:
                self._seen = (len(queue), head)
                await core.to_all_advisors(queue_frame(core, now))

    async def _tell(self, core: Core, chats: list[LiveChat], now: datetime) -> None:
        places = Places(core, now)
        for chat in chats:
            if not chat.waiting or core.state.chat(chat.id) is not chat:
                continue  # handed out or gone since the slice was taken
            position, wait = places.of(chat)
            if chat.position is None:
                core.state.placed(chat, position, wait)
                await core.to_visitor(chat.id, Queued(chat=chat.id, position=position, estimated_wait_s=wait))
            elif (position, wait) != (chat.position, chat.estimate):
                core.state.placed(chat, position, wait)
                await core.to_visitor(chat.id, Position(position=position, estimated_wait_s=wait))


def queue_frame(core: Core, now: datetime) -> QueueOut:
    waiting = core.state.queue()
    oldest = round((now - waiting[0].arrived).total_seconds()) if waiting else 0
    return QueueOut(length=len(waiting), oldest_wait_s=oldest)


def _server_counter(states: list[AdvisorState], on_shift: frozenset[str]) -> Callable[[LiveChat], int]:
    """How many available, on-shift advisors could serve a chat like this one (cached by kind).
    Advisors who are away count for nothing: while all are, no wait can be promised."""
    candidates = [s for s in states if s.id in on_shift and s.signed_in and s.available]
    cache: dict[tuple[object, ...], int] = {}

    def count(chat: LiveChat) -> int:
        key = (chat.language, chat.topic, chat.target, chat.excluded)
        if key not in cache:
            waiting = chat.as_waiting()
            cache[key] = sum(1 for s in candidates if can_serve(s, waiting))
        return cache[key]

    return count
