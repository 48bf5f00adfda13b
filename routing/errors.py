"""Errors raised by the routing core.

    RoutingError
    ├── BadSpec            a configuration string or value that cannot mean anything
    │   └── SkippedTime    a local time the clock skips on that date (the spring change)
    └── IllegalTransition  an event that the current state does not allow (a chat's, a request's)

Both are the caller's mistakes, never the visitor's: the server reports them to whoever typed the
configuration, or logs them as a bug.
"""

from __future__ import annotations

from datetime import date, time


class RoutingError(Exception):
    """Base of every error the routing core raises."""


class BadSpec(RoutingError, ValueError):
    """A specification (an opening-hours string, a shift, an interval) that is malformed.

    The message names the offending part, so it can be shown to the person who wrote it.
    """


class SkippedTime(BadSpec):
    """A wall-clock time entered for one date that the clock skips that day (see
    `routing.wallclock.at`). `bound` says which end of a span it is, when it is one."""

    def __init__(self, day: date, clock: time, bound: str = "") -> None:
        what = f"{bound} time" if bound else "time"
        super().__init__(f'{what} "{clock:%H:%M}" does not exist on {day.isoformat()} (clocks change)')
        self.day = day
        self.clock = clock
        self.bound = bound


class IllegalTransition(RoutingError):
    """An event that a lifecycle table (a chat's, a shift request's) has no entry for, given the
    state of `what` it is about."""

    def __init__(self, state: str, event: str, what: str = "a chat") -> None:
        super().__init__(f"event {event!r} is not allowed for {what} in state {state!r}")
        self.state = state
        self.event = event
