"""Known browsers: a browser that has signed in as a user gets a signed cookie, and its sign-ins
as that user are throttled on their own, apart from everyone else's (OWASP's "device cookies").

So an attacker who fails a user's password over and over, from any number of addresses, locks
out only unknown browsers of that user; the user's own browser still signs in. The cookie holds
a random id and its HMAC under the service's secret key over the username; nothing of it is
stored, and a browser that knows it learns only that it signed in as that user before.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

from chat.web.auth import SignInAttempt
from chat.web.context import address_of, is_secure, secret_key_of

COOKIE = "neuvo_known_browser"
MAX_AGE_S = 180 * 24 * 3600  # half a year: a browser in daily use stays known


def sign_in_attempt(request: Request, username: str, password: str) -> SignInAttempt:
    """The attempt as the throttle counts it: from this address, and from this browser if known."""
    return SignInAttempt(username, password, address_of(request), known_browser(request, username))


def known_browser(request: Request, username: str) -> str | None:
    """The browser's id when its cookie says it has signed in as this user before; else None."""
    browser_id, _, mac = request.cookies.get(COOKIE, "").partition(".")
    if browser_id and hmac.compare_digest(mac, _mac(request, username, browser_id)):
        return browser_id
    return None


def remember_browser(response: Response, request: Request, username: str) -> None:
    """After a right password: this browser is known for this user from now on."""
    browser_id = known_browser(request, username) or secrets.token_urlsafe(12)
    value = f"{browser_id}.{_mac(request, username, browser_id)}"
    response.set_cookie(
        COOKIE, value, max_age=MAX_AGE_S, httponly=True, secure=is_secure(request), samesite="strict")


def _mac(request: Request, username: str, browser_id: str) -> str:
    key = secret_key_of(request)
    subject = f"known-browser:{username.lower()}:{browser_id}"
    return hmac.new(key.encode(), subject.encode(), hashlib.sha256).hexdigest()
