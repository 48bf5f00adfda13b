"""Value types shared by the routing core and its callers.

Every datetime here is timezone-aware. Identifiers are plain strings: an advisor is named by
username, an organisation by slug, a topic and a language by their ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

AdvisorId = str
ChatId = str
OrganisationId = str


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open span of time [start, end).

    Both methods go through UTC: Python compares and subtracts datetimes that share a tzinfo by
    their wall-clock fields, so in Helsinki 02:00-05:00 on the spring-forward day would otherwise
    measure three hours instead of two.
    """

    start: datetime
    end: datetime

    def contains(self, t: datetime) -> bool:
        return self.start.astimezone(UTC) <= t.astimezone(UTC) < self.end.astimezone(UTC)

    @property
    def seconds(self) -> float:
        return (self.end.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds()


@dataclass(frozen=True, slots=True)
class ToAdvisor:
    advisor: AdvisorId


@dataclass(frozen=True, slots=True)
class ToOrganisation:
    organisation: OrganisationId


@dataclass(frozen=True, slots=True)
class ToTopic:
    topic: str


Target = ToAdvisor | ToOrganisation | ToTopic


@dataclass(frozen=True, slots=True)
class WaitingChat:
    """A chat in the queue. `arrived` is the original arrival: a re-queued chat keeps it.

    `target` narrows who may take it (set by a transfer); `excluded` is an advisor who must not
    get it back (the one who transferred it away).
    """

    id: ChatId
    arrived: datetime
    topic: str
    language: str
    target: Target | None = None
    excluded: AdvisorId | None = None


@dataclass(frozen=True, slots=True)
class AdvisorState:
    """What the policy needs to know of one advisor right now.

    `topics` None means the advisor handles every topic. `idle_since` is when the advisor last
    had a chat handed to them or last became available, whichever is later.
    """

    id: AdvisorId
    organisation: OrganisationId
    languages: frozenset[str]
    topics: frozenset[str] | None
    capacity: int
    active: int
    signed_in: bool
    available: bool
    idle_since: datetime


@dataclass(frozen=True, slots=True)
class Assignment:
    chat: ChatId
    advisor: AdvisorId
