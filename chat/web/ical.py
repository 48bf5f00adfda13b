"""Each advisor's shifts as an iCalendar feed (RFC 5545), so calendar apps can subscribe.

Calendar apps send no cookie, so the feed URL carries a token: an HMAC of the username under the
service's secret key. It is unguessable, needs no storage, and changes only with the key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from chat.live.service import Hub
from storage import people, roster
from storage.tables import ShiftRow

PAST = timedelta(days=31)
AHEAD = timedelta(days=180)


def feed_token(secret_key: str, username: str) -> str:
    return hmac.new(secret_key.encode(), f"ical:{username}".encode(), hashlib.sha256).hexdigest()[:32]


def feed_path(secret_key: str, username: str) -> str:
    return f"/calendar/{username}.ics?token={feed_token(secret_key, username)}"


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
    hub: Hub = request.app.state.hub
    username = request.path_params["username"]
    token = request.query_params.get("token", "")
    expected = feed_token(request.app.state.secret_key, username)
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise HTTPException(404, "no such calendar")
    now = hub.clock.now()
    async with hub.transaction() as session:
        user = await people.user_by_username(session, username=username)
        if user is None or user.id is None:
            raise HTTPException(404, "no such calendar")
        shifts = await roster.shifts_of_user(session, user_id=user.id, start=now - PAST, end=now + AHEAD)
    host = request.url.hostname or "neuvo"
    return Response(calendar(username, shifts, now=now, host=host), media_type="text/calendar; charset=utf-8")
