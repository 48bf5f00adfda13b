"""What the hub does for advisor frames: welcome, status, write, notes, transfer, close."""

from __future__ import annotations

import secrets
from typing import Any

from chat.live import lines
from chat.live.service import Hub
from chat.live.state import AdvisorPresence, LiveChat
from chat.wire.errors import BadField, ChatEnded, NotYours
from chat.wire.incoming import Close, Say, Transfer
from chat.wire.outgoing import advisor_chat, at
from routing.lifecycle import ChatEvent
from storage import chats, duty, messages
from storage.tables import User


async def connected(hub: Hub, user: User) -> dict[str, Any]:
    """Register a socket of the advisor and build their `welcome`. A reconnect within the grace
    period finds the presence still there and keeps its status and chats."""
    now = hub.clock.now()
    async with hub.routing_lock:
        if user.username not in hub.config.users:
            await hub.reload_config()
        fresh = user.username not in hub.advisors
        # Made as if gone, and counted only once the welcome is ready: a handshake that fails
        # half way leaves a presence whose grace runs out, not a ghost that never does.
        presence = hub.presence_of(user.username, now)
        if fresh:
            async with hub.transaction() as session:
                await duty.open_period(session, user_id=presence.user_id, kind="signed_in", now=now)
        chat_ids = sorted(presence.chats)
        async with hub.transaction() as session:
            payloads = []
            for chat_id in chat_ids:
                row = await chats.chat_by_id(session, chat_id=chat_id)
                history = await messages.messages_after(session, chat_id=chat_id, after=0, visitor_view=False)
                if row is not None:
                    payloads.append(advisor_chat(row, history, now, hub.tz))
        presence.sockets += 1
        presence.gone_since = None
    shift_end = hub.config.roster.shift_end(user.username, now)
    welcome = {
        "type": "welcome",
        "advisor": {"username": user.username, "name": user.name, "organisation": presence.organisation_name},
        "on_shift": shift_end is not None,
        "shift_ends": at(shift_end, hub.tz) if shift_end else None,
        "status": presence.status,
        "chats": payloads,
    }
    hub.wake()
    return welcome


def disconnected(hub: Hub, username: str) -> None:
    presence = hub.advisors.get(username)
    if presence is not None:
        presence.sockets = max(0, presence.sockets - 1)
        if presence.sockets == 0:
            presence.gone_since = hub.clock.now()
            hub.wake()


async def set_status(hub: Hub, username: str, status: str) -> dict[str, Any]:
    now = hub.clock.now()
    async with hub.routing_lock:
        presence = hub.advisors[username]
        if status != presence.status:
            async with hub.transaction() as session:
                if status == "available":
                    await duty.open_period(session, user_id=presence.user_id, kind="available", now=now)
                else:
                    await duty.close_periods(session, user_id=presence.user_id, kinds=("available",), now=now)
            presence.status = status
            presence.idle_since = now
    hub.wake()
    frame = {"type": "status", "status": status, "on_shift": username in hub.config.roster.on_shift(now)}
    await hub.to_advisor(username, frame)
    return frame


def own_chat(hub: Hub, username: str, chat_id: str) -> LiveChat:
    chat = hub.chats.get(chat_id)
    if chat is not None and chat.advisor == username:
        return chat
    presence = hub.advisors.get(username)
    if chat is None and presence is not None and chat_id in presence.past_chats:
        raise ChatEnded("this chat has ended")
    raise NotYours("this chat is not assigned to you")


async def say(hub: Hub, presence: AdvisorPresence, frame: Say) -> dict[str, Any]:
    chat = own_chat(hub, presence.username, frame.chat)
    sender = "note" if frame.note else "advisor"
    return await lines.write(
        hub, chat, sender=sender, text=frame.text, client_id=frame.id, user_id=presence.user_id
    )


async def typing(hub: Hub, username: str, chat_id: str) -> None:
    own_chat(hub, username, chat_id)
    await hub.to_visitor(chat_id, {"type": "typing", "from": "advisor"})


async def transfer(hub: Hub, presence: AdvisorPresence, frame: Transfer) -> dict[str, Any]:
    chat = own_chat(hub, presence.username, frame.chat)
    _check_target(hub, presence, frame)
    if frame.note:
        await lines.write(
            hub, chat, sender="note", text=frame.note, client_id=f"transfer-{secrets.token_hex(8)}",
            user_id=presence.user_id,
        )
    async with hub.routing_lock:
        chat = own_chat(hub, presence.username, frame.chat)
        if frame.kind == "topic":
            # A chat sent to another topic simply is about that topic now.
            chat.topic = frame.value
            async with hub.transaction() as session:
                await chats.set_topic(session, chat_id=chat.id, topic=frame.value)
            await hub.requeue(chat, target_kind=None, target_value=None, excluded=presence)
        else:
            await hub.requeue(chat, target_kind=frame.kind, target_value=frame.value, excluded=presence)
        presence.past_chats.add(chat.id)
    done = {"type": "transferred", "chat": chat.id}
    await hub.to_advisor(presence.username, done)
    return done


def _check_target(hub: Hub, presence: AdvisorPresence, frame: Transfer) -> None:
    config = hub.config
    if frame.kind == "advisor":
        if frame.value == presence.username:
            raise BadField("field 'to.advisor' names yourself")
        if frame.value not in hub.advisors or hub.advisors[frame.value].sockets == 0:
            raise BadField(f"advisor {frame.value!r} is not signed in")
        if frame.value not in hub.config.roster.on_shift(hub.clock.now()):
            # Chats reach only advisors on shift: the chat would wait for nobody.
            raise BadField(f"advisor {frame.value!r} is not on shift")
    elif frame.kind == "organisation":
        if frame.value not in {org.slug for org in config.organisations.values()}:
            raise BadField(f"unknown organisation {frame.value!r}")
    elif frame.value not in config.topics:
        raise BadField(f"unknown topic {frame.value!r}")


async def close(hub: Hub, presence: AdvisorPresence, frame: Close) -> None:
    if frame.outcome not in hub.config.outcomes:
        raise BadField(f"unknown outcome {frame.outcome!r}")
    async with hub.routing_lock:
        chat = own_chat(hub, presence.username, frame.chat)
        await hub.end(chat, event=ChatEvent.END, by="advisor", reason=None, outcome=frame.outcome)
