"""How big each scenario is. The defaults are issue 15's figures; --scale shrinks or grows all
counts and times at once (0.01 is the suite's smoke run), and each can be set on its own."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any

SCENARIOS = ("waiting", "active", "burst", "cluster")
INTERVAL_S = 2.0  # each party of an active chat writes every 2 s (jittered by ±20%)
# A party's gap is at most 2.4 s, so a window at least this long times a line of every party.
SHORTEST_WINDOW_S = 3.0


@dataclass(frozen=True)
class Plan:
    waiting: int = 10_000  # (a) visitors held waiting by one process
    waiting_at_once: int = 200  # of them opening at the same time
    waiting_limit_s: float = 300.0  # (a) then the figure is how many were queued by then
    chats: tuple[int, ...] = (250, 500, 1000)  # (b) active chats, one run each: the chart's x axis
    capacity: int = 10  # chats per advisor in (b) and in the "at once" part of (c)
    seconds: float = 30.0  # (b) timed window
    warmup: float = 5.0  # (b) writing before the window, not timed
    reconnects: float = 0.05  # (b) share of visitors that drop their socket once and resume
    burst: int = 2_000  # (c) visitors arriving within burst_s
    burst_s: float = 10.0
    burst_advisors: int = 50
    burst_capacity: int = 3
    frees: int = 5  # (c) chats each advisor closes, one after another, while the queue waits
    at_once: int = 1_000  # (c) chats starting at one moment with room for all
    cluster_processes: tuple[int, ...] = (1, 2)  # (d) the top load of (b) on PostgreSQL + Redis
    clients: int = 2  # client processes
    limit_s: float = 180.0  # longest wait for the server to queue or assign what a step started
    settle_s: float = 1.0  # before memory is read, and the silence that says the queue has settled

    @classmethod
    def scaled(cls, scale: float) -> Plan:
        base = cls()

        def count(n: int, least: int = 1) -> int:
            return max(least, math.ceil(n * scale))

        return replace(
            base, waiting=count(base.waiting, 2), waiting_at_once=count(base.waiting_at_once, 10),
            chats=tuple(sorted({count(n, 2) for n in base.chats})),
            seconds=max(SHORTEST_WINDOW_S, base.seconds * scale),
            warmup=max(0.5, base.warmup * scale), burst=count(base.burst, 8), burst_s=max(1.0, base.burst_s * scale),
            burst_advisors=count(base.burst_advisors, 2), frees=count(base.frees, 2), at_once=count(base.at_once, 4),
            settle_s=max(0.3, base.settle_s * scale),
        )

    def with_options(self, options: dict[str, Any]) -> Plan:
        """Options given on the command line (None: not given) replace the plan's."""
        names = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in options.items() if k in names and v is not None})

    def as_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
