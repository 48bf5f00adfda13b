"""How long a waiting visitor can expect to wait, when that can be said honestly."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence


def estimate_wait(position: int, servers: int, recent_handling_s: Sequence[float]) -> int | None:
    """Expected wait in whole seconds for the chat at `position` (1-based, as `queue.positions`
    gives it), or None when no estimate would be honest.

    None when `servers` (advisors on shift who can serve the chat) is 0, since then nobody will
    take the chat however long it waits, and when there is no handling history to go on.
    Otherwise: mean(recent_handling_s) × position / servers, rounded up. The reasoning: with
    `servers` advisors each finishing a chat every mean handling time, a place opens every
    mean / servers seconds, and the chat needs `position` of them. It ignores free capacity
    already there (the routing pass will fill it before anyone waits) and assumes advisors carry
    one chat at a time, so it errs long when they carry several. Never below 0.
    """
    return estimator(recent_handling_s)(position, servers)


def estimator(recent_handling_s: Sequence[float]) -> Callable[[int, int], int | None]:
    """`estimate_wait` with this handling history, for many chats: the mean worked out once."""
    if not recent_handling_s:
        return lambda position, servers: None
    mean = math.fsum(recent_handling_s) / len(recent_handling_s)

    def wait(position: int, servers: int) -> int | None:
        return max(0, math.ceil(mean * position / servers)) if servers > 0 else None

    return wait
