"""What the hub does for visitor frames: start, resume, write, end, feedback."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from chat.base.digest import token_digest
from chat.live import lines
from chat.live.service import Hub
from chat.live.state import LiveChat
from chat.wire.errors import ChatEnded, NotEnded, Unauthorized, UnknownLanguage, UnknownTopic
from chat.wire.incoming import Feedback, Resume, Say, Start
from chat.wire.outgoing import at, message_frame
from routing.lifecycle import FINAL_STATES, ChatEvent
from storage import chats, messages, people, statistics
from storage.errors import STORAGE_FAILURES
from storage.tables import Chat


async def start(hub: Hub, frame: Start, chat_id: str) -> dict[str, Any]:
    """Queue a new chat under the given id and return its `queued` frame (the only one that
    carries the token), or return `closed` when the service does not take chats now."""
    config = hub.config
    if frame.topic not in config.topics:
        raise UnknownTopic(f"unknown topic {frame.topic!r}; see /api/service")
    if frame.language not in config.languages:
        raise UnknownLanguage(f"unknown language {frame.language!r}; see /api/service")
    now = hub.clock.now()
    async with hub.routing_lock:
        if not hub.accepting(now):
            return await _refuse(hub, frame, now)
        token = secrets.token_urlsafe(24)
        row = Chat(
            id=chat_id,
            token_hash=token_digest(token),
            status="waiting",
            topic=frame.topic,
            language=frame.language,
            arrived_at=now,
            last_activity_at=now,
        )
        try:
            async with hub.transaction() as session:
                await chats.add_chat(session, chat=row)
        except STORAGE_FAILURES as error:
            raise hub.storage_error(error) from error
        live = LiveChat(
            id=row.id, topic=row.topic, language=row.language, arrived_at=now, status="waiting", last_activity_at=now,
            client_seqs={},  # a new chat: nothing stored yet
        )
        hub.chats[live.id] = live
        hub.metrics.chats_started.inc()
        live.position, live.estimate = hub.place_of(live, now)
    return {"type": "queued", "chat": live.id, "token": token, "position": live.position,
            "estimated_wait_s": live.estimate}


async def _refuse(hub: Hub, frame: Start, now: Any) -> dict[str, Any]:
    reason = "closed" if not hub.is_open(now) else "unstaffed"
    hub.metrics.chats_refused.labels(reason=reason).inc()
    async with hub.transaction() as session:
        await statistics.record_refused(session, reason=reason, topic=frame.topic, language=frame.language, now=now)
    next_open = hub.config.hours.next_open(now) if reason == "closed" else None
    return {"type": "closed", "reason": reason, "next_open": at(next_open, hub.tz) if next_open else None}


async def resume(hub: Hub, frame: Resume) -> list[dict[str, Any]]:
    """Check the token; then every visible message after `after`, and the chat's current state."""
    async with hub.transaction() as session:
        row = await chats.chat_by_id(session, chat_id=frame.chat)
        if row is None or not hmac.compare_digest(row.token_hash, token_digest(frame.token)):
            raise Unauthorized("unknown chat or wrong token")
        replay = await messages.messages_after(session, chat_id=row.id, after=frame.after, visitor_view=True)
        advisor = await _advisor_card(session, row)
    frames = [message_frame(message, hub.tz) for message in replay]
    live = hub.chats.get(row.id)
    if live is None:
        frames.append({"type": "ended", "by": row.ended_by, "reason": row.end_reason})
    elif live.status == "waiting":
        position, wait = hub.place_of(live, hub.clock.now())
        frames.append({"type": "position", "position": position, "estimated_wait_s": wait})
    else:
        frames.append({"type": "assigned", "advisor": advisor})
    return frames


async def _advisor_card(session: Any, row: Chat) -> dict[str, str] | None:
    if row.advisor_id is None:
        return None
    found = await people.user_and_organisation(session, user_id=row.advisor_id)
    return {"name": found[0].name, "organisation": found[1].name} if found else None


def connected(hub: Hub, chat_id: str) -> None:
    chat = hub.chats.get(chat_id)
    if chat is not None:
        chat.visitor_sockets += 1
        chat.visitor_gone_since = None


def disconnected(hub: Hub, chat_id: str) -> None:
    chat = hub.chats.get(chat_id)
    if chat is not None:
        chat.visitor_sockets = max(0, chat.visitor_sockets - 1)
        if chat.visitor_sockets == 0:
            chat.visitor_gone_since = hub.clock.now()


def live_chat(hub: Hub, chat_id: str) -> LiveChat:
    chat = hub.chats.get(chat_id)
    if chat is None:
        raise ChatEnded("this chat has ended")
    return chat


async def say(hub: Hub, chat_id: str, frame: Say) -> dict[str, Any]:
    chat = live_chat(hub, chat_id)
    return await lines.write(hub, chat, sender="visitor", text=frame.text, client_id=frame.id, user_id=None)


async def typing(hub: Hub, chat_id: str) -> None:
    chat = live_chat(hub, chat_id)
    if chat.advisor is not None:
        await hub.to_advisor(chat.advisor, {"type": "typing", "chat": chat_id, "from": "visitor"})


async def end(hub: Hub, chat_id: str) -> None:
    async with hub.routing_lock:
        chat = live_chat(hub, chat_id)
        # A visitor who gives up while still waiting is counted as abandoned in the queue.
        event = ChatEvent.END if chat.status == "active" else ChatEvent.ABANDON
        await hub.end(chat, event=event, by="visitor", reason=None)


async def feedback(hub: Hub, chat_id: str, frame: Feedback) -> dict[str, Any]:
    if chat_id in hub.chats:
        raise NotEnded("feedback is taken once the chat has ended")
    now = hub.clock.now()
    async with hub.transaction() as session:
        row = await chats.chat_by_id(session, chat_id=chat_id)
        if row is None or row.status not in FINAL_STATES:
            raise NotEnded("feedback is taken once the chat has ended")
        comment = frame.comment[: hub.settings.max_message_chars] if frame.comment else None
        await statistics.save_feedback(session, chat=row, rating=frame.rating, comment=comment, now=now)
    return {"type": "feedback_saved"}
