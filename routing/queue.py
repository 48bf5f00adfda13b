"""The queue: in what order waiting chats are served, and where each one stands.

A chat's position counts only the chats ahead of it that compete for the same advisors, so a
Finnish visitor is not told they are tenth because nine Swedish chats arrived first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

from routing.advisors import AdvisorIndex
from routing.types import AdvisorState, ChatId, WaitingChat


def order(chats: Iterable[WaitingChat]) -> list[WaitingChat]:
    """The chats oldest first by (original) arrival, ties broken by id so the order is total.

    Arrivals are compared as instants, whatever their time zones.
    """
    return sorted(chats, key=_key)


def positions(chats: Iterable[WaitingChat], advisors: Sequence[AdvisorState]) -> dict[ChatId, int]:
    """Each chat's 1-based place in the queue, counting itself and the chats ahead of it (in
    `order`) that compete with it.

    Chat B competes with chat A when some advisor in `advisors` could serve both (`can_serve`:
    language, topic, transfer target and exclusion; capacity and availability ignored). A chat
    nobody listed can serve competes with the other such chats of its language, which is also
    the whole rule when `advisors` is empty.
    """
    return Standings(chats, advisors).position


class Standings:
    """The queue in `order` and every chat's position (as `positions` defines it), kept up to
    date cheaply while chats only join at the back.

    A position counts the competing chats ahead, so a chat that sorts after every chat already
    standing changes nobody else's: it joins in a few steps per kind of demand, whatever the
    length of the queue. Chats leaving (handed out, gone) cost one pass over the rest, counting
    their positions again without sorting. Any other change (a chat returning, an advisor coming
    or going) needs new Standings, built from the whole queue in O(n log n).
    """

    def __init__(self, chats: Iterable[WaitingChat], advisors: Sequence[AdvisorState]) -> None:
        self.ordered = order(chats)
        self._groups = _Groups(AdvisorIndex(advisors))
        group_of = [self._groups.of(chat) for chat in self.ordered]
        self._rivals = self._groups.rivals()  # after every chat's group is known
        self._count_all(group_of)

    def without(self, leaving: set[ChatId]) -> None:
        """Take these chats out: the rest keep their order, and their positions are counted again
        in one pass."""
        self.ordered = [chat for chat in self.ordered if chat.id not in leaving]
        self._count_all([self._groups.of(chat) for chat in self.ordered])

    def _count_all(self, group_of: list[int]) -> None:
        sizes = Counter(group_of)
        self._seen = [sizes[group] for group in range(len(self._rivals))]
        self.position = _count(self.ordered, group_of, self._rivals, sizes)

    def join(self, chat: WaitingChat) -> bool:
        """Add the chat at the back and give it its position; False, and nothing changed, when it
        does not sort after every chat already standing."""
        if self.ordered and _key(chat) <= _key(self.ordered[-1]):
            return False
        group = self._groups.of(chat)
        if group == len(self._rivals):  # a new kind of demand: who competes with whom, again
            self._rivals = self._groups.rivals()
            self._seen.append(0)
        self._seen[group] += 1
        self.position[chat.id] = sum(self._seen[rival] for rival in self._rivals[group])
        self.ordered.append(chat)
        return True


def _key(chat: WaitingChat) -> tuple[float, ChatId]:
    # timestamp(), not the datetime: two datetimes sharing a zone compare by wall clock, which
    # puts the two 03:30s of an autumn night in the wrong order.
    return (chat.arrived.timestamp(), chat.id)


def _count(
    ordered: list[WaitingChat], group_of: list[int], rivals: list[list[int]], sizes: Counter[int]
) -> dict[ChatId, int]:
    """Every position of the ordered queue in one pass."""
    tally_of, feeds = _tallies(rivals, sizes)
    seen = [0] * len(rivals)
    tallies = [0] * len(rivals)  # tally ids are below the number of groups
    result = {}
    for chat, group in zip(ordered, group_of, strict=True):
        seen[group] += 1
        for tally in feeds[group]:
            tallies[tally] += 1
        own = tally_of[group]
        if own is None:
            result[chat.id] = sum(seen[rival] for rival in rivals[group])
        else:
            result[chat.id] = tallies[own]
    return result


def _tallies(
    rivals: list[list[int]], sizes: Counter[int]
) -> tuple[list[int | None], list[list[int]]]:
    """Running tallies for the large groups, so their positions cost a lookup, not a sum.

    A tally counts, as the chats go by, those in any of one group's rival groups; large groups
    with the same rivals share one, and `feeds[g]` lists the tallies a chat of group g adds to.
    A group gets a tally when summing its rivals' counts for each of its chats would cost more
    than feeding the tally from each of its rivals' chats; the rest sum. So the work stays near
    the number of chats times the number of distinct tallies, which is small: about one per kind
    of demand ("Finnish, any topic"), however many one-off transfers the queue holds.
    """
    tally_of: list[int | None] = []
    members: dict[frozenset[int], int] = {}
    for group, group_rivals in enumerate(rivals):
        feeding_cost = sum(sizes[rival] for rival in group_rivals)
        if sizes[group] * len(group_rivals) > feeding_cost:
            tally_of.append(members.setdefault(frozenset(group_rivals), len(members)))
        else:
            tally_of.append(None)
    feeds = [[t for rival_set, t in members.items() if g in rival_set] for g in range(len(rivals))]
    return tally_of, feeds


class _Groups:
    """Numbers chats by their servable-by signature: the set of advisors who can serve them, or
    the language alone when that set is empty."""

    def __init__(self, index: AdvisorIndex) -> None:
        self._index = index
        self._by_key: dict[Hashable, int] = {}
        self._signatures: dict[frozenset[str] | str, int] = {}

    def of(self, chat: WaitingChat) -> int:
        key = (chat.language, chat.topic, chat.target, chat.excluded)
        group = self._by_key.get(key)
        if group is None:
            servers = self._index.servers(chat)
            signature = servers if servers else chat.language
            group = self._signatures.setdefault(signature, len(self._signatures))
            self._by_key[key] = group
        return group

    def rivals(self) -> list[list[int]]:
        """For each group, the groups whose chats compete with its chats (itself included): those
        sharing an advisor, or, for chats nobody can serve, those of the same language."""
        signatures = list(self._signatures)
        return [
            [self._signatures[mine]]
            if isinstance(mine, str)
            else [
                h
                for h, other in enumerate(signatures)
                if not isinstance(other, str) and not mine.isdisjoint(other)
            ]
            for mine in signatures
        ]
