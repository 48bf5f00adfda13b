"""What sockets, pages and time ask of the live service: one typed value per request.

Each command names the result it gets back (`Command[R]`); `LiveService.run(command)` applies it
and returns that result, or raises a `ProtocolError` (chat.wire.errors) the caller turns into an
error frame. The callers hold no live state: they name chats and advisors by id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from chat.wire.outgoing import (
    Ack,
    Closed,
    FeedbackSaved,
    OutFrame,
    Queued,
    QueueOut,
    StatusOut,
    SurveySaved,
    Transferred,
    Welcome,
)

R = TypeVar("R", covariant=True)


class Command(Generic[R]):
    """A request to the live service whose answer is an R."""


# -- visitors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartChat(Command[Queued | Closed]):
    """Queue a new chat under `chat_id` (the socket follows its channel before asking), or get
    `closed` when the service takes no chats now."""

    chat_id: str
    topic: str
    language: str
    address: str  # counted against NEUVO_CHATS_PER_ADDRESS, in memory only
    previous_chat: str | None = None  # the chat the socket carried before, if any (blocks)


@dataclass(frozen=True)
class ResumeChat(Command[list[OutFrame]]):
    """Check the token; the answer is the replay after `after` and the chat's current state."""

    chat_id: str
    token: str
    after: int


@dataclass(frozen=True)
class VisitorConnected(Command[None]):
    chat_id: str


@dataclass(frozen=True)
class VisitorDisconnected(Command[None]):
    chat_id: str


@dataclass(frozen=True)
class VisitorSays(Command[Ack]):
    chat_id: str
    client_id: str
    text: str


@dataclass(frozen=True)
class VisitorTyping(Command[None]):
    chat_id: str


@dataclass(frozen=True)
class VisitorEnds(Command[None]):
    chat_id: str


@dataclass(frozen=True)
class VisitorStillHere(Command[None]):
    """The visitor's answer to an idle warning."""

    chat_id: str


@dataclass(frozen=True)
class VisitorLeftQuickly(Command[None]):
    chat_id: str


@dataclass(frozen=True)
class AnswerSurvey(Command[SurveySaved]):
    """The visitor's answers to the post-chat questionnaire: (question id, value, text)."""

    chat_id: str
    answers: tuple[tuple[int, int | None, str | None], ...]


@dataclass(frozen=True)
class GiveFeedback(Command[FeedbackSaved]):
    chat_id: str
    rating: int
    comment: str | None


# -- advisors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdvisorConnected(Command[Welcome]):
    """A socket of the signed-in advisor opened; the answer is its `welcome`."""

    username: str


@dataclass(frozen=True)
class AdvisorDisconnected(Command[None]):
    username: str


@dataclass(frozen=True)
class SetStatus(Command[StatusOut]):
    username: str
    status: str


@dataclass(frozen=True)
class AdvisorSays(Command[Ack]):
    """A line to the visitor, or with `note` an internal note only advisors see."""

    username: str
    chat_id: str
    client_id: str
    text: str
    note: bool = False


@dataclass(frozen=True)
class AdvisorTyping(Command[None]):
    username: str
    chat_id: str


@dataclass(frozen=True)
class BlockVisitor(Command[None]):
    """End the advisor's chat as blocked; its visitor may start no chat for `duration`
    (chat.live.blocks.DURATIONS)."""

    username: str
    chat_id: str
    duration: str


@dataclass(frozen=True)
class AdvisorStillHere(Command[None]):
    """The advisor's answer to an idle warning."""

    username: str
    chat_id: str


@dataclass(frozen=True)
class TransferChat(Command[Transferred]):
    username: str
    chat_id: str
    kind: str  # "advisor" | "organisation" | "topic"
    value: str
    note: str | None


@dataclass(frozen=True)
class CloseChat(Command[None]):
    username: str
    chat_id: str
    outcome: str


# -- the service itself ---------------------------------------------------------------------


@dataclass(frozen=True)
class Tick(Command[None]):
    """Apply what time alone has changed (grace periods, idle chats, closing), then route."""


@dataclass(frozen=True)
class Reconfigure(Command[None]):
    """The administration changed something: reload the configuration and route again."""


@dataclass(frozen=True)
class Rejoin(Command[None]):
    """After the live service moved to another process (several processes): what the sockets of
    one process carry, so the new owner counts them again. `advisors` are (username, sockets,
    status); `visitors` are (chat id, sockets)."""

    advisors: tuple[tuple[str, int, str], ...]
    visitors: tuple[tuple[str, int], ...]


# -- questions (read only; asked of whichever process owns the live state) -------------------


@dataclass(frozen=True)
class AskStatus(Command["ServiceStatus"]):
    """What /api/service tells a visitor before they start."""


@dataclass(frozen=True)
class AskQueue(Command[QueueOut]):
    """The `queue` frame as it is now."""


@dataclass(frozen=True)
class AskColleagues(Command[list["Colleague"]]):
    """Advisors signed in now, for a transfer."""


@dataclass(frozen=True)
class AskNow(Command["NowView"]):
    """What the coordinators' "now" panel shows: who is on, the queue, chats nobody can serve."""


@dataclass(frozen=True)
class AskBlocks(Command[list["BlockView"]]):
    """The blocks in force, as coordinators see them."""


@dataclass(frozen=True)
class LiftBlock(Command[bool]):
    """A coordinator lifts a block before it expires; False when it is gone already."""

    actor: str
    block_id: str


@dataclass(frozen=True)
class AskCarries(Command[bool]):
    """Whether the chat is live (waiting or active)."""

    chat_id: str


@dataclass(frozen=True)
class ServiceStatus:
    open: bool
    accepting: bool
    next_open: str | None
    queue_length: int
    estimated_wait_s: int | None
    # The languages somebody on duty (on shift and signed in, available or away) speaks, sorted:
    # a chat in any other language waits for nobody who could take it.
    languages_on_duty: tuple[str, ...]


@dataclass(frozen=True)
class Colleague:
    """A signed-in advisor as a colleague choosing whom to transfer to sees them."""

    username: str
    name: str
    organisation: str
    available: bool
    on_shift: bool
    languages: tuple[str, ...]


@dataclass(frozen=True)
class SignedIn:
    """A signed-in advisor as coordinators see them now: as a colleague does, and how many chats
    they hold of how many they may (no chat's content)."""

    advisor: Colleague
    chats: int
    capacity: int


@dataclass(frozen=True)
class UnservedChat:
    """A waiting chat nobody on duty may take, and why (routing.advisors.Unserved's value)."""

    topic: str
    language: str
    waited_s: int
    reason: str


@dataclass(frozen=True)
class BlockView:
    """A block without anything that identifies its visitor: its own id, duration and times
    (ISO 8601 in the service's time zone)."""

    id: str
    duration: str
    since: str
    until: str


@dataclass(frozen=True)
class NowView:
    advisors: tuple[SignedIn, ...]
    queue_length: int
    oldest_wait_s: int | None
    unserved: tuple[UnservedChat, ...]


@dataclass(frozen=True)
class EndSessions(Command[None]):
    """The user's sessions were ended (`session`: the digest of just that one, on sign-out):
    their open advisor sockets of those sessions, wherever they are, are told and closed."""

    username: str
    session: str | None = None
