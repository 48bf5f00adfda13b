"""Chat ids: unique, and sorting in creation order."""

from __future__ import annotations

import secrets
import time


class ChatIds:
    def __init__(self) -> None:
        self._last_ns = 0

    def new(self) -> str:
        """A unique id that sorts in creation order: chats arriving at the same instant are still
        served first come, first served (the queue orders by arrival, then id). The random tail
        keeps ids made in several processes apart."""
        self._last_ns = max(self._last_ns + 1, time.time_ns())
        return f"{self._last_ns:016x}{secrets.token_hex(4)}"
