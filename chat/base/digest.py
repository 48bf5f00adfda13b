"""Secret tokens as the database keeps them."""

from __future__ import annotations

import hashlib


def token_digest(token: str) -> str:
    """What the database keeps of a secret token (a session's or a chat's): its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()
