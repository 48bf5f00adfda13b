"""Starting chats in batches: every start that came in while the previous batch was being stored
is checked, stored in one transaction and queued together (chat.live.batches), under the
service's lock.

Durable before announced still holds start by start: a `queued` (or a `closed`, whose refusal
the statistics count) is answered only once the transaction holding it has committed. The
checks run one start after another in arrival order, each counting the ones before it in the
same batch, so starts sent at once from one address cannot slip past its limits together. A
failed transaction fails every start of its batch: nothing of it was stored, each is
`unavailable`, and the counts it took are given back.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from chat.base.digest import token_digest
from chat.live.batches import Pending
from chat.live.commands import StartChat
from chat.live.core import Core
from chat.live.places import Places
from chat.live.state import LiveChat
from chat.wire.errors import ProtocolError, RateLimited, UnknownLanguage, UnknownTopic
from chat.wire.outgoing import Closed, Queued, at_or_none
from routing.lifecycle import ChatState
from storage import chats, statistics

MAX_BATCH = 500
Start = Pending[StartChat, Queued | Closed]


@dataclass
class _Admitted:
    pending: Start
    row: chats.NewChat
    token: str


@dataclass
class _Refused:
    pending: Start
    reason: str


def check(core: Core, start: StartChat) -> None:
    """What can be refused before the start joins a batch: an unknown topic or language."""
    if start.topic not in core.config.topics:
        raise UnknownTopic(f"unknown topic {start.topic!r}; see /api/service")
    if start.language not in core.config.languages:
        raise UnknownLanguage(f"unknown language {start.language!r}; see /api/service")


async def admit(core: Core, batch: list[Start]) -> None:
    """Check, store and queue a batch of starts, answering each."""
    # In id order, which is creation order: chats stored at one instant then join the back of
    # the queue one after another (the cheap way, see LiveState).
    batch = sorted(batch, key=lambda pending: pending.request.chat_id)
    async with core.lock:
        now = core.clock.now()
        decided = _decide(core, batch, now)
        try:
            async with core.db.transaction() as session:
                await chats.add_chats(
                    session, chats=[d.row for d in decided if isinstance(d, _Admitted)], status=ChatState.WAITING,
                    now=now,
                )
                for refused in (d for d in decided if isinstance(d, _Refused)):
                    start = refused.pending.request
                    await statistics.record_refused(
                        session, reason=refused.reason, topic=start.topic, language=start.language, now=now
                    )
        except Exception as error:
            for d in decided:
                core.new_chats_per_address.take_back(d.pending.request.address)
                d.pending.fail(error)  # a storage failure: `unavailable` for each (LiveService.run)
            return
        _queue(core, [d for d in decided if isinstance(d, _Admitted)], now)
        for refused in (d for d in decided if isinstance(d, _Refused)):
            _answer_refused(core, refused, now)
    core.wake()


def _decide(core: Core, batch: list[Start], now: datetime) -> list[_Admitted | _Refused]:
    """Each start checked in turn; the refused by a limit are answered at once."""
    accepting = core.accepting(now)
    waiting_here: Counter[str] = Counter()  # admitted in this batch, by address
    decided: list[_Admitted | _Refused] = []
    for pending in batch:
        start = pending.request
        try:
            _within_limits(core, start, waiting_here[start.address])
        except ProtocolError as error:
            pending.fail(error)
            continue
        if core.blocks.blocks(core.blocks.keys_of(chat_id=start.previous_chat, address=start.address), now):
            # As neutral as can be: what anyone is told when nobody is free, and the offline form.
            pending.answer(Closed(reason="unstaffed", next_open=None))
            continue
        # Counted as decided (given back if the batch fails): a refused start counts too, so a
        # script cannot fill the statistics with refusals.
        core.new_chats_per_address.add(start.address, time.monotonic())
        if not accepting:
            decided.append(_Refused(pending, "closed" if not core.is_open(now) else "unstaffed"))
            continue
        waiting_here[start.address] += 1
        token = secrets.token_urlsafe(24)
        row = chats.NewChat(start.chat_id, token_digest(token), start.topic, start.language)
        decided.append(_Admitted(pending, row, token))
    return decided


def _within_limits(core: Core, start: StartChat, admitted_here: int) -> None:
    if core.new_chats_per_address.exceeded(start.address, time.monotonic()):
        raise RateLimited("too many new chats from this address; try again later")
    waiting = core.state.waiting_from(start.address) + admitted_here
    if 0 < core.settings.waiting_per_address <= waiting:
        raise RateLimited("this address already has chats waiting; try again when one is answered")


def _queue(core: Core, admitted: list[_Admitted], now: datetime) -> None:
    """The stored chats into the live queue, each answered with its `queued`."""
    live = []
    for a in admitted:
        chat = LiveChat(
            id=a.row.id, topic=a.row.topic, language=a.row.language, arrived_at=now, status=ChatState.WAITING,
            last_activity_at=now, client_seqs={},  # a new chat: nothing stored yet
            address=a.pending.request.address,
        )
        core.state.add_chat(chat)
        live.append(chat)
    places = Places(core, now)
    for a, chat in zip(admitted, live, strict=True):
        position, wait = places.of(chat)
        core.state.placed(chat, position, wait)
        core.metrics.chats_started.inc()
        a.pending.answer(Queued(chat=chat.id, token=a.token, position=position, estimated_wait_s=wait))


def _answer_refused(core: Core, refused: _Refused, now: datetime) -> None:
    core.metrics.chats_refused.labels(reason=refused.reason).inc()
    next_open = core.config.hours.next_open(now) if refused.reason == "closed" else None
    refused.pending.answer(Closed(reason=refused.reason, next_open=at_or_none(next_open, core.tz)))
