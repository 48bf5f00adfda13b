"""Writing a line into a chat: stored under the next seq, then announced; a repeated client id
is answered with the seq it already has and stored nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from chat.errors import TooLong
from chat.frames import message_frame
from chat.hub import Hub
from chat.live import LiveChat
from storage import messages
from storage.tables import Message


async def write(
    hub: Hub, chat: LiveChat, *, sender: str, text: str, client_id: str, user_id: int | None
) -> dict[str, Any]:
    """Store the line, announce it, and return the `ack` for the writer."""
    if len(text) > hub.settings.max_message_chars:
        raise TooLong(f"message is longer than {hub.settings.max_message_chars} characters; nothing was stored")
    now = hub.clock.now()
    async with hub.chat_lock(chat.id):
        try:
            async with hub.transaction() as session:
                stored = await messages.message_by_client_id(session, chat_id=chat.id, client_id=client_id)
                if stored is not None:
                    return {"type": "ack", "id": client_id, "seq": stored.seq}
                message = await messages.append_message(
                    session, chat_id=chat.id, sender=sender, text=text, client_id=client_id, user_id=user_id, now=now
                )
        except IntegrityError:
            # The same id raced in on another socket of the same party: it is stored once.
            async with hub.transaction() as session:
                stored = await messages.message_by_client_id(session, chat_id=chat.id, client_id=client_id)
            if stored is None:
                raise
            return {"type": "ack", "id": client_id, "seq": stored.seq}
        except (SQLAlchemyError, OSError) as error:
            raise hub.storage_error(error) from error
        hub.metrics.messages_stored.labels(sender=sender).inc()
        if sender != "note":
            chat.last_activity_at = now
        await announce(hub, chat, message)
    return {"type": "ack", "id": client_id, "seq": message.seq}


async def announce(hub: Hub, chat: LiveChat, message: Message) -> None:
    """Send a stored line to whoever may see it: notes reach the advisor only."""
    if message.sender != "note":
        await hub.to_visitor(chat.id, message_frame(message, hub.tz))
    if chat.advisor is not None:
        await hub.to_advisor(chat.advisor, message_frame(message, hub.tz, chat=chat.id))
