"""Passwords, hashed with Argon2 (argon2-cffi: a vetted implementation with sane parameters,
nothing to hand-roll)."""

from __future__ import annotations

import asyncio
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both answers take the same time.
DUMMY_HASH = _hasher.hash(secrets.token_hex(16))
# The hash of a person who has no password yet (imported from a file): the secret it was made
# from is kept nowhere, so no password opens it, and a sign-in as them takes as long as any.
NO_PASSWORD = DUMMY_HASH


def hash_password(password: str) -> str:
    return _hasher.hash(password)


async def password_matches(password_hash: str, password: str) -> bool:
    def verify() -> bool:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    # Argon2 is deliberately slow; keep it off the event loop.
    return await asyncio.to_thread(verify)
