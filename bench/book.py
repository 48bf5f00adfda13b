"""What one client process sent, received and was acked: the raw material for delivery and ack
latency and for the loss and duplicate counts.

A line's text carries its id, the moment it was sent and whether it was sent inside the timed
window, so the party that receives it, in another process, times it without asking anyone:
time.monotonic() is CLOCK_MONOTONIC on Linux, one clock for every process of the machine.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


def line_text(message_id: str, measured: bool) -> str:
    return f"{message_id} {time.monotonic():.6f} {int(measured)}"


@dataclass
class Book:
    sent: dict[str, bool] = field(default_factory=dict)  # id -> sent inside the timed window
    sent_at: dict[str, float] = field(default_factory=dict)
    acked: Counter[str] = field(default_factory=Counter)
    received: Counter[str] = field(default_factory=Counter)  # ids the other party got
    to_advisor: list[float] = field(default_factory=list)
    to_visitor: list[float] = field(default_factory=list)
    ack_visitor: list[float] = field(default_factory=list)
    ack_advisor: list[float] = field(default_factory=list)
    replayed: int = 0  # lines that reached a visitor by its resume's replay (not timed)
    recovered: int = 0  # visitors that resumed after the server closed their socket
    resent: Counter[str] = field(default_factory=Counter)  # lines sent again after a resume
    typing_sent: int = 0
    typing_received: int = 0
    out_of_order: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    closed: Counter[str] = field(default_factory=Counter)  # sockets the server closed, by reason
    unacked: set[str] = field(default_factory=set)
    all_acked: asyncio.Event = field(default_factory=asyncio.Event)

    def sending(self, message_id: str, measured: bool) -> str:
        self.sent[message_id] = measured
        self.sent_at[message_id] = time.monotonic()
        self.unacked.add(message_id)
        self.all_acked.clear()
        return line_text(message_id, measured)

    def arrived(self, text: str, at: float, into: list[float], *, replayed: bool = False) -> None:
        message_id, sent_at, measured = text.split(" ", 3)[:3]
        self.received[message_id] += 1
        if replayed:
            self.replayed += 1
        elif measured == "1" and self.received[message_id] == 1:
            into.append(at - float(sent_at))

    def ack(self, message_id: str, at: float, into: list[float]) -> None:
        self.acked[message_id] += 1
        self.unacked.discard(message_id)
        if not self.unacked:
            self.all_acked.set()
        if self.sent.get(message_id) and self.acked[message_id] == 1:
            into.append(at - self.sent_at[message_id])

    def export(self) -> dict[str, Any]:
        """Everything the parent merges across processes (ids as lists: picklable, compact)."""
        return {
            "sent": list(self.sent), "measured": [i for i, m in self.sent.items() if m],
            "acked": dict(self.acked), "received": dict(self.received),
            "to_advisor": self.to_advisor, "to_visitor": self.to_visitor,
            "ack_visitor": self.ack_visitor, "ack_advisor": self.ack_advisor,
            "replayed": self.replayed, "recovered": self.recovered, "resent": dict(self.resent),
            "typing_sent": self.typing_sent, "typing_received": self.typing_received,
            "out_of_order": self.out_of_order, "errors": dict(self.errors), "closed": dict(self.closed),
        }


def problems(books: list[dict[str, Any]]) -> int:
    """Error frames and sockets the server closed, over exported books."""
    return sum(sum(b["errors"].values()) + sum(b["closed"].values()) for b in books)
