"""Cross-cutting checks as pure ASGI middleware, so they cover WebSocket handshakes too
(Starlette's BaseHTTPMiddleware would pass sockets straight through).

The widget origins are live: NEUVO_WIDGET_ORIGINS plus the list a coordinator keeps on the
settings page, read from the hub's configuration on every request, so a change applies as soon
as the hub reloads it."""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from chat.base.settings import Settings

# Paths a participating organisation's page may reach from its own origin.
WIDGET_PATHS = ("/ws/visitor", "/api/offline-messages")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def widget_origins(scope: Scope, settings: Settings) -> frozenset[str]:
    """The origins that may embed the widget now: the settings' and the coordinator's. Before the
    lifespan has started the hub, only the settings'."""
    hub = getattr(getattr(scope.get("app"), "state", None), "hub", None)
    stored: frozenset[str] = hub.config.widget_origins if hub is not None else frozenset()
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
        if scope["type"] == "websocket" or (scope["type"] == "http" and scope["method"] not in SAFE_METHODS):
            origin = Headers(scope=scope).get("origin")
            if origin is not None and not self._allowed(origin.rstrip("/"), scope):
                await self._refuse(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _allowed(self, origin: str, scope: Scope) -> bool:
        if origin == own_origin(scope, self.settings):
            return True
        return scope["path"] in WIDGET_PATHS and origin in widget_origins(scope, self.settings)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
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


class SecurityHeaders:
    """Headers every HTTP response carries."""

    HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        # same-origin, not no-referrer: under no-referrer Chromium posts forms with "Origin: null",
        # which the Origin check must refuse. Other sites still get no referrer.
        (b"referrer-policy", b"same-origin"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))  # type: ignore[call-overload]
                headers.extend(self.HEADERS)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)  # type: ignore[arg-type]
