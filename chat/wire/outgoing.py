"""Outgoing frames built from stored rows, in the shapes PROTOCOL.md fixes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from storage.tables import Chat, Message


def at(t: datetime, tz: ZoneInfo) -> str:
    """ISO 8601 with the service time zone's offset."""
    return t.astimezone(tz).isoformat(timespec="seconds")


def message_frame(message: Message, tz: ZoneInfo, *, chat: str | None = None) -> dict[str, Any]:
    """A server `message` frame; with `chat` for an advisor socket."""
    frame: dict[str, Any] = {"type": "message"}
    if chat is not None:
        frame["chat"] = chat
    frame.update(seq=message.seq, **{"from": message.sender}, text=message.text, at=at(message.created_at, tz))
    return frame


def history_entry(message: Message, tz: ZoneInfo) -> dict[str, Any]:
    """A message inside an advisor's <chat>: the frame without `type` and `chat`."""
    return {"seq": message.seq, "from": message.sender, "text": message.text, "at": at(message.created_at, tz)}


def advisor_chat(chat: Chat, history: Sequence[Message], now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    """The <chat> object of `welcome` and `assigned`."""
    waited_until = chat.assigned_at or now
    return {
        "id": chat.id,
        "topic": chat.topic,
        "language": chat.language,
        "waited_s": max(0, round((waited_until - chat.arrived_at).total_seconds())),
        "messages": [history_entry(message, tz) for message in history],
    }
