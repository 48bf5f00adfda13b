"""The chat sockets' own way in: a middleware that hands a WebSocket handshake on one of the
app's socket routes straight to its endpoint, past the rest of the middleware, Starlette's
exception layer and the router; everything else goes on as before.

A socket lives as long as its chat, and every layer it passed through stays suspended under it
for all that time (a coroutine each, and two wrappers of `send` from Starlette's exception
handling, which every outgoing frame then went through): about 5 KiB a socket, a fifth of an
idle visitor's. The layers skipped have nothing to do with a socket but the Origin check, which
is made here with the same function; the connections-per-address count is the layer before
this one. The endpoints answer their own errors (chat.web.sockets.connection), as they did.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from starlette.routing import BaseRoute, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from chat.base.settings import Settings
from chat.web.middleware import foreign_origin, refuse_origin

SocketEndpoint = Callable[[WebSocket], Awaitable[None]]


class SocketRoutes:
    def __init__(self, app: ASGIApp, *, routes: Sequence[BaseRoute], settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.endpoints: dict[str, SocketEndpoint] = {
            route.path: route.endpoint for route in routes if isinstance(route, WebSocketRoute)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = self.endpoints.get(scope["path"]) if scope["type"] == "websocket" else None
        if endpoint is None:
            await self.app(scope, receive, send)
        elif foreign_origin(scope, self.settings):
            await refuse_origin(scope, receive, send)
        else:
            await endpoint(WebSocket(scope, receive=receive, send=send))
