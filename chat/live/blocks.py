"""Blocks of abusive visitors, for a while: an advisor ends a chat as blocked for an hour, a day
or a week, and that visitor cannot start another chat meanwhile.

A visitor is anonymous, so a block holds what identifies the visitor's browser and network for
that time only: the blocked chat (a socket that carried it, or resumes it with its token, may not
start another) and a keyed hash of the address the chat came from. Both live in the memory of the
process that holds the live state, never on disk and never shown to anyone: the hash's key is
random per process, and coordinators see only a block's own id, duration and expiry. A restart
(or a failover to another process) forgets every block.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

DURATIONS = {"1h": timedelta(hours=1), "24h": timedelta(days=1), "7d": timedelta(days=7)}
BLOCKED = "blocked"  # the outcome a blocked chat ends with, beside the coordinators' own


@dataclass(frozen=True)
class Block:
    id: str
    duration: str
    since: datetime
    until: datetime
    keys: frozenset[str]


class Blocks:
    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)  # never stored: a restart forgets which hash was whose
        self._blocks: dict[str, Block] = {}

    def keys_of(self, *, chat_id: str | None, address: str | None) -> frozenset[str]:
        """What identifies a visitor for a block: their chat, and their address as a keyed hash."""
        keys = set()
        if chat_id:
            keys.add(f"chat:{chat_id}")
        if address:
            keys.add("address:" + hmac.new(self._key, address.encode(), hashlib.sha256).hexdigest())
        return frozenset(keys)

    def add(self, keys: frozenset[str], *, duration: str, now: datetime) -> Block:
        block = Block(secrets.token_hex(4), duration, now, now + DURATIONS[duration], keys)
        self._blocks[block.id] = block
        return block

    def blocks(self, keys: frozenset[str], now: datetime) -> bool:
        return any(block.keys & keys for block in self.active(now))

    def active(self, now: datetime) -> list[Block]:
        """The blocks in force, the soonest to expire first; expired ones are forgotten."""
        for block_id in [b.id for b in self._blocks.values() if b.until <= now]:
            del self._blocks[block_id]
        return sorted(self._blocks.values(), key=lambda b: b.until)

    def lift(self, block_id: str) -> bool:
        return self._blocks.pop(block_id, None) is not None
