"""Each advisor's shifts as an iCalendar feed (RFC 5545), so calendar apps can subscribe.

Calendar apps send no cookie, so the feed URL carries a token: an HMAC of the username and the
user's own calendar secret (stored with them) under the service's secret key. It is
unguessable; renewing the user's secret (chat.admin.people.renew_calendar) revokes a leaked
address of that user alone. A deactivated user has no feed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from chat.web.context import clock_of, db_of
from chat.wire.incoming import is_storable
from storage import people, roster
from storage.tables import ShiftRow, User

PAST = timedelta(days=31)
AHEAD = timedelta(days=180)


def feed_token(secret_key: str, username: str, calendar_secret: str) -> str:
    # Without a secret of their own (users made before there was one) the address stays as it was.
    subject = f"ical:{username}:{calendar_secret}" if calendar_secret else f"ical:{username}"
    return hmac.new(secret_key.encode(), subject.encode(), hashlib.sha256).hexdigest()[:32]


def feed_path(secret_key: str, user: User) -> str:
    return f"/calendar/{user.username}.ics?token={feed_token(secret_key, user.username, user.calendar_secret)}"


def _stamp(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def calendar(username: str, shifts: Sequence[ShiftRow], *, now: datetime, host: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Neuvo//Roster//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(f'Neuvo – {username}')}",
    ]
    for shift in shifts:
        lines += [
            "BEGIN:VEVENT",
            f"UID:shift-{shift.id}-{_stamp(shift.start)}@{_text(host)}",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART:{_stamp(shift.start)}",
            f"DTEND:{_stamp(shift.end)}",
            f"SUMMARY:{_text('Neuvo chat shift')}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


async def calendar_feed(request: Request) -> Response:
    username = request.path_params["username"]
    token = request.query_params.get("token", "")
    now = clock_of(request).now()
    if not is_storable(username):  # nobody's name, and PostgreSQL refuses to look it up
        raise HTTPException(404, "no such calendar")
    async with db_of(request).transaction() as session:
        user = await people.user_by_username(session, username=username)
        # The same 404 for an unknown user, a deactivated one and a wrong or renewed token.
        secret = user.calendar_secret if user is not None and user.active else secrets.token_hex(16)
        expected = feed_token(request.app.state.secret_key, username, secret)
        if not hmac.compare_digest(token.encode(), expected.encode()) or user is None or user.id is None:
            raise HTTPException(404, "no such calendar")
        shifts = await roster.shifts_of_user(session, user_id=user.id, start=now - PAST, end=now + AHEAD)
    host = request.url.hostname or "neuvo"
    return Response(calendar(username, shifts, now=now, host=host), media_type="text/calendar; charset=utf-8")
