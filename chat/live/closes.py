"""Advisors' closes in batches: every `close` that came in while the previous batch was being
stored ends its chat in one transaction together (chat.live.batches), under the service's lock.

When a campaign's queue waits, every advisor closing a chat frees a place the next visitor
takes at once; each close its own transaction under the lock had made fifty advisors closing
together wait for one another, and the next chat for all of them. Durable before announced
holds close by close: `ended` goes out, and the close is answered, once the transaction has
committed; a failed transaction ends none of its chats, and each close is `unavailable`. The
freed places are handed out in the same hold of the lock, straight after.
"""

from __future__ import annotations

import logging

from chat.live import advisor_commands as advisor
from chat.live.batches import Pending
from chat.live.commands import CloseChat
from chat.live.core import Core, Ending
from chat.wire.errors import ChatEnded, ProtocolError
from routing.lifecycle import ChatEvent
from storage.errors import STORAGE_FAILURES

log = logging.getLogger("neuvo.live")
MAX_BATCH = 200
REFUSED: tuple[type[Exception], ...] = (ProtocolError, *STORAGE_FAILURES)
Close = Pending[CloseChat, None]


async def settle(core: Core, batch: list[Close]) -> None:
    """End the batch's chats together; a close refused on its own (a late outcome, another's
    chat) is answered on its own."""
    async with core.lock:
        endings: dict[str, tuple[Close, Ending]] = {}
        for pending in batch:
            try:
                ending = await _ending(core, pending.request, endings)
            except REFUSED as error:  # a late outcome not stored fails this close alone
                pending.fail(error)
                continue
            if ending is None:
                pending.answer(None)
            else:
                endings[ending.chat.id] = (pending, ending)
        if not endings:
            return
        try:
            await core.end_many([ending for _, ending in endings.values()])
        except Exception as error:
            for pending, _ in endings.values():
                pending.fail(error)  # a storage failure: `unavailable` for each (LiveService.run)
            return
        for pending, _ in endings.values():
            pending.answer(None)
        # The places just freed go to the queue before anything else takes the lock: left to the
        # woken dispatcher, they waited for the next batch of closes, and the queue with them.
        try:
            await core.dispatch(core.clock.now())
        except STORAGE_FAILURES as error:
            log.error("dispatch after closes failed: %s", type(error).__name__)  # woken: it tries again


async def _ending(core: Core, close: CloseChat, endings: dict[str, tuple[Close, Ending]]) -> Ending | None:
    """The chat this close ends, or None when it gave an ended chat its outcome instead."""
    advisor.check_outcome(core, close.outcome)
    if close.chat_id in endings:
        raise ChatEnded("this chat has ended")  # closed twice at once: the first counts
    if core.state.chat(close.chat_id) is None:
        await advisor.late_outcome(core, close)
        return None
    chat = advisor.own_chat(core, close.username, close.chat_id)
    return Ending(chat, ChatEvent.END, "advisor", None, close.outcome)
