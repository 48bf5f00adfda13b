"""What the web edges are given by the app factory, read off the app's state in one place:
the live service, the administration, sign-in sessions, storage, the clock, the settings and
the forecasts' turn.
Endpoints take what they need from here; none reaches one of them through another."""

from __future__ import annotations

from typing import TypeVar
from zoneinfo import ZoneInfo

from starlette.requests import HTTPConnection

from chat.admin.changes import Administration
from chat.base.clock import Clock
from chat.base.settings import Settings
from chat.base.threads import OneAtATime
from chat.live.interface import Live
from chat.web.auth import Sessions
from storage.database import Database

T = TypeVar("T")


def _given(connection: HTTPConnection, name: str, kind: type[T]) -> T:
    value = getattr(connection.app.state, name)
    assert isinstance(value, kind), f"app.state.{name} is set by the app factory"
    return value


def live_of(connection: HTTPConnection) -> Live:
    return _given(connection, "live", Live)  # type: ignore[type-abstract]  # a runtime-checkable Protocol


def admin_of(connection: HTTPConnection) -> Administration:
    return _given(connection, "admin", Administration)


def sessions_of(connection: HTTPConnection) -> Sessions:
    return _given(connection, "sessions", Sessions)


def db_of(connection: HTTPConnection) -> Database:
    return _given(connection, "db", Database)


def forecasts_of(connection: HTTPConnection) -> OneAtATime:
    """The staffing forecasts' turn: one simulation at a time in this process."""
    return _given(connection, "forecasts", OneAtATime)


def clock_of(connection: HTTPConnection) -> Clock:
    clock: Clock = connection.app.state.clock  # a Protocol: nothing to check at run time
    return clock


def settings_of(connection: HTTPConnection) -> Settings:
    return _given(connection, "settings", Settings)


def tz_of(connection: HTTPConnection) -> ZoneInfo:
    return settings_of(connection).tz


def secret_key_of(connection: HTTPConnection) -> str:
    return _given(connection, "secret_key", str)


def is_secure(connection: HTTPConnection) -> bool:
    """Served over TLS, directly or behind the proxy NEUVO_PUBLIC_URL names."""
    return connection.url.scheme == "https" or (settings_of(connection).public_url or "").startswith("https:")


def address_of(connection: HTTPConnection) -> str:
    return connection.client.host if connection.client else "unknown"
