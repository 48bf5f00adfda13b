"""What the hub holds in memory about chats and advisors that are live right now.

The database is the record; this is the working copy the routing core is fed from. It is
rebuilt from the database on start (see Hub.start).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from routing.types import AdvisorState, Target, ToAdvisor, ToOrganisation, WaitingChat


@dataclass
class LiveChat:
    id: str
    topic: str
    language: str
    arrived_at: datetime
    status: str
    last_activity_at: datetime
    advisor: str | None = None
    target: Target | None = None
    excluded: str | None = None
    visitor_sockets: int = 0
    visitor_gone_since: datetime | None = None
    position: int | None = None
    estimate: int | None = None
    # For chat.writer: the last stored seq and the seq of each client id stored; None until read
    # from storage (a chat that came back after a restart, or after a failed write).
    last_seq: int = 0
    client_seqs: dict[str, int] | None = None
    # Set when the hub starts ending the chat: the writer stores no line after that.
    ended: bool = False

    def as_waiting(self) -> WaitingChat:
        return WaitingChat(
            id=self.id,
            arrived=self.arrived_at,
            topic=self.topic,
            language=self.language,
            target=self.target,
            excluded=self.excluded,
        )


def target_from_row(kind: str | None, value: str | None) -> Target | None:
    if kind == "advisor" and value:
        return ToAdvisor(value)
    if kind == "organisation" and value:
        return ToOrganisation(value)
    return None


@dataclass
class AdvisorPresence:
    """A signed-in advisor: connected now, or disconnected within the reconnect grace."""

    user_id: int
    username: str
    name: str
    organisation: str
    organisation_id: int
    organisation_name: str
    languages: frozenset[str]
    topics: frozenset[str] | None
    capacity: int
    idle_since: datetime
    status: str = "away"
    sockets: int = 0
    gone_since: datetime | None = None
    chats: set[str] = field(default_factory=set)
    # Chats this advisor had that have since ended or left: writing to one is `chat_ended`
    # or `not_yours` rather than silence.
    past_chats: set[str] = field(default_factory=set)

    def as_state(self) -> AdvisorState:
        return AdvisorState(
            id=self.username,
            organisation=self.organisation,
            languages=self.languages,
            topics=self.topics,
            capacity=self.capacity,
            active=len(self.chats),
            signed_in=self.sockets > 0,
            available=self.status == "available",
            idle_since=self.idle_since,
        )
