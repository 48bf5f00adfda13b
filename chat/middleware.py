"""Cross-cutting checks as pure ASGI middleware, so they cover WebSocket handshakes too
(Starlette's BaseHTTPMiddleware would pass sockets straight through)."""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from chat.settings import Settings

# Paths a participating organisation's page may reach from its own origin.
WIDGET_PATHS = ("/ws/visitor", "/api/offline-messages")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


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
        self.widget_origins = frozenset(settings.widget_origins)

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
        return scope["path"] in WIDGET_PATHS and origin in self.widget_origins

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
