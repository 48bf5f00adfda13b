"""Who may reach what: every route of the app (read from `app.routes`, mounts included) × every
kind of caller, with the status each gets (issue 14, deliverable 3). A new route without a row
here fails `test_every_route_has_a_row`, so nobody adds an endpoint without saying who may use it.

Callers: nobody signed in; a visitor (no cookie: a chat token reaches only the visitor socket,
which takes it in a frame, not at the handshake); an advisor (anna, Kotka College); an advisor of
another organisation (bertil, Kaakko UAS); a coordinator (cora, Kotka College). Posts carry the
caller's own CSRF token and an empty form, so a status says whether the role check let them in
(403 refused, 303 to the sign-in page for nobody, 401 from the console's JSON) and not whether a
form was filled in."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from chat.app import create_app
from chat.base.settings import Settings
from chat.web.ical import feed_path
from storage import people
from storage.setup import stored_secret_key
from tests.chat.coordinator_fixtures import COORDINATOR, coordinating
from tests.service import WIDGET_ORIGIN, Service

CALLERS = ("anonymous", "visitor", "advisor", "other_org_advisor", "coordinator")
USERNAMES = {"advisor": "anna", "other_org_advisor": "bertil", "coordinator": COORDINATOR}
WS = 101  # the handshake accepted

NOBODY, ADVISORS = ("anonymous", "visitor"), ("advisor", "other_org_advisor")


def same(status: int) -> dict[str, int]:
    return dict.fromkeys(CALLERS, status)


def signed_in_only(advisor: int, coordinator: int | None = None, *, other: int | None = None) -> dict[str, int]:
    """A duty page: nobody is sent to sign in (303); advisors and coordinators in."""
    return {**dict.fromkeys(NOBODY, 303), "advisor": advisor, "other_org_advisor": advisor if other is None else other,
            "coordinator": advisor if coordinator is None else coordinator}


def console_json(status: int) -> dict[str, int]:
    """The console's JSON: nobody gets 401 (a script cannot read a redirect to a page)."""
    return {**signed_in_only(status), **dict.fromkeys(NOBODY, 401)}


def coordinator_only(coordinator: int) -> dict[str, int]:
    return {**dict.fromkeys(NOBODY, 303), **dict.fromkeys(ADVISORS, 403), "coordinator": coordinator}


# (method, path as the app declares it) -> status per caller.
TABLE: dict[tuple[str, str], dict[str, int]] = {
    ("GET", "/"): same(200),
    ("GET", "/widget.js"): same(200),
    ("GET", "/widget"): same(200),  # the mount: /widget/widget.css
    ("GET", "/static"): same(200),  # the mount: /static/console.js
    ("GET", "/api/service"): same(200),
    ("GET", "/help/{link_id:int}"): same(404),  # no links in the seed; one is followed by anyone
    ("POST", "/api/offline-messages"): same(422),  # anyone may leave one; {} is bad input
    ("POST", "/api/session"): same(422),
    ("DELETE", "/api/session"): same(204),
    ("GET", "/api/openapi.json"): same(200),
    ("GET", "/healthz"): same(200),
    ("GET", "/metrics"): same(200),  # counts and gauges only; operators keep it off the internet
    ("WS", "/ws/visitor"): same(WS),
    ("WS", "/ws/advisor"): {**dict.fromkeys(NOBODY, 403), **dict.fromkeys(ADVISORS, WS), "coordinator": WS},
    ("GET", "/sign-in"): same(200),
    ("POST", "/sign-in"): same(400),
    ("POST", "/sign-in/password"): same(400),
    ("POST", "/sign-out"): same(303),  # asked after DELETE /api/session ended the session
    ("GET", "/console"): signed_in_only(200),
    ("POST", "/console/calendar"): signed_in_only(303),
    ("GET", "/console/offline"): signed_in_only(200),
    ("POST", "/console/offline/{id:int}/claim"): signed_in_only(303),
    ("POST", "/console/offline/{id:int}/answered"): signed_in_only(400),
    ("POST", "/console/offline/{id:int}/release"): signed_in_only(400),  # whose claim: not said
    ("POST", "/console/offline/{id:int}/reply"): signed_in_only(409),  # no NEUVO_SMTP_HOST here
    ("GET", "/console/chats"): signed_in_only(200),
    # anna handled the chat; nobody else may read it, a coordinator neither
    ("GET", "/console/chats/{id}"): signed_in_only(200, 403, other=403),
    # Shift 1 is anna's, running: its page is hers alone; it has begun, so giving or swapping it
    # is refused on its page (400); an empty offer to cover names no gap (back to the console).
    ("GET", "/console/shifts/{shift_id:int}"): signed_in_only(200, 404, other=404),
    ("POST", "/console/shifts/{shift_id:int}/give"): signed_in_only(400, 404, other=404),
    ("POST", "/console/shifts/{shift_id:int}/swap"): signed_in_only(400, 404, other=404),
    ("POST", "/console/requests/cover"): signed_in_only(303),
    ("POST", "/console/requests/{request_id:int}/{event}"): signed_in_only(404),  # no such answer
    ("GET", "/api/console/colleagues"): console_json(200),
    ("GET", "/api/console/handbook"): console_json(200),
    ("GET", "/calendar/{username}.ics"): same(200),  # with anna's token: whoever holds the address
    ("GET", "/coordinator"): coordinator_only(200),
    ("GET", "/coordinator/coverage"): coordinator_only(200),
    ("GET", "/coordinator/statistics"): coordinator_only(200),
    ("GET", "/coordinator/report"): coordinator_only(200),
    ("GET", "/coordinator/forecast"): coordinator_only(200),
    ("GET", "/coordinator/roster"): coordinator_only(200),
    ("GET", "/coordinator/roster/month"): coordinator_only(200),
    ("POST", "/coordinator/roster/templates"): coordinator_only(400),
    ("POST", "/coordinator/roster/templates/{template_id:int}/delete"): coordinator_only(303),
    ("POST", "/coordinator/roster/apply"): coordinator_only(303),
    ("POST", "/coordinator/roster/shifts"): coordinator_only(400),
    ("GET", "/coordinator/roster/shifts/new"): coordinator_only(200),
    ("POST", "/coordinator/roster/shifts/bulk"): coordinator_only(400),  # no shift ticked
    ("GET", "/coordinator/roster/shifts/{shift_id:int}"): coordinator_only(200),
    ("POST", "/coordinator/roster/shifts/{shift_id:int}/cancel"): coordinator_only(303),
    # Shift 1 was cancelled by the row above: its page is gone.
    ("POST", "/coordinator/roster/shifts/{shift_id:int}/move"): coordinator_only(404),
    ("POST", "/coordinator/roster/undo"): coordinator_only(400),  # no undo made for this session
    ("POST", "/coordinator/roster/import"): coordinator_only(400),
    ("GET", "/coordinator/requests"): coordinator_only(200),
    ("POST", "/coordinator/requests/settings"): coordinator_only(303),
    ("POST", "/coordinator/requests/{request_id:int}/{event}"): coordinator_only(404),  # no such decision
    ("GET", "/coordinator/hours"): coordinator_only(200),
    ("POST", "/coordinator/hours/week"): coordinator_only(400),  # not the week's table: no slots
    ("POST", "/coordinator/hours/exceptions"): coordinator_only(400),
    ("POST", "/coordinator/hours/exceptions/delete"): coordinator_only(303),  # no dates: nothing to delete
    ("GET", "/coordinator/people"): coordinator_only(200),
    ("POST", "/coordinator/people/organisations"): coordinator_only(400),
    ("POST", "/coordinator/people/organisations/{organisation_id:int}"): coordinator_only(400),
    ("GET", "/coordinator/people/organisations/{organisation_id:int}"): coordinator_only(200),
    ("POST", "/coordinator/people/organisations/{organisation_id:int}/promise"): coordinator_only(303),  # "": none
    ("POST", "/coordinator/people/handover"): coordinator_only(400),  # nobody named to hand over to
    ("POST", "/coordinator/people/users"): coordinator_only(400),
    ("GET", "/coordinator/people/users/{username}"): coordinator_only(200),
    ("POST", "/coordinator/people/users/{username}"): coordinator_only(400),
    ("POST", "/coordinator/people/users/{username}/password"): coordinator_only(400),
    ("POST", "/coordinator/people/users/{username}/active"): coordinator_only(200),  # asks first
    ("POST", "/coordinator/people/users/{username}/calendar"): coordinator_only(303),
    ("GET", "/coordinator/settings"): coordinator_only(200),
    ("POST", "/coordinator/settings/topics"): coordinator_only(400),
    ("POST", "/coordinator/settings/topics/{item_id}"): coordinator_only(400),
    ("POST", "/coordinator/settings/outcomes"): coordinator_only(400),
    ("POST", "/coordinator/settings/outcomes/{item_id}"): coordinator_only(400),
    ("POST", "/coordinator/settings/answers"): coordinator_only(400),
    ("POST", "/coordinator/settings/answers/{answer_id:int}"): coordinator_only(400),
    ("POST", "/coordinator/settings/answers/{answer_id:int}/delete"): coordinator_only(303),
    ("POST", "/coordinator/settings/retention"): coordinator_only(400),
    ("POST", "/coordinator/settings/exit-url"): coordinator_only(303),  # empty: back to the default
    ("POST", "/coordinator/settings/origins"): coordinator_only(400),
    ("POST", "/coordinator/settings/origins/remove"): coordinator_only(303),
    ("POST", "/coordinator/settings/links"): coordinator_only(400),
    ("POST", "/coordinator/settings/links/{link_id:int}/delete"): coordinator_only(303),
    ("GET", "/coordinator/survey"): coordinator_only(200),
    ("POST", "/coordinator/survey/questions"): coordinator_only(400),
    ("POST", "/coordinator/survey/questions/{question_id:int}/retire"): coordinator_only(303),
    ("GET", "/coordinator/blocks"): coordinator_only(200),
    ("POST", "/coordinator/blocks/lift"): coordinator_only(303),
    ("GET", "/accessibility"): same(200),
    ("GET", "/privacy"): same(200),
    ("GET", "/coordinator/statements"): coordinator_only(200),
    ("POST", "/coordinator/statements/facts"): coordinator_only(400),
    ("POST", "/coordinator/statements/text"): coordinator_only(400),
}
# Ends the caller's session: asked last.
LAST = (("POST", "/sign-out"), ("DELETE", "/api/session"))
MOUNT_FILES = {"/widget": "/widget/widget.css", "/static": "/static/console.js"}


def endpoints(routes: list[BaseRoute]) -> list[tuple[str, str]]:
    """Every (method, path) the app answers, mounts as their own path."""
    found = []
    for route in routes:
        if isinstance(route, WebSocketRoute):
            found.append(("WS", route.path))
        elif isinstance(route, Mount):
            inner = getattr(route, "routes", [])
            if inner:
                found.extend((method, route.path + path) for method, path in endpoints(inner))
            else:  # an app such as StaticFiles: its own path
                found.append(("GET", route.path))
        elif isinstance(route, Route):
            found.extend((method, route.path) for method in sorted(route.methods or ()) if method != "HEAD")
    return found


def test_every_route_has_a_row() -> None:
    declared = endpoints(create_app(Settings()).routes)
    missing = sorted(set(declared) - set(TABLE))
    assert not missing, f"routes without an access rule in the table: {missing}"
    stale = sorted(set(TABLE) - set(declared))
    assert not stale, f"rows for routes the app no longer has: {stale}"


async def _concrete(service: Service, method: str, path: str, chat_id: str) -> str:
    if path in MOUNT_FILES:
        return MOUNT_FILES[path]
    if path == "/calendar/{username}.ics":
        async with service.db.transaction() as session:
            anna = await people.user_by_username(session, username="anna")
        assert anna is not None
        return feed_path(service.settings.secret_key or await stored_secret_key(service.db), anna)
    path = path.replace("/console/chats/{id}", f"/console/chats/{chat_id}")
    return re.sub(r"\{([^}:]+)(:int)?\}", lambda m: "1" if m.group(2) else "anna", path)


async def _csrf(client: httpx.AsyncClient, signed_in: bool) -> str:
    page = await client.get("/console" if signed_in else "/sign-in")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


async def _handshake(service: Service, path: str, cookie: str | None) -> int:
    origin = WIDGET_ORIGIN if path == "/ws/visitor" else service.origin
    headers = {"Cookie": cookie} if cookie else {}
    try:
        ws = await connect(f"{service.ws_base}{path}", origin=origin, additional_headers=headers)  # type: ignore[arg-type]
    except InvalidStatus as refused:
        return refused.response.status_code
    await ws.close()
    return WS


async def test_each_caller_gets_the_status_the_table_says(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, _):
        conversation = await service.chat("anna")
        await conversation.advisor.close()
        cookies = {caller: await service.session_cookie(name) for caller, name in USERNAMES.items()}
        order = sorted(TABLE, key=lambda row: row in LAST)
        wrong = []
        for caller in CALLERS:
            cookie = cookies.get(caller)
            jar = dict([cookie.split("=", 1)]) if cookie else {}
            async with httpx.AsyncClient(base_url=service.base, cookies=jar) as client:
                csrf = await _csrf(client, cookie is not None)
                for method, path in order:
                    if method == "WS":
                        status = await _handshake(service, path, cookie)
                    else:
                        url = await _concrete(service, method, path, conversation.chat)
                        data = {"csrf": csrf} if method == "POST" and not path.startswith("/api/") else None
                        body = {} if path.startswith("/api/") and method == "POST" else None
                        response = await client.request(method, url, data=data, json=body)
                        status = response.status_code
                    if status != TABLE[(method, path)][caller]:
                        wrong.append((caller, method, path, status, TABLE[(method, path)][caller]))
        assert not wrong, "\n".join(f"{c} {m} {p}: got {s}, the table says {e}" for c, m, p, s, e in wrong)
