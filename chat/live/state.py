"""The working copy of what is live right now: chats waiting and active, advisors signed in.

The database is the record; this is what the routing core is fed from, rebuilt from the database
on start (chat.live.recovery). `LiveState` is owned by the live service: only its commands
change it, under its lock, each through one of the named moves below, so that no other module
edits a chat's or an advisor's fields or the dictionaries that hold them.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from chat.base.ratelimit import TokenBucket
from routing.lifecycle import ChatEvent, ChatState, next_state
from routing.queue import Standings
from routing.types import AdvisorState, Target, ToAdvisor, ToOrganisation, WaitingChat
from storage.messages import ClientKey

RECENT_HANDLING = 100


@dataclass
class LiveChat:
    id: str
    topic: str
    language: str
    arrived_at: datetime
    status: ChatState
    last_activity_at: datetime
    advisor: str | None = None
    target: Target | None = None
    excluded: str | None = None
    visitor_sockets: int = 0
    visitor_gone_since: datetime | None = None
    position: int | None = None
    estimate: int | None = None
    # For chat.live.writer: the last stored seq and the seq of each client id stored, per
    # author; None until read from storage (after a restart, or after a failed write).
    last_seq: int = 0
    client_seqs: dict[ClientKey, int] | None = None
    # Set when the service starts ending the chat: the writer stores no line after that.
    ended: bool = False
    # Whether its parties were told it will end for silence (NEUVO_IDLE_WARNING_S); activity
    # clears it.
    idle_warned: bool = False
    # The visitor left by the quick exit: gone for the visitor grace, the chat ends.
    left_quickly: bool = False
    # The visitor's lines and typing over all the chat's sockets (NEUVO_CHAT_RATE); made on the
    # first frame.
    visitor_frames: TokenBucket | None = None
    # The address the chat was started from, for NEUVO_WAITING_PER_ADDRESS: memory only, never
    # stored, unknown after a restart.
    address: str | None = None

    @property
    def waiting(self) -> bool:
        return self.status is ChatState.WAITING

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
    # Chats this advisor had that have since ended or left them (kept for this sign-in only):
    # writing to one is `chat_ended` or `not_yours` rather than silence.
    past_chats: set[str] = field(default_factory=set)

    @property
    def connected(self) -> bool:
        return self.sockets > 0

    def as_state(self) -> AdvisorState:
        return AdvisorState(
            id=self.username,
            organisation=self.organisation,
            languages=self.languages,
            topics=self.topics,
            capacity=self.capacity,
            active=len(self.chats),
            signed_in=self.connected,
            available=self.status == "available",
            idle_since=self.idle_since,
        )


class _Queue:
    """The waiting chats in queue order with their positions (routing's `Standings`), and how
    many wait from each address. A chat joining at the back is added in a few steps; chats
    leaving are taken out together, in one pass, when the queue is next asked about (a routing
    decision hands out dozens at once); any other change makes the live state drop this and
    build it again when next asked."""

    def __init__(self, chats: list[LiveChat], advisors: list[AdvisorState]) -> None:
        self.standings = Standings((chat.as_waiting() for chat in chats), advisors)
        by_id = {chat.id: chat for chat in chats}
        self.chats = [by_id[waiting.id] for waiting in self.standings.ordered]
        self.addresses = Counter(chat.address for chat in chats)
        self.leaving: set[str] = set()

    def settled(self) -> _Queue:
        """This queue, with the chats that left since it was last asked taken out."""
        if self.leaving:
            self.standings.without(self.leaving)
            self.addresses.subtract(chat.address for chat in self.chats if chat.id in self.leaving)
            self.chats = [chat for chat in self.chats if chat.id not in self.leaving]
            self.leaving = set()
        return self

    def join(self, chat: LiveChat) -> bool:
        if not self.settled().standings.join(chat.as_waiting()):
            return False
        self.chats.append(chat)
        self.addresses[chat.address] += 1
        return True


class LiveState:
    """Chats and advisors by id, the week's chat counts per organisation (for the fair share) and
    recent handling times (for the wait estimate); the queue with its positions, kept as chats
    arrive and worked out again after other changes only when asked (so a burst of arrivals
    costs each one a few steps, not a pass over the whole queue)."""

    def __init__(self) -> None:
        self._chats: dict[str, LiveChat] = {}
        self._advisors: dict[str, AdvisorPresence] = {}
        self._queue: _Queue | None = None
        self.week_counts: dict[str, int] = {}
        self.handling_s: deque[float] = deque(maxlen=RECENT_HANDLING)

    # -- reading -------------------------------------------------------------------------------

    def chat(self, chat_id: str) -> LiveChat | None:
        return self._chats.get(chat_id)

    def chats(self) -> Iterator[LiveChat]:
        return iter(tuple(self._chats.values()))

    def waiting(self) -> list[LiveChat]:
        """Waiting chats, first come first served (arrival, then the creation-ordered id)."""
        return list(self._current().chats)

    def queue(self) -> list[WaitingChat]:
        """The waiting chats as routing sees them, in queue order (not to be changed)."""
        return self._current().standings.ordered

    def position(self, chat: LiveChat) -> int:
        """A waiting chat's place in the queue (`routing.queue.positions`)."""
        return self._current().standings.position[chat.id]

    def waiting_from(self, address: str | None) -> int:
        return self._current().addresses[address]

    def _current(self) -> _Queue:
        if self._queue is None:
            self._queue = _Queue([c for c in self._chats.values() if c.waiting], self.advisor_states())
        return self._queue.settled()

    def _queue_changed(self) -> None:
        self._queue = None

    def _left_queue(self, chat: LiveChat) -> None:
        if self._queue is not None:
            self._queue.leaving.add(chat.id)

    def advisor(self, username: str) -> AdvisorPresence | None:
        return self._advisors.get(username)

    def advisors(self) -> Iterator[AdvisorPresence]:
        return iter(tuple(self._advisors.values()))

    def advisor_states(self) -> list[AdvisorState]:
        return [presence.as_state() for presence in self._advisors.values()]

    # -- chats ---------------------------------------------------------------------------------

    def add_chat(self, chat: LiveChat) -> None:
        self._chats[chat.id] = chat
        if chat.waiting and self._queue is not None and not self._queue.join(chat):
            self._queue_changed()

    def assigned(self, chat: LiveChat, presence: AdvisorPresence, now: datetime) -> None:
        chat.status = next_state(chat.status, ChatEvent.ASSIGN)
        chat.advisor, chat.target, chat.excluded = presence.username, None, None
        chat.last_activity_at, chat.position = now, None
        presence.chats.add(chat.id)
        presence.idle_since = now
        self.week_counts[presence.organisation] = self.week_counts.get(presence.organisation, 0) + 1
        self._left_queue(chat)

    def requeued(self, chat: LiveChat, *, target: Target | None, excluded: str | None) -> None:
        chat.status = next_state(chat.status, ChatEvent.REQUEUE)
        self._leave_advisor(chat)
        chat.advisor, chat.position = None, None
        chat.target, chat.excluded = target, excluded
        self._queue_changed()

    def retopiced(self, chat: LiveChat, topic: str) -> None:
        chat.topic = topic
        self._queue_changed()

    def ended(self, chat: LiveChat, *, now: datetime, handled_s: float | None) -> None:
        self._chats.pop(chat.id, None)
        if chat.waiting:
            self._left_queue(chat)
        presence = self._leave_advisor(chat)
        if presence is not None:
            presence.past_chats.add(chat.id)
            presence.idle_since = now
        if handled_s is not None:
            self.handling_s.append(handled_s)

    def _leave_advisor(self, chat: LiveChat) -> AdvisorPresence | None:
        presence = self._advisors.get(chat.advisor) if chat.advisor else None
        if presence is not None:
            presence.chats.discard(chat.id)
        return presence

    def visitor_connected(self, chat: LiveChat) -> None:
        chat.visitor_sockets += 1
        chat.visitor_gone_since = None

    def visitor_disconnected(self, chat: LiveChat, now: datetime) -> None:
        chat.visitor_sockets = max(0, chat.visitor_sockets - 1)
        if chat.visitor_sockets == 0:
            chat.visitor_gone_since = now

    def active(self, chat: LiveChat, at: datetime) -> None:
        """A line, or a party saying they are still here: the idle clock starts again."""
        chat.last_activity_at, chat.idle_warned = at, False

    def left_quickly(self, chat: LiveChat) -> None:
        chat.left_quickly = True

    def idle_warned(self, chat: LiveChat) -> None:
        chat.idle_warned = True

    def placed(self, chat: LiveChat, position: int, estimate: int | None) -> None:
        chat.position, chat.estimate = position, estimate

    # -- advisors ------------------------------------------------------------------------------

    def add_advisor(self, presence: AdvisorPresence) -> None:
        self._advisors[presence.username] = presence
        self._queue_changed()  # who competes with whom is through the advisors signed in

    def restored_assignment(self, presence: AdvisorPresence, chat_id: str) -> None:
        """After a restart: the stored assignment, back in the advisor's presence."""
        presence.chats.add(chat_id)

    def advisor_connected(self, presence: AdvisorPresence) -> None:
        presence.sockets += 1
        presence.gone_since = None

    def advisor_disconnected(self, presence: AdvisorPresence, now: datetime) -> bool:
        """One socket fewer; True when it was the last (the reconnect grace starts)."""
        presence.sockets = max(0, presence.sockets - 1)
        if presence.sockets:
            return False
        presence.gone_since = now
        return True

    def status_set(self, presence: AdvisorPresence, status: str, now: datetime) -> None:
        presence.status = status
        presence.idle_since = now

    def gave_away(self, presence: AdvisorPresence, chat_id: str) -> None:
        presence.past_chats.add(chat_id)

    def drop_advisor(self, username: str) -> None:
        self._advisors.pop(username, None)
        self._queue_changed()
