"""Sessions and sign-in throttling (passwords themselves: chat.admin.passwords).

A session is a random token in an HttpOnly cookie; the database keeps
only its SHA-256, so a leaked database opens no sessions.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta

from starlette.responses import Response

from chat.admin.passwords import DUMMY_HASH, password_matches
from chat.base.digest import token_digest
from chat.base.ratelimit import SlidingCounter
from chat.live.service import Hub
from storage import people
from storage.tables import User

COOKIE = "neuvo_session"
THROTTLE_WINDOW_S = 15 * 60
class LoginThrottle:
    """Failures per account (limit) and per address (5 × limit) in 15 minutes, in memory."""

    def __init__(self, limit: int) -> None:
        self.accounts = SlidingCounter(limit=limit, window=THROTTLE_WINDOW_S)
        self.addresses = SlidingCounter(limit=5 * limit, window=THROTTLE_WINDOW_S)

    def blocked(self, username: str, address: str, now: float) -> bool:
        return self.accounts.exceeded(username.lower(), now) or self.addresses.exceeded(address, now)

    def failed(self, username: str, address: str, now: float) -> None:
        self.accounts.add(username.lower(), now)
        self.addresses.add(address, now)

    def succeeded(self, username: str, address: str) -> None:
        self.accounts.clear(username.lower())
        self.addresses.take_back(address)


async def sign_in(hub: Hub, username: str, password: str) -> tuple[User, str] | None:
    """Check the password; on success open a session and return the user and cookie token."""
    async with hub.transaction() as session:
        user = await people.user_by_username(session, username=username)
    stored_hash = user.password_hash if user is not None and user.active else DUMMY_HASH
    if not await password_matches(stored_hash, password) or user is None or not user.active:
        return None
    token = secrets.token_urlsafe(32)
    now = hub.clock.now()
    async with hub.transaction() as session:
        await people.add_session(
            session,
            token_hash=token_digest(token),
            user_id=user.id or 0,
            now=now,
            expires_at=now + timedelta(hours=hub.settings.session_hours),
        )
    return user, token


class Throttled(Exception):
    """Too many failed sign-ins for this account or address."""


async def attempt(
    hub: Hub, throttle: LoginThrottle, *, username: str, password: str, address: str
) -> tuple[User, str] | None:
    """One throttled sign-in: the user and session token, None for wrong credentials."""
    now = hub.monotonic()
    if throttle.blocked(username, address, now):
        raise Throttled
    # Counted as a failure before the (slow, threaded) check, so that many attempts sent at once
    # cannot all pass the limit; a success takes its count back.
    throttle.failed(username, address, now)
    signed_in = await sign_in(hub, username, password)
    if signed_in is not None:
        throttle.succeeded(username, address)
    return signed_in


def set_session_cookie(response: Response, token: str, *, hub: Hub, secure: bool) -> None:
    response.set_cookie(
        COOKIE, token, max_age=int(hub.settings.session_hours * 3600), httponly=True, secure=secure, samesite="lax"
    )


async def sign_out(hub: Hub, token: str) -> None:
    async with hub.transaction() as session:
        await people.delete_session(session, token_hash=token_digest(token))


async def session_user(hub: Hub, cookies: Mapping[str, str]) -> User | None:
    token = cookies.get(COOKIE)
    if not token:
        return None
    async with hub.transaction() as session:
        return await people.session_user(session, token_hash=token_digest(token), now=hub.clock.now())
