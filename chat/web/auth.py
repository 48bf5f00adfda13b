"""Sessions and sign-in throttling (passwords themselves: chat.admin.passwords).

A session is a random token in an HttpOnly cookie; the database keeps
only its SHA-256, so a leaked database opens no sessions.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.responses import Response

from chat.admin.passwords import DUMMY_HASH, password_matches
from chat.base.clock import Clock
from chat.base.digest import token_digest
from chat.base.ratelimit import CountingFactory, local_counting
from chat.base.settings import Settings
from chat.wire.incoming import is_storable
from storage import people
from storage.database import Database
from storage.tables import User

COOKIE = "neuvo_session"
THROTTLE_WINDOW_S = 15 * 60
class LoginThrottle:
    """Failures in 15 minutes: per account (limit) and per address (5 × limit) from browsers not
    known for the account, and per known browser (limit) on its own (chat.web.known_browsers),
    so nobody else's failures lock a user's own browser out. In memory, or in Redis for all
    processes of a service (never on disk either way)."""

    def __init__(self, limit: int, counting: CountingFactory = local_counting) -> None:
        self.accounts = counting("sign-in-account", limit, THROTTLE_WINDOW_S)
        self.addresses = counting("sign-in-address", 5 * limit, THROTTLE_WINDOW_S)
        self.browsers = counting("sign-in-browser", limit, THROTTLE_WINDOW_S)

    async def blocked(self, attempt: SignInAttempt, now: float) -> bool:
        if attempt.browser is not None:
            return await self.browsers.exceeded(attempt.browser, now)
        return await self.accounts.exceeded(attempt.account, now) or await self.addresses.exceeded(
            attempt.address, now)

    async def failed(self, attempt: SignInAttempt, now: float) -> None:
        if attempt.browser is not None:
            await self.browsers.add(attempt.browser, now)
            return
        await self.accounts.add(attempt.account, now)
        await self.addresses.add(attempt.address, now)

    async def succeeded(self, attempt: SignInAttempt) -> None:
        if attempt.browser is not None:
            await self.browsers.clear(attempt.browser)
            return
        await self.accounts.clear(attempt.account)
        await self.addresses.take_back(attempt.address)


@dataclass(frozen=True)
class SignInAttempt:
    """Who tries to sign in as whom: `browser` is the known browser's id, if it is one for this
    username (chat.web.known_browsers)."""

    username: str
    password: str
    address: str
    browser: str | None = None

    @property
    def account(self) -> str:
        return self.username.lower()


class Throttled(Exception):
    """Too many failed sign-ins for this account or address."""


class PasswordChangeRequired(Exception):
    """The password is right but one-time (someone else set it): it opens no session; its holder
    chooses their own first (chat.web.pages.session)."""


class Sessions:
    """Signing in and out, and who a session cookie belongs to."""

    def __init__(
        self, *, db: Database, clock: Clock, settings: Settings, counting: CountingFactory = local_counting
    ) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.throttle = LoginThrottle(settings.login_failures, counting)

    async def attempt(self, attempt: SignInAttempt) -> tuple[User, str] | None:
        """One throttled sign-in: the user and session token, None for wrong credentials;
        PasswordChangeRequired for a right one-time password."""
        user = await self.verify(attempt)
        if user is None:
            return None
        if user.password_one_time:
            raise PasswordChangeRequired
        return user, await self.open_session(user)

    async def verify(self, attempt: SignInAttempt) -> User | None:
        """The active user whose password this is, or None; throttled (Throttled) like a sign-in."""
        now = time.time()  # wall time: several processes may count together
        if await self.throttle.blocked(attempt, now):
            raise Throttled
        # Counted as a failure before the (slow, threaded) check, so that many attempts sent at
        # once cannot all pass the limit; a success takes its count back.
        await self.throttle.failed(attempt, now)
        user = await self._check(attempt.username, attempt.password)
        if user is not None:
            await self.throttle.succeeded(attempt)
        return user

    async def _check(self, username: str, password: str) -> User | None:
        user = None
        if is_storable(username):  # no user has any other name, and PostgreSQL refuses to look one up
            async with self.db.transaction() as session:
                user = await people.user_by_username(session, username=username)
        stored_hash = user.password_hash if user is not None and user.active else DUMMY_HASH
        if not await password_matches(stored_hash, password) or user is None or not user.active:
            return None
        return user

    async def open_session(self, user: User) -> str:
        """A new session for the user: the cookie's token."""
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        async with self.db.transaction() as session:
            await people.add_session(
                session,
                token_hash=token_digest(token),
                user_id=user.id or 0,
                now=now,
                expires_at=now + timedelta(hours=self.settings.session_hours),
            )
        return token

    def set_cookie(self, response: Response, token: str, *, secure: bool) -> None:
        response.set_cookie(
            COOKIE, token, max_age=int(self.settings.session_hours * 3600), httponly=True, secure=secure,
            samesite="lax",
        )

    async def sign_out(self, token: str) -> None:
        async with self.db.transaction() as session:
            await people.delete_session(session, token_hash=token_digest(token))

    async def user_of(self, cookies: Mapping[str, str]) -> User | None:
        token = cookies.get(COOKIE)
        if not token:
            return None
        async with self.db.transaction() as session:
            user = await people.session_user(session, token_hash=token_digest(token), now=self.clock.now())
        return None if user is None or user.password_one_time else user

    async def expiry_of(self, cookies: Mapping[str, str]) -> datetime | None:
        """When the cookie's session ends by itself, if it is one."""
        token = cookies.get(COOKIE)
        if not token:
            return None
        async with self.db.transaction() as session:
            return await people.session_expiry(session, token_hash=token_digest(token))
