"""The undo of the last roster change, carried by the page that reports the change.

The `Changes` the change made (every shift it touched, before and after) are packed into a
token signed for the session that made it (an HMAC under the secret key, keyed to the session's
CSRF token), so only that coordinator can send it back, and only as it was made. Nothing is
stored: the token says what to put back, and chat.admin.roster_changes.undo checks that each
shift is still as the change left it before it puts anything back."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import zlib
from datetime import UTC, datetime

from starlette.requests import Request

from chat.admin.roster import Changes
from chat.web.pages.common import csrf_token
from storage.rostering import ShiftChange, ShiftState


def _signature(request: Request, body: str) -> str:
    key: str = request.app.state.secret_key
    return hmac.new(key.encode(), f"undo:{csrf_token(request)}:{body}".encode(), hashlib.sha256).hexdigest()


def _state(state: ShiftState) -> list[int]:
    return [state.user_id, int(state.start.timestamp()), int(state.end.timestamp()), int(state.on_roster)]


def _unstate(value: list[int]) -> ShiftState:
    user_id, start, end, on_roster = value
    return ShiftState(user_id, datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC), bool(on_roster))


def pack(request: Request, changes: Changes) -> str:
    """The changes as a token for this session."""
    data = json.dumps([[c.shift_id, _state(c.before), _state(c.after), int(c.created)] for c in changes],
                      separators=(",", ":"))
    body = base64.urlsafe_b64encode(zlib.compress(data.encode())).decode().rstrip("=")
    return f"{body}.{_signature(request, body)}"


def unpack(request: Request, token: str) -> Changes | None:
    """The changes a token of this session carries; None for a token not made for it."""
    body, _, signature = token.partition(".")
    if not hmac.compare_digest(signature, _signature(request, body)):
        return None
    try:
        data = json.loads(zlib.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))))
        return tuple(ShiftChange(shift_id, _unstate(before), _unstate(after), bool(created))
                     for shift_id, before, after, created in data)
    except (binascii.Error, zlib.error, ValueError, TypeError):
        return None
