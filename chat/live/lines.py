"""Writing a line into a chat: checked here, stored and announced by the line writer
(chat.live.writer), acknowledged once stored."""

from __future__ import annotations

from chat.live.core import Core
from chat.live.state import LiveChat
from chat.live.writer import WriteFailed
from chat.wire.errors import TooLong, storage_failure
from chat.wire.outgoing import Ack


async def write(core: Core, chat: LiveChat, *, sender: str, text: str, client_id: str, user_id: int | None) -> Ack:
    """Store the line (once per client id), announce it, and return the `ack` for the writer."""
    limit = core.settings.max_message_chars
    if len(text) > limit:
        raise TooLong(f"message is longer than {limit} characters; nothing was stored")
    try:
        seq = await core.writer.write(chat, sender=sender, text=text, client_id=client_id, user_id=user_id)
    except WriteFailed as failed:
        raise storage_failure(failed.cause) from failed
    return Ack(id=client_id, seq=seq)
