"""Public HTTP: service state, offline messages, sign-in, health."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chat.live.service import Hub
from chat.web import auth
from chat.wire.errors import BadField
from chat.wire.incoming import storable
from chat.wire.outgoing import at
from storage import offline
from storage.errors import STORAGE_FAILURES

MAX_CONTACT_CHARS = 200


def problem(status: int, code: str, message: str) -> JSONResponse:
    """Every 4xx/5xx JSON body is {"code", "message"}."""
    return JSONResponse({"code": code, "message": message}, status_code=status)


def is_secure(request: Request) -> bool:
    """Served over TLS, directly or behind the proxy NEUVO_PUBLIC_URL names."""
    hub = _hub(request)
    return request.url.scheme == "https" or (hub.settings.public_url or "").startswith("https:")


def _hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


def address_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _json_object(request: Request) -> dict[str, Any] | JSONResponse:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return problem(415, "bad_content_type", "send JSON with Content-Type: application/json")
    try:
        body = json.loads(await request.body())
    except ValueError:
        return problem(422, "bad_json", "the body is not valid JSON")
    if not isinstance(body, dict):
        return problem(422, "bad_json", "the body must be a JSON object")
    return body


async def service(request: Request) -> Response:
    hub = _hub(request)
    now = hub.clock.now()
    config = hub.config
    is_open = hub.is_open(now)
    next_open = config.hours.next_open(now) if not is_open else None
    waiting = hub.waiting()
    wait = hub.place_of(waiting[-1], now)[1] if waiting else None
    return JSONResponse({
        "open": is_open,
        "accepting": hub.accepting(now),
        "next_open": at(next_open, hub.tz) if next_open else None,
        "topics": [
            {"id": t.id, "label": {"fi": t.label_fi, "sv": t.label_sv, "en": t.label_en}}
            for t in config.topics.values()
        ],
        "languages": config.languages,
        "queue_length": len(waiting),
        "estimated_wait_s": wait,
        "max_length": hub.settings.max_message_chars,
        "retention_days": hub.config.retention_days or hub.settings.retention_days,
    })


async def offline_message(request: Request) -> Response:
    hub = _hub(request)
    body = await _json_object(request)
    if isinstance(body, JSONResponse):
        return body
    error = _check_offline(hub, body)
    if error:
        return problem(422, "bad_field", error)
    contact = body.get("contact") or None
    try:
        async with hub.transaction() as session:
            stored = await offline.add_offline_message(
                session, topic=body["topic"], language=body["language"], text=body["text"], contact=contact,
                now=hub.clock.now(),
            )
    except STORAGE_FAILURES:
        return problem(503, "unavailable", "the message could not be saved now; please try again")
    return JSONResponse({"id": str(stored.id)}, status_code=201)


def _check_offline(hub: Hub, body: dict[str, Any]) -> str | None:
    """A readable reason the offline message cannot be taken, or None."""
    if body.get("topic") not in hub.config.topics:
        return "topic: choose one of the service's topics"
    if body.get("language") not in hub.config.languages:
        return "language: choose one of the service's languages"
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        return "text: write a message"
    if len(text) > hub.settings.max_message_chars:
        return f"text: at most {hub.settings.max_message_chars} characters"
    contact = body.get("contact")
    if contact is not None and (not isinstance(contact, str) or len(contact) > MAX_CONTACT_CHARS):
        return f"contact: text of at most {MAX_CONTACT_CHARS} characters"
    try:
        storable(text, "text")
        if contact:
            storable(contact, "contact")
    except BadField as error:
        return error.message
    return None


async def create_session(request: Request) -> Response:
    hub = _hub(request)
    throttle: auth.LoginThrottle = request.app.state.login_throttle
    body = await _json_object(request)
    if isinstance(body, JSONResponse):
        return body
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        return problem(422, "bad_field", "username and password must be strings")
    try:
        signed_in = await auth.attempt(hub, throttle, username=username, password=password, address=address_of(request))
    except auth.Throttled:
        return problem(429, "throttled", "too many failed sign-ins; try again in 15 minutes")
    if signed_in is None:
        return problem(401, "bad_credentials", "wrong username or password")
    user, token = signed_in
    response = JSONResponse({"username": user.username, "name": user.name, "role": user.role})
    auth.set_session_cookie(response, token, hub=hub, secure=is_secure(request))
    return response


async def delete_session(request: Request) -> Response:
    token = request.cookies.get(auth.COOKIE)
    if token:
        await auth.sign_out(_hub(request), token)
    response = Response(status_code=204)
    response.delete_cookie(auth.COOKIE)
    return response


async def metrics(request: Request) -> Response:
    """Prometheus text format: counts and gauges only (see chat/metrics.py)."""
    return Response(_hub(request).metrics.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")


async def healthz(request: Request) -> Response:
    if await _hub(request).db.ping():
        return JSONResponse({"status": "ok"})
    return problem(503, "unhealthy", "the database is not reachable")
