"""Outgoing frames as typed values, in the shapes PROTOCOL.md fixes, and the one encoder.

Every server frame is a frozen dataclass with its wire `type`; `encode` turns any of them into
the JSON text a socket sends. Field names are the wire names, except `sender` (wire: `from`, a
Python keyword). A field marked `OMITTED_WHEN_NONE` is left out while None (`token` appears only
in the first `queued`; `chat` only on advisor sockets); every other None is sent as null.

The builders at the end make frames from stored rows, formatting times in the service's zone.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import orjson

from storage.chats import ChatSummary
from storage.messages import NewLine
from storage.tables import Chat, Message

OMITTED_WHEN_NONE = {"omit_none": True}
WIRE_NAMES = {"sender": "from"}


@dataclass(frozen=True)
class OutFrame:
    type: ClassVar[str]


# -- both sockets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ack(OutFrame):
    type = "ack"
    id: str
    seq: int


@dataclass(frozen=True)
class MessageOut(OutFrame):
    """A stored line; with `chat` on an advisor socket."""

    type = "message"
    seq: int
    sender: str
    text: str
    at: str
    chat: str | None = field(default=None, metadata=OMITTED_WHEN_NONE)


@dataclass(frozen=True)
class TypingOut(OutFrame):
    type = "typing"
    sender: str
    chat: str | None = field(default=None, metadata=OMITTED_WHEN_NONE)


@dataclass(frozen=True)
class Ended(OutFrame):
    type = "ended"
    by: str | None
    reason: str | None
    chat: str | None = field(default=None, metadata=OMITTED_WHEN_NONE)


@dataclass(frozen=True)
class IdleWarning(OutFrame):
    """The chat ends for silence in `ends_in_s` unless someone writes or says they are still here."""

    type = "idle_warning"
    ends_in_s: int
    chat: str | None = field(default=None, metadata=OMITTED_WHEN_NONE)


@dataclass(frozen=True)
class VisitorLeft(OutFrame):
    """To the advisor: the visitor left by the quick exit; the chat ends after the visitor grace."""

    type = "visitor_left"
    chat: str
    quickly: bool = True


@dataclass(frozen=True)
class IdleCleared(OutFrame):
    """A party said they are still here: the idle warning is over."""

    type = "idle_cleared"
    chat: str | None = field(default=None, metadata=OMITTED_WHEN_NONE)


@dataclass(frozen=True)
class Pong(OutFrame):
    type = "pong"


@dataclass(frozen=True)
class ErrorOut(OutFrame):
    type = "error"
    code: str
    message: str


# -- the visitor's socket -------------------------------------------------------------------


@dataclass(frozen=True)
class Queued(OutFrame):
    type = "queued"
    chat: str
    position: int
    estimated_wait_s: int | None
    token: str | None = field(default=None, metadata=OMITTED_WHEN_NONE)


@dataclass(frozen=True)
class Position(OutFrame):
    type = "position"
    position: int
    estimated_wait_s: int | None


@dataclass(frozen=True)
class Closed(OutFrame):
    """Instead of `queued`: the service takes no chats now."""

    type = "closed"
    reason: str
    next_open: str | None


@dataclass(frozen=True)
class AdvisorCard:
    name: str
    organisation: str


@dataclass(frozen=True)
class VisitorAssigned(OutFrame):
    type = "assigned"
    advisor: AdvisorCard | None


@dataclass(frozen=True)
class FeedbackSaved(OutFrame):
    type = "feedback_saved"


@dataclass(frozen=True)
class SurveySaved(OutFrame):
    type = "survey_saved"


# -- the advisor's socket -------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """A message inside an advisor's <chat>: the frame without `type` and `chat`."""

    seq: int
    sender: str
    text: str
    at: str


@dataclass(frozen=True)
class ChatCard:
    """The <chat> object of `welcome` and `assigned`."""

    id: str
    topic: str
    language: str
    arrived: str  # when the visitor started it: the console names its tab by it
    waited_s: int
    messages: tuple[HistoryEntry, ...]

    @property
    def last_seq(self) -> int:
        return max((entry.seq for entry in self.messages), default=0)


@dataclass(frozen=True)
class AdvisorIdentity:
    username: str
    name: str
    organisation: str


@dataclass(frozen=True)
class Welcome(OutFrame):
    type = "welcome"
    advisor: AdvisorIdentity
    on_shift: bool
    shift_ends: str | None
    status: str
    chats: tuple[ChatCard, ...]


@dataclass(frozen=True)
class StatusOut(OutFrame):
    type = "status"
    status: str
    on_shift: bool


@dataclass(frozen=True)
class AdvisorAssigned(OutFrame):
    type = "assigned"
    chat: ChatCard


@dataclass(frozen=True)
class Transferred(OutFrame):
    type = "transferred"
    chat: str


@dataclass(frozen=True)
class OutcomeSaved(OutFrame):
    """Neuvo's own: the outcome of a chat that had ended without one is stored."""

    type = "outcome_saved"
    chat: str
    outcome: str


@dataclass(frozen=True)
class QueueOut(OutFrame):
    type = "queue"
    length: int
    oldest_wait_s: int


@dataclass(frozen=True)
class SignedOut(OutFrame):
    """The advisor's sessions ended (sign-out elsewhere, new password, deactivated): the socket
    closes with 4401 after it."""

    type = "signed_out"
    # The digest of the one session that ended (a sign-out); None: all of the user's sessions.
    session: str | None = field(default=None, metadata=OMITTED_WHEN_NONE)


# -- the encoder ----------------------------------------------------------------------------


def _wire(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_wire(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return _fields(value)
    return value


_Plan = tuple[tuple[str, str, bool], ...]
_PLANS: dict[type, _Plan] = {}


def _plan(kind: type) -> _Plan:
    """A dataclass's fields as (attribute, wire name, omitted when None), worked out once a
    class: `dataclasses.fields` builds its answer anew on every call, for every frame."""
    plan = _PLANS.get(kind)
    if plan is None:
        plan = _PLANS[kind] = tuple(
            (spec.name, WIRE_NAMES.get(spec.name, spec.name), bool(spec.metadata.get("omit_none")))
            for spec in fields(kind)
        )
    return plan


def _fields(value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, wire_name, omit_none in _plan(type(value)):
        item = getattr(value, name)
        if item is None and omit_none:
            continue
        out[wire_name] = _wire(item)
    return out


def as_json(frame: OutFrame) -> dict[str, Any]:
    """The frame as the JSON object it is on the wire."""
    return {"type": frame.type, **_fields(frame)}


def encode(frame: OutFrame) -> str:
    """Compact JSON text, non-ASCII as is (orjson: a fifth of the standard encoder's time)."""
    return orjson.dumps(as_json(frame)).decode()


# -- built from stored rows -----------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def at(t: datetime, tz: ZoneInfo) -> str:
    """ISO 8601 with the service time zone's offset. Cached: a line's time is formatted for
    each party's copy, and a batch of lines shares one time."""
    return t.astimezone(tz).isoformat(timespec="seconds")


def at_or_none(t: datetime | None, tz: ZoneInfo) -> str | None:
    return at(t, tz) if t is not None else None


def message_out(message: Message | NewLine, tz: ZoneInfo, *, chat: str | None = None) -> MessageOut:
    """A stored line (read back, or just written) as a `message` frame; with `chat` for an
    advisor socket."""
    return MessageOut(seq=message.seq, sender=message.sender, text=message.text, at=at(message.created_at, tz),
                      chat=chat)


def chat_card(chat: Chat | ChatSummary, history: Sequence[Message], now: datetime, tz: ZoneInfo) -> ChatCard:
    waited_until = chat.assigned_at or now
    return ChatCard(
        id=chat.id,
        topic=chat.topic,
        language=chat.language,
        arrived=at(chat.arrived_at, tz),
        waited_s=max(0, round((waited_until - chat.arrived_at).total_seconds())),
        messages=tuple(
            HistoryEntry(seq=m.seq, sender=m.sender, text=m.text, at=at(m.created_at, tz)) for m in history
        ),
    )
