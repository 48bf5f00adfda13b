"""The application factory: routes, middleware, and a lifespan that opens and closes storage,
broker and the live service. No module-level state: everything hangs off the app built here."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from chat.admin.changes import Administration
from chat.base.clock import Clock, SystemClock
from chat.base.ratelimit import CountingFactory, local_counting
from chat.base.settings import Settings
from chat.base.threads import OneAtATime
from chat.broker import Broker, open_broker
from chat.live.commands import Reconfigure
from chat.live.interface import Live
from chat.live.service import LiveService
from chat.web import api, openapi
from chat.web.auth import Sessions
from chat.web.bodylimit import BodyLimit
from chat.web.connections import ConnectionsPerAddress
from chat.web.middleware import OriginGuard, SecurityHeaders, WidgetCors
from chat.web.pages import console, console_offline, coordinator, statements
from chat.web.pages import session as session_pages
from chat.web.pages.common import SignInRequired, render, sign_in_redirect
from chat.web.sockets import advisor, visitor
from chat.web.sockets.routes import SocketRoutes
from chat.wire.errors import Unavailable, storage_failure
from storage.database import Database
from storage.errors import STORAGE_FAILURES, is_outage
from storage.retention import purge_job
from storage.setup import prepare, stored_secret_key

WIDGET_STATIC = Path(__file__).resolve().parent.parent / "widget" / "static"
PAGES_STATIC = Path(__file__).parent / "web" / "static"
STORAGE_RETRY_AFTER_S = 5


async def widget_script(request: Request) -> Response:
    return FileResponse(WIDGET_STATIC / "widget.js", media_type="text/javascript")


async def home(request: Request) -> Response:
    """A plain page that embeds the widget: the demo page, and a smoke test for operators."""
    settings: Settings = request.app.state.settings
    return render(request, "home.html", {"demo": settings.demo})


def _wants_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


async def http_error(request: Request, exc: Exception) -> Response:
    """JSON {code, message} for the API and scripts; a readable page for a browser."""
    assert isinstance(exc, HTTPException)
    if _wants_page(request):
        response = render(request, "error.html", {"status": exc.status_code, "message": exc.detail},
                          status=exc.status_code)
    else:
        response = api.problem(exc.status_code, "http_error", str(exc.detail))
    response.headers.update(exc.headers or {})  # a 405's Allow, for one
    return response


async def unavailable(request: Request, exc: Exception) -> Response:
    """The live service could not answer (several processes: Redis or the lease's owner is out of
    reach): nothing was done, and the client may ask again."""
    assert isinstance(exc, Unavailable)
    return api.problem(503, exc.code, exc.message)


async def server_error(request: Request, exc: Exception) -> Response:
    return api.problem(500, "server_error", "something went wrong on our side; nothing you sent was lost")


async def storage_unavailable(request: Request, exc: Exception) -> Response:
    """Storage could not work under the request (locked, full, unreachable): 503 `unavailable`,
    as a socket hears it; nothing was done, and the client may send it again. A statement the
    database refused is a 500, like any other bug."""
    if request.scope["type"] != "http":
        raise exc  # the sockets answer their own (chat.web.sockets)
    if not is_outage(exc):
        return await server_error(request, exc)  # a refused statement is a bug, not a wait
    refused = storage_failure(exc)
    response = api.problem(503, refused.code, refused.message)
    response.headers["retry-after"] = str(STORAGE_RETRY_AFTER_S)
    return response


def _live_service(db: Database, broker: Broker, settings: Settings, clock: Clock) -> Live:
    """One process on its own, or one of several sharing the live state through Redis."""
    if settings.redis_url:
        from chat.cluster.live import ClusterLive

        return ClusterLive(db=db, broker=broker, settings=settings, clock=clock)
    return LiveService(db=db, broker=broker, settings=settings, clock=clock)


def _counting(settings: Settings) -> tuple[CountingFactory, Any]:
    """Per-address and per-account counters: this process's own, or shared through Redis by
    several (with the client to close at the end)."""
    if not settings.redis_url:
        return local_counting, None
    from redis.asyncio import Redis

    from chat.cluster.limits import redis_counting

    redis = Redis.from_url(settings.redis_url)
    return redis_counting(redis), redis


def create_app(settings: Settings, *, clock: Clock | None = None) -> Starlette:
    service_clock = clock or SystemClock()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db = Database(settings.database_url, busy_timeout_s=settings.sqlite_busy_timeout_s)
        await prepare(db)
        app.state.secret_key = settings.secret_key or await stored_secret_key(db)
        broker = open_broker(settings.redis_url)
        await broker.connect()
        live = _live_service(db, broker, settings, service_clock)
        await live.start()
        background = [
            asyncio.create_task(live.ticks()),
            asyncio.create_task(purge_job(db, now=service_clock.now, default_days=settings.retention_days)),
        ]
        app.state.live = live
        app.state.db = db
        counting, shared = _counting(settings)
        app.state.sessions = Sessions(db=db, clock=service_clock, settings=settings, counting=counting)
        app.state.offline_limit = counting("offline-address", settings.offline_per_address, api.OFFLINE_WINDOW_S)
        app.state.admin = Administration(
            db=db, clock=service_clock, tz=settings.tz, changed=lambda: live.run(Reconfigure())
        )
        app.state.forecasts = OneAtATime()  # made here, on the loop that serves: its lock is that loop's
        try:
            yield
        finally:
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            await live.stop()
            if shared is not None:
                await shared.aclose()
            await broker.disconnect()
            await db.close()

    routes = [
        Route("/", home),
        Route("/widget.js", widget_script),
        Mount("/widget", app=StaticFiles(directory=WIDGET_STATIC), name="widget"),
        Route("/api/service", api.service),
        Route("/help/{link_id:int}", api.follow_topic_link),
        Route("/api/offline-messages", api.offline_message, methods=["POST"]),
        Route("/api/session", api.session, methods=["POST", "DELETE"]),
        Route(openapi.PATH, openapi.endpoint),
        Route("/healthz", api.healthz),
        Route("/metrics", api.metrics),
        WebSocketRoute("/ws/visitor", visitor.endpoint),
        WebSocketRoute("/ws/advisor", advisor.endpoint),
        Mount("/static", app=StaticFiles(directory=PAGES_STATIC), name="static"),
        *session_pages.routes,
        *console.routes,
        *console_offline.routes,
        *coordinator.routes,
        *statements.routes,
    ]
    middleware = [
        Middleware(ConnectionsPerAddress, limit=settings.connections_per_address),
        Middleware(SocketRoutes, routes=routes, settings=settings),  # the sockets' way past the rest
        Middleware(SecurityHeaders, settings=settings),
        Middleware(OriginGuard, settings=settings),
        Middleware(WidgetCors, settings=settings),
        Middleware(BodyLimit, settings=settings),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={
            HTTPException: http_error, SignInRequired: sign_in_redirect, Unavailable: unavailable,
            Exception: server_error, **dict.fromkeys(STORAGE_FAILURES, storage_unavailable),
        },
    )
    app.state.settings = settings
    app.state.clock = service_clock
    return app
