"""What the advisor's commands do: connect (welcome) and leave, status, write and notes, typing,
transfer, close; and ending a user's sessions.

Each function is run by `LiveService.run`, which holds the lock where the command changes the
queue or an assignment (see chat.live.service).
"""

from __future__ import annotations

import secrets

from chat.live import lines
from chat.live.commands import (
    AdvisorConnected,
    AdvisorDisconnected,
    AdvisorSays,
    AdvisorTyping,
    CloseChat,
    EndSessions,
    SetStatus,
    TransferChat,
)
from chat.live.core import Core
from chat.live.state import AdvisorPresence, LiveChat
from chat.wire.errors import BadField, ChatEnded, NotYours
from chat.wire.outgoing import (
    Ack,
    AdvisorIdentity,
    SignedOut,
    StatusOut,
    Transferred,
    TypingOut,
    Welcome,
    at_or_none,
    chat_card,
)
from routing.lifecycle import ChatEvent
from storage import chats, duty, messages


async def connected(core: Core, command: AdvisorConnected) -> Welcome:
    """Count a socket of the advisor and build their `welcome`. A reconnect within the grace
    period finds the presence still there and keeps its status and chats."""
    user = command.user
    now = core.clock.now()
    if user.username not in core.config.users:
        await core.reload_config()
    fresh = core.state.advisor(user.username) is None
    presence = core.presence_of(user.username, now)
    async with core.db.transaction() as session:
        if fresh:
            await duty.open_period(session, user_id=presence.user_id, kind="signed_in", now=now)
        cards = []
        for chat_id in sorted(presence.chats):
            row = await chats.chat_by_id(session, chat_id=chat_id)
            history = await messages.messages_after(session, chat_id=chat_id, after=0, visitor_view=False)
            if row is not None:
                cards.append(chat_card(row, history, now, core.tz))
    core.state.advisor_connected(presence)
    core.wake()
    return Welcome(
        advisor=AdvisorIdentity(username=user.username, name=user.name, organisation=presence.organisation_name),
        on_shift=core.config.roster.shift_end(user.username, now) is not None,
        shift_ends=at_or_none(core.config.roster.shift_end(user.username, now), core.tz),
        status=presence.status,
        chats=tuple(cards),
    )


async def disconnected(core: Core, command: AdvisorDisconnected) -> None:
    presence = core.state.advisor(command.username)
    if presence is not None and core.state.advisor_disconnected(presence, core.clock.now()):
        core.wake()


def _presence(core: Core, username: str) -> AdvisorPresence:
    presence = core.state.advisor(username)
    assert presence is not None, "an advisor socket is counted before its first frame"
    return presence


async def set_status(core: Core, command: SetStatus) -> StatusOut:
    now = core.clock.now()
    presence = _presence(core, command.username)
    if command.status != presence.status:
        async with core.db.transaction() as session:
            if command.status == "available":
                await duty.open_period(session, user_id=presence.user_id, kind="available", now=now)
            else:
                await duty.close_periods(session, user_id=presence.user_id, kinds=("available",), now=now)
        core.state.status_set(presence, command.status, now)
    core.wake()
    frame = StatusOut(status=command.status, on_shift=command.username in core.config.roster.on_shift(now))
    await core.to_advisor(command.username, frame)  # the advisor's other tabs too
    return frame


def own_chat(core: Core, username: str, chat_id: str) -> LiveChat:
    chat = core.state.chat(chat_id)
    if chat is not None and chat.advisor == username:
        return chat
    presence = core.state.advisor(username)
    if chat is None and presence is not None and chat_id in presence.past_chats:
        raise ChatEnded("this chat has ended")
    raise NotYours("this chat is not assigned to you")


async def say(core: Core, command: AdvisorSays) -> Ack:
    chat = own_chat(core, command.username, command.chat_id)
    return await lines.write(
        core, chat, sender="note" if command.note else "advisor", text=command.text, client_id=command.client_id,
        user_id=_presence(core, command.username).user_id,
    )


async def typing(core: Core, command: AdvisorTyping) -> None:
    own_chat(core, command.username, command.chat_id)
    await core.to_visitor(command.chat_id, TypingOut(sender="advisor"))


async def transfer(core: Core, command: TransferChat) -> Transferred:
    """The note first, stored like every line without the lock (so the receiver sees it in the
    history); then, under the lock, the chat leaves the sender."""
    await _transfer_note(core, command)
    async with core.lock:
        return await _hand_over(core, command)


async def _transfer_note(core: Core, command: TransferChat) -> None:
    chat = own_chat(core, command.username, command.chat_id)
    _check_target(core, _presence(core, command.username), command)
    if command.note:
        await lines.write(
            core, chat, sender="note", text=command.note, client_id=f"transfer-{secrets.token_hex(8)}",
            user_id=_presence(core, command.username).user_id,
        )


async def _hand_over(core: Core, command: TransferChat) -> Transferred:
    presence = _presence(core, command.username)
    chat = own_chat(core, command.username, command.chat_id)
    _check_target(core, presence, command)
    if command.kind == "topic":
        # A chat sent to another topic simply is about that topic now.
        await core.requeue(chat, excluded=presence, topic=command.value)
    else:
        await core.requeue(chat, target_kind=command.kind, target_value=command.value, excluded=presence)
    core.state.gave_away(presence, chat.id)
    done = Transferred(chat=chat.id)
    await core.to_advisor(presence.username, done)
    return done


def _check_target(core: Core, presence: AdvisorPresence, command: TransferChat) -> None:
    config = core.config
    if command.kind == "advisor":
        if command.value == presence.username:
            raise BadField("field 'to.advisor' names yourself")
        colleague = core.state.advisor(command.value)
        if colleague is None or not colleague.connected:
            raise BadField(f"advisor {command.value!r} is not signed in")
        if command.value not in config.roster.on_shift(core.clock.now()):
            # Chats reach only advisors on shift: the chat would wait for nobody.
            raise BadField(f"advisor {command.value!r} is not on shift")
    elif command.kind == "organisation":
        if command.value not in {org.slug for org in config.organisations.values()}:
            raise BadField(f"unknown organisation {command.value!r}")
    elif command.value not in config.topics:
        raise BadField(f"unknown topic {command.value!r}")


async def close(core: Core, command: CloseChat) -> None:
    if command.outcome not in core.config.outcomes:
        raise BadField(f"unknown outcome {command.outcome!r}")
    chat = own_chat(core, command.username, command.chat_id)
    await core.end(chat, event=ChatEvent.END, by="advisor", reason=None, outcome=command.outcome)


async def end_sessions(core: Core, command: EndSessions) -> None:
    await core.to_advisor(command.username, SignedOut())
