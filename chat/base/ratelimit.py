"""Rate limits: a token bucket per socket, and counters per address or account kept in memory
only (never stored, never logged). Every decision takes `now` (monotonic seconds)."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from typing import Protocol


class TokenBucket:
    """`rate` frames a second with bursts up to `burst`; remembers how long it has been refusing."""

    def __init__(self, *, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = burst
        self._at = now
        self.refusing_since: float | None = None
        self._last_refusal = now

    def take(self, now: float) -> bool:
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        # A refusal more than a second after the previous one starts a new stretch: a client
        # that slowed down is not punished for an old burst.
        if self.refusing_since is None or now - self._last_refusal > 1.0:
            self.refusing_since = now
        self._last_refusal = now
        return False

    def refusing_for(self, now: float) -> float:
        return 0.0 if self.refusing_since is None else now - self.refusing_since


class SlidingCounter:
    """At most `limit` events per key within `window` seconds; limit 0 turns it off.

    A key whose events have all left the window is forgotten: when it is next looked at, and by
    a sweep of every key at most once a window (on `add`), so a key that never comes back does
    not stay. The keys held are those with an event within the last two windows at most."""

    def __init__(self, *, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._events: defaultdict[str, deque[float]] = defaultdict(deque)
        self._swept: float | None = None

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._events[key]
        while events and now - events[0] >= self.window:
            events.popleft()
        if not events:
            del self._events[key]
            return deque()
        return events

    def exceeded(self, key: str, now: float) -> bool:
        return self.limit > 0 and len(self._recent(key, now)) >= self.limit

    def add(self, key: str, now: float) -> None:
        self._sweep(now)
        self._recent(key, now)
        self._events[key].append(now)

    def _sweep(self, now: float) -> None:
        if self._swept is None:
            self._swept = now
        elif now - self._swept >= self.window:
            self._swept = now
            for key in [k for k, events in self._events.items() if now - events[-1] >= self.window]:
                del self._events[key]

    def tracked(self) -> int:
        """How many keys are held now (for tests and the memory bound)."""
        return len(self._events)

    def take_back(self, key: str) -> None:
        """Forget the latest event of the key (it turned out not to count)."""
        events = self._events.get(key)
        if events:
            events.pop()
            if not events:
                del self._events[key]

    def clear(self, key: str) -> None:
        self._events.pop(key, None)


class CountingUnavailable(Exception):
    """Shared counters cannot be reached now (Redis is down): the limited action is refused as
    unavailable rather than let through uncounted."""


class Counting(Protocol):
    """A sliding counter as the sign-in throttle and the offline messages use it: in this
    process's memory, or shared by several processes (chat.cluster.limits)."""

    async def exceeded(self, key: str, now: float) -> bool: ...

    async def take(self, key: str, now: float) -> bool:
        """Count an event unless the key is at its limit, in one step (so events sent at once
        cannot all pass); whether it was counted."""
        ...

    async def add(self, key: str, now: float) -> None: ...

    async def take_back(self, key: str) -> None: ...

    async def clear(self, key: str) -> None: ...


class LocalCounting:
    """A SlidingCounter behind the async `Counting` face."""

    def __init__(self, *, limit: int, window: float) -> None:
        self._counter = SlidingCounter(limit=limit, window=window)

    async def exceeded(self, key: str, now: float) -> bool:
        return self._counter.exceeded(key, now)

    async def add(self, key: str, now: float) -> None:
        self._counter.add(key, now)

    async def take(self, key: str, now: float) -> bool:
        if self._counter.exceeded(key, now):  # no await in between: one step in this loop
            return False
        self._counter.add(key, now)
        return True

    async def take_back(self, key: str) -> None:
        self._counter.take_back(key)

    async def clear(self, key: str) -> None:
        self._counter.clear(key)


CountingFactory = Callable[[str, int, float], Counting]  # (name, limit, window) -> counter


def local_counting(name: str, limit: int, window: float) -> Counting:
    return LocalCounting(limit=limit, window=window)
