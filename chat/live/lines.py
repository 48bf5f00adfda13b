"""Writing a line into a chat: checked here, stored and announced by the hub's line writer
(chat.writer), acknowledged once stored."""

from __future__ import annotations

from typing import Any

from chat.live.service import Hub
from chat.live.state import LiveChat
from chat.live.writer import WriteFailed
from chat.wire.errors import TooLong, Unavailable


async def write(
    hub: Hub, chat: LiveChat, *, sender: str, text: str, client_id: str, user_id: int | None
) -> dict[str, Any]:
    """Store the line (once per client id), announce it, and return the `ack` for the writer."""
    if len(text) > hub.settings.max_message_chars:
        raise TooLong(f"message is longer than {hub.settings.max_message_chars} characters; nothing was stored")
    try:
        seq = await hub.writer.write(chat, sender=sender, text=text, client_id=client_id, user_id=user_id)
    except WriteFailed:
        raise Unavailable("storage cannot take the write now; nothing was saved, please retry") from None
    return {"type": "ack", "id": client_id, "seq": seq}
