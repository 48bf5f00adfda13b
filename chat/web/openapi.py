"""The OpenAPI 3.1 description of the JSON HTTP API, served at /api/openapi.json: the one place
that says what each /api endpoint (and /healthz, /metrics) takes and answers.

It is built on every request from the settings and the live configuration, with the limits the
validators use (message length, contact length, body size) and the topics and languages they
accept now, so it cannot drift from the code by a copied number. Every status an endpoint can
answer is listed, the middleware's too: 403 for a foreign Origin on a state-changing request,
413 for a body over its limit, 429 for too many connections from one address (with
Retry-After), 503 from uvicorn at NEUVO_MAX_CONNECTIONS (plain text). Every other 4xx/5xx body
is `{"code", "message"}`, the codes each status can carry listed with it.

Sessions: the console's JSON needs the HttpOnly session cookie `POST /api/session` sets. There
is no CSRF header: a state-changing JSON request is guarded by the Origin check (a foreign
Origin is 403 `forbidden_origin`) and the cookie is SameSite=Lax, as PROTOCOL.md says."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chat.admin.profiles import ROLES
from chat.base.settings import Settings
from chat.live.config import ServiceConfig
from chat.web import api, auth
from chat.web.context import live_of, settings_of

PATH = "/api/openapi.json"
JSON = "application/json"
Schema = dict[str, Any]

# Text the database can hold (chat.wire.incoming.storable): no NUL. Lone surrogates cannot be
# sent as UTF-8 at all; one escaped in JSON ("\ud800") is refused the same way.
NO_NUL = "^[^\\u0000]*$"
# ...and with something besides white space (the offline message's `text.strip()`).
WRITTEN = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"


def _object(properties: dict[str, Schema], *, optional: tuple[str, ...] = (), closed: bool = True) -> Schema:
    """An object with these properties, all required but the optional ones; a closed one (what
    the server answers) has no others."""
    schema: Schema = {"type": "object", "properties": properties,
                      "required": [name for name in properties if name not in optional]}
    if closed:
        schema["additionalProperties"] = False
    return schema


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(description: str, schema: Schema, **extra: Any) -> Schema:
    return {"description": description, "content": {JSON: {"schema": schema}}, **extra}


def _problem(description: str, *codes: str, retry_after: bool = False) -> Schema:
    """A 4xx/5xx answer: {"code": one of these, "message": readable text}."""
    schema = _object({"code": {"type": "string", "enum": list(codes)}, "message": {"type": "string"}})
    extra = {"headers": {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}}} if retry_after else {}
    return _json(description, schema, **extra)


def _problems(settings: Settings) -> dict[str, Schema]:
    """Answers several endpoints share, by name."""
    return {
        "ForeignOrigin": _problem("The Origin header names a site that may not send this.", "forbidden_origin"),
        "TooLarge": _problem(f"The body is over NEUVO_MAX_BODY_BYTES ({settings.max_body_bytes} bytes).",
                             "too_large"),
        "NotJson": _problem("The Content-Type is not application/json.", "bad_content_type"),
        "TooManyConnections": _problem(
            f"This address holds NEUVO_CONNECTIONS_PER_ADDRESS ({settings.connections_per_address}) requests and "
            "sockets already.", "too_many_connections", retry_after=True),
        "Overloaded": {"description": "The process holds NEUVO_MAX_CONNECTIONS connections (uvicorn's own answer).",
                       "content": {"text/plain": {"schema": {"type": "string"}}}},
    }


def _shared(*names: str) -> dict[str, Schema]:
    statuses = {"ForeignOrigin": "403", "TooLarge": "413", "NotJson": "415"}
    return {statuses[name]: {"$ref": f"#/components/responses/{name}"} for name in names}


def _unavailable(description: str, code: str) -> Schema:
    """503 from the endpoint itself (JSON), or from uvicorn at NEUVO_MAX_CONNECTIONS (plain text)."""
    answer = _problem(f"{description} Or: the process holds NEUVO_MAX_CONNECTIONS connections (uvicorn's "
                      "plain text).", code)
    answer["content"]["text/plain"] = {"schema": {"type": "string"}}
    return answer


def _every(responses: dict[str, Schema]) -> dict[str, Schema]:
    """The answers of an operation, with the 429 and 503 the middleware and uvicorn give any request
    (an operation with its own 429 or 503 lists those codes in it)."""
    return {"429": {"$ref": "#/components/responses/TooManyConnections"},
            "503": {"$ref": "#/components/responses/Overloaded"}, **responses}


def _bad_json(settings: Settings, *more: str) -> Schema:
    return _problem(
        f"The body is not UTF-8, not JSON, not a JSON object, nested deeper than NEUVO_MAX_JSON_DEPTH "
        f"({settings.max_json_depth}), or a field is missing or wrong (the message names it).", "bad_json", *more)


def _schemas(settings: Settings, config: ServiceConfig) -> dict[str, Schema]:
    text = {"type": "string"}
    return {
        "Service": _object({
            "open": {"type": "boolean", "description": "Inside the opening hours."},
            "accepting": {"type": "boolean",
                          "description": "New chats are taken now: open, and an advisor on shift signed in."},
            "next_open": {"type": ["string", "null"], "format": "date-time"},
            "topics": {"type": "array", "items": _object({
                "id": text, "label": _object({"fi": text, "sv": text, "en": text}),
                "help": {"type": "object", "description": "Links that may help with the topic, per language "
                         "(a language without links is left out); /help/<id> counts the visit and redirects.",
                         "additionalProperties": {"type": "array", "items": _object({"title": text, "href": text})}},
            })},
            "languages": {"type": "array", "items": text},
            "queue_length": {"type": "integer", "minimum": 0},
            "estimated_wait_s": {"type": ["integer", "null"], "minimum": 0},
            "max_length": {"type": "integer", "const": settings.max_message_chars,
                           "description": "The longest message text, in characters."},
            "retention_days": {"type": "integer"},
            "exit_url": {"type": ["string", "null"], "format": "uri",
                         "description": "Where the quick exit goes (https); null: the widget's default."},
            "timezone": {"type": "string", "description": "The service's time zone (IANA name)."},
            "week": {"type": "array", "description": "Today and the six days after it with their opening hours.",
                     "items": _object({"date": {"type": "string", "format": "date"}, "hours": {
                         "type": "array", "items": _object({"start": {"type": "string", "format": "date-time"},
                                                            "end": {"type": "string", "format": "date-time"}})}})},
            "languages_on_duty": {"type": "object", "additionalProperties": {"type": "boolean"},
                                  "description": "Per language: whether someone on duty now speaks it."},
            "survey": {"type": "array", "description": "The post-chat questionnaire's questions (at most five).",
                       "items": _object({
                           "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["scale", "choice", "text"]},
                           "text": _object({"fi": text, "sv": text, "en": text}),
                           "options": {"type": "array", "items": _object({"fi": text, "sv": text, "en": text})},
                       })},
        }),
        "OfflineMessage": _object({
            "topic": {"type": "string", "enum": sorted(config.topics)},
            "language": {"type": "string", "enum": list(config.languages)},
            "text": {"type": "string", "minLength": 1, "maxLength": settings.max_message_chars, "pattern": WRITTEN},
            "contact": {"type": ["string", "null"], "maxLength": api.MAX_CONTACT_CHARS, "pattern": NO_NUL,
                        "description": "How to answer (e-mail, phone); leave out for none."},
        }, optional=("contact",), closed=False),
        "Credentials": _object({
            "username": {"type": "string", "pattern": NO_NUL,
                         "description": "No user's name holds a NUL: one that does is wrong credentials (401)."},
            "password": text,
        }, closed=False),
        "SignedIn": _object({"username": text, "name": text, "role": {"type": "string", "enum": list(ROLES)}}),
        "Colleague": _object({
            "username": text, "name": text, "organisation": text, "available": {"type": "boolean"},
            "on_shift": {"type": "boolean"}, "languages": {"type": "array", "items": text},
        }),
        "CannedAnswer": _object({"id": {"type": "integer"}, "language": text, "title": text, "text": text}),
    }


def _body(name: str) -> Schema:
    return {"required": True, "content": {JSON: {"schema": _ref(name)}}}


def _paths(settings: Settings) -> dict[str, Schema]:
    session: list[Schema] = [{"session": []}]
    signed_out = _problem("No session, or it has ended: sign in first.", "sign_in_required")
    unavailable = _unavailable("Storage or Redis cannot take it now; nothing was done, try again.", "unavailable")
    return {
        "/api/service": {"get": {
            "operationId": "service", "summary": "Whether the service is open and taking chats, and its choices.",
            "responses": _every({"200": _json("The service now.", _ref("Service")), "503": unavailable}),
        }},
        "/api/offline-messages": {"post": {
            "operationId": "leaveOfflineMessage",
            "summary": "Leave a message for the advisors (while closed); a widget origin may send it.",
            "requestBody": _body("OfflineMessage"),
            "responses": _every({
                "201": _json("Stored.", _object({"id": {"type": "string"}})),
                **_shared("ForeignOrigin", "TooLarge", "NotJson"),
                "422": _bad_json(settings, "bad_field"),
                "429": _problem(f"NEUVO_OFFLINE_PER_ADDRESS ({settings.offline_per_address}) messages from this "
                                f"address within {api.OFFLINE_WINDOW_S} s (nothing was stored), or too many "
                                "connections from it.", "rate_limited", "too_many_connections", retry_after=True),
                "503": unavailable,
            }),
        }},
        "/api/session": {
            "post": {
                "operationId": "signIn", "summary": "Sign in: sets the session cookie.",
                "requestBody": _body("Credentials"),
                "responses": _every({
                    "200": _json("Signed in.", _ref("SignedIn"), headers={"Set-Cookie": {
                        "description": f"`{auth.COOKIE}`: HttpOnly, SameSite=Lax, Secure over TLS.",
                        "required": True, "schema": {"type": "string"}}}),
                    "401": _problem("Wrong username or password (the same answer for both).", "bad_credentials"),
                    "403": _problem("A foreign Origin, or a right one-time password: choose your own on the "
                                    "sign-in page first.", "forbidden_origin", "password_change_required"),
                    **_shared("TooLarge", "NotJson"),
                    "422": _bad_json(settings, "bad_field"),
                    "429": _problem(f"NEUVO_LOGIN_FAILURES ({settings.login_failures}) failures for this account "
                                    f"(five times that for this address) within {auth.THROTTLE_WINDOW_S} s, or "
                                    "too many connections from it.", "throttled", "too_many_connections",
                                    retry_after=True),
                    "503": unavailable,
                }),
            },
            "delete": {
                "operationId": "signOut", "summary": "Sign out: the session ends, its advisor sockets close.",
                "security": [{}, *session],
                "responses": _every({"204": {"description": "Signed out (or there was no session)."},
                                     **_shared("ForeignOrigin"), "503": unavailable}),
            },
        },
        "/api/console/colleagues": {"get": {
            "operationId": "colleagues", "summary": "The other signed-in advisors, for a transfer.",
            "security": session,
            "responses": _every({"200": _json("Sorted by name.", {"type": "array", "items": _ref("Colleague")}),
                                 "401": signed_out, "503": unavailable}),
        }},
        "/api/console/handbook": {"get": {
            "operationId": "handbook", "summary": "The canned answers.", "security": session,
            "responses": _every({"200": _json("Every canned answer.", {"type": "array", "items": _ref("CannedAnswer")}),
                                 "401": signed_out}),
        }},
        PATH: {"get": {
            "operationId": "openapi", "summary": "This description.",
            "responses": _every({"200": _json("OpenAPI 3.1.", {"type": "object"})}),
        }},
        "/healthz": {"get": {
            "operationId": "health", "summary": "Whether this process can serve.",
            "responses": _every({"200": _json("It can.", _object({"status": {"const": "ok"}})),
                                 "503": _unavailable("The database or Redis is not reachable.", "unhealthy")}),
        }},
        "/metrics": {"get": {
            "operationId": "metrics", "summary": "Counts and gauges in Prometheus text format.",
            "responses": _every({"200": {"description": "Prometheus exposition.",
                                         "content": {"text/plain": {"schema": {"type": "string"}}}}}),
        }},
    }


def description(settings: Settings, config: ServiceConfig) -> Schema:
    """The whole OpenAPI document for a service with these settings and this configuration."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Neuvo", "version": "1",
                 "description": "The JSON HTTP API of a Neuvo guidance chat service. The chats themselves run "
                                "over the WebSockets /ws/visitor and /ws/advisor (see docs/protocol.md)."},
        "paths": _paths(settings),
        "components": {
            "schemas": _schemas(settings, config),
            "responses": _problems(settings),
            "headers": {"RetryAfter": {"description": "Seconds to wait before trying again.", "required": True,
                                       "schema": {"type": "integer", "minimum": 1}}},
            "securitySchemes": {"session": {
                "type": "apiKey", "in": "cookie", "name": auth.COOKIE,
                "description": "Set by POST /api/session. No CSRF header: state-changing requests are guarded "
                               "by the Origin check and SameSite=Lax."}},
        },
    }


async def endpoint(request: Request) -> Response:
    return JSONResponse(description(settings_of(request), live_of(request).config))
