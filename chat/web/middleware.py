"""Cross-cutting checks as pure ASGI middleware, so they cover WebSocket handshakes too
(Starlette's BaseHTTPMiddleware would pass sockets straight through).

The widget origins are live: NEUVO_WIDGET_ORIGINS plus the list a coordinator keeps on the
settings page, read from the live service's configuration on every request, so a change applies
as soon as it is reloaded."""

from __future__ import annotations

import json
import re

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from chat.base.settings import Settings

# Paths a participating organisation's page may reach from its own origin.
WIDGET_PATHS = ("/ws/visitor", "/api/offline-messages")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def widget_origins(scope: Scope, settings: Settings) -> frozenset[str]:
    """The origins that may embed the widget now: the settings' and the coordinator's. Before the
    lifespan has started the live service, only the settings'."""
    live = getattr(getattr(scope.get("app"), "state", None), "live", None)
    stored: frozenset[str] = live.config.widget_origins if live is not None else frozenset()
    return frozenset(settings.widget_origins) | stored


def own_origin(scope: Scope, settings: Settings) -> str:
    """NEUVO_PUBLIC_URL when set (behind a TLS proxy), else scheme and Host of the request."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    scheme = {"ws": "http", "wss": "https"}.get(scope["scheme"], scope["scheme"])
    host = Headers(scope=scope).get("host", "")
    return f"{scheme}://{host}"


class OriginGuard:
    """Refuse a foreign Origin on every socket handshake and every state-changing request.

    A request without an Origin header comes from no browser (a script, a probe) and is
    treated as the server's own.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        checked = scope["type"] == "websocket" or (scope["type"] == "http" and scope["method"] not in SAFE_METHODS)
        if checked and foreign_origin(scope, self.settings):
            await refuse_origin(scope, receive, send)
            return
        await self.app(scope, receive, send)


def foreign_origin(scope: Scope, settings: Settings) -> bool:
    """Whether the request's Origin may not reach this path (OriginGuard's check, which the
    sockets' own route makes too: chat.web.sockets.routes)."""
    origin = Headers(scope=scope).get("origin")
    if origin is None:
        return False
    origin = origin.rstrip("/")
    if origin == own_origin(scope, settings):
        return False
    return not (scope["path"] in WIDGET_PATHS and origin in widget_origins(scope, settings))


async def refuse_origin(scope: Scope, receive: Receive, send: Send) -> None:
    """A socket handshake closed before accept (HTTP 403), or a 403 `forbidden_origin` as JSON."""
    if scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1008})  # before accept: HTTP 403
        return
    body = json.dumps({"code": "forbidden_origin", "message": "requests from this origin are not allowed"})
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body.encode()})


class WidgetCors:
    """CORS for the widget origins (see `widget_origins`): a preflight from one is answered here,
    and other responses to one carry Access-Control-Allow-Origin. Other origins get no CORS
    headers, so their browsers keep the answers from them; their preflights are refused (400).
    Starlette's CORSMiddleware takes a fixed list, hence this small layer."""

    METHODS = b"GET, POST"
    HEADERS = b"Content-Type"
    MAX_AGE = b"600"

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        origin = headers.get("origin") if headers is not None else None
        if headers is None or origin is None:
            await self.app(scope, receive, send)
            return
        allowed = origin.rstrip("/") in widget_origins(scope, self.settings)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(send, origin if allowed else None)
            return
        cors = [(b"access-control-allow-origin", origin.encode("latin-1"))] if allowed else []

        async def send_with_cors(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *cors, (b"vary", b"Origin")]  # type: ignore[misc]
            await send(message)

        await self.app(scope, receive, send_with_cors)  # type: ignore[arg-type]

    async def _preflight(self, send: Send, origin: str | None) -> None:
        if origin is None:
            body = b"origin not allowed"
            headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"vary", b"Origin")]
            status = 400
        else:
            body = b"OK"
            headers = [
                (b"access-control-allow-origin", origin.encode("latin-1")),
                (b"access-control-allow-methods", self.METHODS),
                (b"access-control-allow-headers", self.HEADERS),
                (b"access-control-max-age", self.MAX_AGE),
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"vary", b"Origin"),
            ]
            status = 200
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


# The conversation's document, the one page other sites may frame (widget/static/frame.html).
FRAME_PATH = "/widget/frame.html"
# What may stand in a CSP source list: an origin, nothing that could end the directive or header.
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")


def content_security_policy(scope: Scope, settings: Settings) -> str:
    """No inline script or style anywhere (the console's setup is a JSON data block, read by its
    module), everything from the server's own origin, its sockets included. Only the frame
    document may be framed, and only by the widget origins and the server itself."""
    own = own_origin(scope, settings)
    sockets = own.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    if scope["path"] == FRAME_PATH:
        ancestors = " ".join(["'self'", *sorted(o for o in widget_origins(scope, settings) if _ORIGIN.match(o))])
    else:
        ancestors = "'none'"
    return "; ".join((
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        f"connect-src 'self' {sockets}", "frame-src 'self'", "object-src 'none'", "base-uri 'none'",
        "form-action 'self'", f"frame-ancestors {ancestors}",
    ))


class SecurityHeaders:
    """Headers every HTTP response carries: the Content-Security-Policy above, X-Frame-Options DENY
    on everything but the frame document (whose framing frame-ancestors says), nosniff, the
    referrer policy, and HSTS when the public address is https."""

    HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        # same-origin, not no-referrer: under no-referrer Chromium posts forms with "Origin: null",
        # which the Origin check must refuse. Other sites still get no referrer.
        (b"referrer-policy", b"same-origin"),
    )
    HSTS = (b"strict-transport-security", b"max-age=31536000")

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def headers_for(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        headers = [*self.HEADERS,
                   (b"content-security-policy", content_security_policy(scope, self.settings).encode("latin-1"))]
        if scope["path"] != FRAME_PATH:
            headers.append((b"x-frame-options", b"DENY"))
        if (self.settings.public_url or "").startswith("https:"):
            headers.append(self.HSTS)
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers_for(scope)

        async def send_with_headers(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))  # type: ignore[call-overload]
                headers.extend(extra)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)  # type: ignore[arg-type]
