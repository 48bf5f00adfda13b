"""Public HTTP: service state, offline messages, sign-in, health."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from chat.base.jsontext import BadJson, loads
from chat.base.ratelimit import Counting, CountingUnavailable
from chat.base.settings import Settings
from chat.live.commands import AskStatus
from chat.live.config import ServiceConfig
from chat.web import auth
from chat.web.context import address_of, clock_of, db_of, is_secure, live_of, sessions_of, settings_of
from chat.web.known_browsers import remember_browser, sign_in_attempt
from chat.web.signout import end_session
from chat.wire.errors import BadField, storage_failure
from chat.wire.incoming import storable
from chat.wire.outgoing import at
from routing.hours import OpeningHours
from routing.wallclock import local_day
from storage import offline, survey, topic_links
from storage.errors import STORAGE_FAILURES

MAX_CONTACT_CHARS = 200
OFFLINE_WINDOW_S = 3600  # NEUVO_OFFLINE_PER_ADDRESS counts within this
WEEK_DAYS = 7  # /api/service's "week": today and the six dates after it


def problem(status: int, code: str, message: str) -> JSONResponse:
    """Every 4xx/5xx JSON body is {"code", "message"}."""
    return JSONResponse({"code": code, "message": message}, status_code=status)


def too_many(retry_after_s: int, message: str) -> JSONResponse:
    """429 rate_limited with the seconds to wait in Retry-After."""
    response = problem(429, "rate_limited", message)
    response.headers["retry-after"] = str(retry_after_s)
    return response


async def _json_object(request: Request) -> dict[str, Any] | JSONResponse:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return problem(415, "bad_content_type", "send JSON with Content-Type: application/json")
    try:
        body = loads(await request.body(), max_depth=settings_of(request).max_json_depth)
    except BadJson as bad:
        return problem(422, "bad_json", str(bad))
    if not isinstance(body, dict):
        return problem(422, "bad_json", "the body must be a JSON object")
    return body


async def service(request: Request) -> Response:
    live = live_of(request)
    status = await live.run(AskStatus())
    config = live.config
    settings = settings_of(request)
    return JSONResponse({
        "open": status.open,
        "accepting": status.accepting,
        "next_open": status.next_open,
        "topics": [
            {"id": t.id, "label": {"fi": t.label_fi, "sv": t.label_sv, "en": t.label_en},
             "help": {language: [{"title": link.title, "href": f"/help/{link.id}"} for link in links]
                      for language, links in config.topic_links.get(t.id, {}).items()}}
            for t in config.topics.values()
        ],
        "languages": config.languages,
        "queue_length": status.queue_length,
        "estimated_wait_s": status.estimated_wait_s,
        "max_length": settings.max_message_chars,
        "retention_days": config.retention_days or settings.retention_days,
        "exit_url": config.exit_url,
        "timezone": settings.timezone,
        "week": _week(config.hours, clock_of(request).now(), settings.tz),
        "languages_on_duty": {language: language in status.languages_on_duty for language in config.languages},
        "survey": [
            {"id": q.id, "kind": q.kind, "text": {"fi": q.text_fi, "sv": q.text_sv, "en": q.text_en},
             "options": survey.options_of(q)}
            for q in config.survey
        ],
    })


def _week(hours: OpeningHours, now: datetime, tz: ZoneInfo) -> list[dict[str, Any]]:
    """Today and the six dates after it, in the service's time zone, each with its opening hours
    (holidays and other exception dates included; an empty list is closed all day)."""
    return [
        {"date": day.isoformat(), "hours": [{"start": at(i.start, tz), "end": at(i.end, tz)} for i in intervals]}
        for day, intervals in hours.days(local_day(now, tz), WEEK_DAYS)
    ]


async def follow_topic_link(request: Request) -> Response:
    """A topic link, counted (its topic, language and hour only) on the way to its page. Only
    stored links are followed: this is no open redirect."""
    async with db_of(request).transaction() as session:
        link = await topic_links.topic_link(session, link_id=request.path_params["link_id"])
        if link is None:
            return problem(404, "not_found", "no such link")
        now = clock_of(request).now()
        await topic_links.record_click(session, link=link, hour=now.replace(minute=0, second=0, microsecond=0))
    return RedirectResponse(link.url, status_code=303)


async def offline_message(request: Request) -> Response:
    body = await _json_object(request)
    if isinstance(body, JSONResponse):
        return body
    error = _check_offline(live_of(request).config, settings_of(request), body)
    if error:
        return problem(422, "bad_field", error)
    contact = body.get("contact") or None
    limit: Counting = request.app.state.offline_limit
    address = address_of(request)
    try:
        if not await limit.take(address, time.time()):  # wall time: several processes may count together
            return too_many(OFFLINE_WINDOW_S, "too many offline messages from this address; please try again later")
    except CountingUnavailable:
        return problem(503, "unavailable", "the message cannot be taken now; please try again in a moment")
    try:
        async with db_of(request).transaction() as session:
            stored = await offline.add_offline_message(
                session, topic=body["topic"], language=body["language"], text=body["text"], contact=contact,
                now=clock_of(request).now(),
            )
    except STORAGE_FAILURES as failure:
        await limit.take_back(address)
        refused = storage_failure(failure)
        return problem(503, refused.code, refused.message)
    return JSONResponse({"id": str(stored.id)}, status_code=201)


def _check_offline(config: ServiceConfig, settings: Settings, body: dict[str, Any]) -> str | None:
    """A readable reason the offline message cannot be taken, or None."""
    topic, language = body.get("topic"), body.get("language")
    if not isinstance(topic, str) or topic not in config.topics:  # a list or an object is no key
        return "topic: choose one of the service's topics"
    if not isinstance(language, str) or language not in config.languages:
        return "language: choose one of the service's languages"
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        return "text: write a message"
    if len(text) > settings.max_message_chars:
        return f"text: at most {settings.max_message_chars} characters"
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


async def session(request: Request) -> Response:
    """POST signs in, DELETE signs out: one route, so that a 405 on it names both in Allow."""
    return await (create_session(request) if request.method == "POST" else delete_session(request))


async def create_session(request: Request) -> Response:
    sessions = sessions_of(request)
    body = await _json_object(request)
    if isinstance(body, JSONResponse):
        return body
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        return problem(422, "bad_field", "username and password must be strings")
    try:
        signed_in = await sessions.attempt(sign_in_attempt(request, username, password))
    except auth.Throttled:
        throttled = problem(429, "throttled", "too many failed sign-ins; try again in 15 minutes")
        throttled.headers["retry-after"] = str(auth.THROTTLE_WINDOW_S)
        return throttled
    except auth.PasswordChangeRequired:
        return problem(403, "password_change_required",
                       "this password was set by someone else: choose your own on the sign-in page first")
    except CountingUnavailable:
        return problem(503, "unavailable", "sign-in cannot be checked now; please try again in a moment")
    if signed_in is None:
        return problem(401, "bad_credentials", "wrong username or password")
    user, token = signed_in
    response = JSONResponse({"username": user.username, "name": user.name, "role": user.role})
    sessions.set_cookie(response, token, secure=is_secure(request))
    remember_browser(response, request, user.username)
    return response


async def delete_session(request: Request) -> Response:
    token = request.cookies.get(auth.COOKIE)
    if token:
        await end_session(request, token)
    response = Response(status_code=204)
    response.delete_cookie(auth.COOKIE)
    return response


async def metrics(request: Request) -> Response:
    """Prometheus text format: counts and gauges only (see chat/metrics.py)."""
    return Response(live_of(request).metrics.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")


async def healthz(request: Request) -> Response:
    if await db_of(request).ping() and await live_of(request).healthy():
        return JSONResponse({"status": "ok"})
    return problem(503, "unhealthy", "the database or Redis is not reachable")
