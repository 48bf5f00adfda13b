"""What the advisor's commands do: connect (welcome) and leave, status, write and notes, typing,
transfer, a close's checks and late outcome (the closes themselves go in batches:
chat.live.closes); and ending a user's sessions.

Each function is run by `LiveService.run`, which holds the lock where the command changes the
queue or an assignment (see chat.live.service).
"""

from __future__ import annotations

import secrets

from chat.live import lines
from chat.live.blocks import BLOCKED, DURATIONS
from chat.live.commands import (
    AdvisorConnected,
    AdvisorDisconnected,
    AdvisorSays,
    AdvisorStillHere,
    AdvisorTyping,
    BlockVisitor,
    CloseChat,
    EndSessions,
    LiftBlock,
    Rejoin,
    SetStatus,
    TransferChat,
)
from chat.live.core import Core
from chat.live.state import AdvisorPresence, LiveChat
from chat.wire.errors import BadField, CannotServe, ChatEnded, NotYours, Unauthorized, Unavailable, UnknownTopic
from chat.wire.outgoing import (
    Ack,
    AdvisorIdentity,
    OutcomeSaved,
    SignedOut,
    StatusOut,
    Transferred,
    TypingOut,
    Welcome,
    at_or_none,
    chat_card,
)
from routing.advisors import can_serve
from routing.lifecycle import FINAL_STATES, ChatEvent
from routing.types import AdvisorState, Target, ToAdvisor, ToOrganisation, WaitingChat
from storage import audit, chats, duty, messages, statistics


async def connected(core: Core, command: AdvisorConnected) -> Welcome:
    """Count a socket of the advisor and build their `welcome`. A reconnect within the grace
    period finds the presence still there and keeps its status and chats."""
    now = core.clock.now()
    if command.username not in core.config.users:
        await core.reload_config()  # a user added since the configuration was loaded
    user = core.config.users.get(command.username)
    if user is None:
        raise Unauthorized("this account is not active")
    known = core.state.advisor(user.username)
    async with core.db.transaction() as session:
        if known is None:
            await duty.open_period(session, user_id=user.id or 0, kind="signed_in", now=now)
        cards = []
        for chat_id in sorted(known.chats if known else ()):
            row = await chats.chat_by_id(session, chat_id=chat_id)
            history = await messages.messages_after(session, chat_id=chat_id, after=0, visitor_view=False)
            if row is not None:
                cards.append(chat_card(row, history, now, core.tz))
    # Counted only once the sign-in is stored: a failed one leaves no presence behind.
    presence = core.presence_of(user.username, now)
    core.state.advisor_connected(presence)
    core.wake()
    return Welcome(
        advisor=AdvisorIdentity(username=user.username, name=user.name, organisation=presence.organisation_name),
        on_shift=core.config.roster.shift_end(user.username, now) is not None,
        shift_ends=at_or_none(core.config.roster.shift_end(user.username, now), core.tz),
        status=presence.status,
        chats=tuple(cards),
    )


async def rejoin(core: Core, command: Rejoin) -> None:
    """Count again what one process's sockets carry, after the live state changed hands (it was
    rebuilt from storage, nobody connected): advisors with their status, visitors' chats."""
    now = core.clock.now()
    async with core.db.transaction() as session:
        for username, sockets, status in command.advisors:
            if username not in core.config.users:
                continue  # deactivated meanwhile: their sockets are being closed
            fresh = core.state.advisor(username) is None
            presence = core.presence_of(username, now)
            if fresh:
                await duty.open_period(session, user_id=presence.user_id, kind="signed_in", now=now)
            if status == "available" and presence.status != "available":
                await duty.open_period(session, user_id=presence.user_id, kind="available", now=now)
                core.state.status_set(presence, "available", now)
            for _ in range(sockets):
                core.state.advisor_connected(presence)
    for chat_id, sockets in command.visitors:
        chat = core.state.chat(chat_id)
        if chat is not None:
            for _ in range(sockets):
                core.state.visitor_connected(chat)
    core.wake()


async def disconnected(core: Core, command: AdvisorDisconnected) -> None:
    presence = core.state.advisor(command.username)
    if presence is not None and core.state.advisor_disconnected(presence, core.clock.now()):
        core.wake()


def _presence(core: Core, username: str) -> AdvisorPresence:
    presence = core.state.advisor(username)
    if presence is None:
        # A socket is counted before its first frame, but a process that has just taken over the
        # live service knows an advisor's sockets only once their process has rejoined.
        raise Unavailable("the service is changing hands; please retry")
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


async def block(core: Core, command: BlockVisitor) -> None:
    """End the chat as blocked, and block its visitor for the duration (chat.live.blocks)."""
    if command.duration not in DURATIONS:
        raise BadField(f"field 'duration' must be one of {', '.join(DURATIONS)}")
    chat = own_chat(core, command.username, command.chat_id)
    now = core.clock.now()
    await core.end(chat, event=ChatEvent.END, by="advisor", reason=None, outcome=BLOCKED)
    block = core.blocks.add(core.blocks.keys_of(chat_id=chat.id, address=chat.address), duration=command.duration,
                            now=now)
    async with core.db.transaction() as session:
        await audit.audit(session, actor=command.username, action="visitor_block",
                          detail=f"{block.id}: {block.duration}", now=now)


async def lift_block(core: Core, command: LiftBlock) -> bool:
    lifted = core.blocks.lift(command.block_id)
    if lifted:
        async with core.db.transaction() as session:
            await audit.audit(session, actor=command.actor, action="visitor_unblock", detail=command.block_id,
                              now=core.clock.now())
    return lifted


async def still_here(core: Core, command: AdvisorStillHere) -> None:
    await core.still_here(own_chat(core, command.username, command.chat_id))


async def transfer(core: Core, command: TransferChat) -> Transferred:
    """The note first, stored like every line without the lock (so the receiver sees it in the
    history); then, under the lock, the chat leaves the sender."""
    await _transfer_note(core, command)
    async with core.lock:
        return await _hand_over(core, command)


async def _transfer_note(core: Core, command: TransferChat) -> None:
    chat = own_chat(core, command.username, command.chat_id)
    _check_target(core, _presence(core, command.username), chat, command)
    if command.note:
        await lines.write(
            core, chat, sender="note", text=command.note, client_id=f"transfer-{secrets.token_hex(8)}",
            user_id=_presence(core, command.username).user_id,
        )


async def _hand_over(core: Core, command: TransferChat) -> Transferred:
    presence = _presence(core, command.username)
    chat = own_chat(core, command.username, command.chat_id)
    _check_target(core, presence, chat, command)  # again: the colleague may have left meanwhile
    if command.kind == "topic":
        # A chat sent to another topic simply is about that topic now.
        await core.requeue(chat, excluded=presence, topic=command.value)
    else:
        await core.requeue(chat, target_kind=command.kind, target_value=command.value, excluded=presence)
    core.state.gave_away(presence, chat.id)
    done = Transferred(chat=chat.id)
    await core.to_advisor(presence.username, done)
    return done


def _check_target(core: Core, presence: AdvisorPresence, chat: LiveChat, command: TransferChat) -> None:
    """Refuse a transfer that names nobody, or that nobody signed in and on shift could take:
    the chat would wait for no one."""
    config = core.config
    if command.kind == "advisor" and command.value == presence.username:
        raise BadField("field 'to.advisor' names yourself")
    if command.kind == "organisation" and command.value not in {o.slug for o in config.organisations.values()}:
        raise BadField(f"unknown organisation {command.value!r}")
    if command.kind == "topic" and command.value not in config.topics:
        raise UnknownTopic(f"unknown topic {command.value!r}; see /api/service")
    if not _servers(core, _as_transferred(chat, presence, command)):
        raise CannotServe(_nobody(command, chat))


def _as_transferred(chat: LiveChat, presence: AdvisorPresence, command: TransferChat) -> WaitingChat:
    """The chat as it would wait after the transfer."""
    target: Target | None = None
    if command.kind == "advisor":
        target = ToAdvisor(command.value)
    elif command.kind == "organisation":
        target = ToOrganisation(command.value)
    return WaitingChat(
        id=chat.id, arrived=chat.arrived_at, topic=command.value if command.kind == "topic" else chat.topic,
        language=chat.language, target=target, excluded=presence.username,
    )


def _servers(core: Core, chat: WaitingChat) -> list[AdvisorState]:
    on_shift = core.config.roster.on_shift(core.clock.now())
    return [s for s in core.state.advisor_states() if s.signed_in and s.id in on_shift and can_serve(s, chat)]


def _nobody(command: TransferChat, chat: LiveChat) -> str:
    where = {"advisor": f"advisor {command.value!r}", "organisation": f"organisation {command.value!r}",
             "topic": f"topic {command.value!r}"}[command.kind]
    return (f"nobody signed in and on shift can take this chat at {where} (language {chat.language!r}); "
            "the chat stays with you")


def check_outcome(core: Core, outcome: str) -> None:
    """A close's outcome must be one of the service's (chat.live.closes ends the chats)."""
    if outcome not in core.config.outcomes:
        raise BadField(f"unknown outcome {outcome!r}")


async def late_outcome(core: Core, command: CloseChat) -> None:
    """For the advisor's chat that already ended without an outcome (the visitor left, it went
    idle): give it its outcome now."""
    presence = _presence(core, command.username)
    async with core.db.transaction() as session:
        row = await chats.chat_by_id(session, chat_id=command.chat_id)
        if row is None or row.advisor_id != presence.user_id or row.status not in FINAL_STATES:
            raise NotYours("this chat is not assigned to you")
        if row.outcome is not None:
            raise ChatEnded("this chat has ended and has its outcome")
        await statistics.set_late_outcome(session, chat=row, outcome=command.outcome)
    await core.to_advisor(command.username, OutcomeSaved(chat=command.chat_id, outcome=command.outcome))


async def end_sessions(core: Core, command: EndSessions) -> None:
    await core.to_advisor(command.username, SignedOut(session=command.session))
