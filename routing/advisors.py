"""Who may serve which chat, capacity and availability aside.

`can_serve` is the rule; `AdvisorIndex` answers the same question for many chats at once with
set operations, for the queue's "who competes with whom".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from enum import StrEnum

from routing.types import AdvisorId, AdvisorState, ToAdvisor, ToOrganisation, ToTopic, WaitingChat


def topic_of(chat: WaitingChat) -> str:
    """The topic an advisor must handle: a transfer to a topic replaces the chat's own."""
    return chat.target.topic if isinstance(chat.target, ToTopic) else chat.topic


def can_serve(advisor: AdvisorState, chat: WaitingChat) -> bool:
    """Whether `advisor` may take `chat`, leaving capacity, availability and shifts aside.

    The advisor speaks the chat's language; handles its topic (all topics, when `topics` is None;
    a ToTopic target's topic instead of the chat's own); is the advisor a ToAdvisor target names,
    or belongs to the organisation a ToOrganisation target names; and is not the advisor the
    chat was transferred away from (`excluded`).
    """
    target = chat.target
    if advisor.id == chat.excluded or chat.language not in advisor.languages:
        return False
    if isinstance(target, ToAdvisor) and target.advisor != advisor.id:
        return False
    if isinstance(target, ToOrganisation) and target.organisation != advisor.organisation:
        return False
    return advisor.topics is None or topic_of(chat) in advisor.topics


class Unserved(StrEnum):
    """Why no advisor on duty may take a waiting chat, in the order a coordinator would fix it."""

    NOBODY = "nobody"  # nobody is signed in and on shift
    LANGUAGE = "language"  # nobody on duty speaks the chat's language
    TOPIC = "topic"  # nobody on duty who speaks it handles the topic
    TARGET = "target"  # a transfer names someone (or an organisation) not on duty


def why_unserved(chat: WaitingChat, on_duty: Sequence[AdvisorState]) -> Unserved | None:
    """Why none of the advisors on duty may take the chat; None when one of them may (capacity
    and availability aside: a busy or away advisor will take it in time)."""
    if any(can_serve(advisor, chat) for advisor in on_duty):
        return None
    if not on_duty:
        return Unserved.NOBODY
    speakers = [advisor for advisor in on_duty if chat.language in advisor.languages]
    if not speakers:
        return Unserved.LANGUAGE
    if not any(advisor.topics is None or topic_of(chat) in advisor.topics for advisor in speakers):
        return Unserved.TOPIC
    return Unserved.TARGET


class AdvisorIndex:
    """Advisors indexed by language, topic and organisation."""

    def __init__(self, advisors: Sequence[AdvisorState]) -> None:
        self._by_id = {a.id: a for a in advisors}
        self._by_language: defaultdict[str, set[AdvisorId]] = defaultdict(set)
        self._by_topic: defaultdict[str, set[AdvisorId]] = defaultdict(set)
        self._by_organisation: defaultdict[str, set[AdvisorId]] = defaultdict(set)
        self._every_topic: set[AdvisorId] = set()
        for a in advisors:
            for language in a.languages:
                self._by_language[language].add(a.id)
            for topic in a.topics if a.topics is not None else ():
                self._by_topic[topic].add(a.id)
            if a.topics is None:
                self._every_topic.add(a.id)
            self._by_organisation[a.organisation].add(a.id)

    def servers(self, chat: WaitingChat) -> frozenset[AdvisorId]:
        """The ids of the indexed advisors who `can_serve` the chat."""
        target = chat.target
        if isinstance(target, ToAdvisor):
            named = self._by_id.get(target.advisor)
            return frozenset({named.id}) if named and can_serve(named, chat) else frozenset()
        topical = self._every_topic | self._by_topic.get(topic_of(chat), set())
        found = self._by_language.get(chat.language, set()) & topical
        if isinstance(target, ToOrganisation):
            found &= self._by_organisation.get(target.organisation, set())
        found.discard(chat.excluded)
        return frozenset(found)
