"""The coordinator's page of advisors' shift requests: those waiting for a coordinator, with what
the roster's checks would warn of each, to approve or decline; those still waiting for an
advisor, to decline; those decided in the last two weeks; and the setting that lets swaps both
advisors agreed go through at once. The changes are chat.admin.shift_requests'.

A refusal (the roster changed since, or the change would give someone overlapping shifts) shows
the page again with the error linked to the request it is about."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.admin import shift_requests as requests_admin
from chat.admin.errors import Refused
from chat.web.context import clock_of, db_of
from chat.web.i18n import Translator, request_language
from chat.web.pages.common import checked_form, redirect
from chat.web.pages.console_requests import KEYS
from chat.web.pages.coordinator_base import admin_of, coordinator, form_text, page
from chat.web.pages.request_views import views
from routing.gaps import HORIZON
from routing.shift_requests import RequestState
from storage import shift_requests
from storage.tables import User

REQUESTS = "/coordinator/requests"
DONE = ("approve", "decline", "settings")


async def _render(request: Request, user: User, *, errors: Mapping[str, str] | None = None,
                  status: int = 200) -> Response:
    now = clock_of(request).now()
    async with db_of(request).transaction() as session:
        rows = await shift_requests.requests(session, statuses=shift_requests.UNDECIDED, decided_since=now - HORIZON)
        immediate = await shift_requests.immediate_swaps(session)
    shown = await views(request, rows, user, with_warnings=True)
    t = Translator(request_language(request))
    done = request.query_params.get("done")
    context: dict[str, Any] = {
        "pending": [v for v in shown if v.request.status == RequestState.PENDING],
        "open": [v for v in shown if v.request.status == RequestState.OPEN],
        "decided": [v for v in shown if v.request.status not in shift_requests.UNDECIDED],
        "immediate": immediate, "errors": errors or {}, "focus": "error-summary" if errors else None,
        "done": t(f"requests.done.{done}") if done in DONE else None,
    }
    return page(request, "coordinator/requests.html", user, context, status=status)


async def requests_page(request: Request) -> Response:
    return await _render(request, await coordinator(request))


async def decide(request: Request) -> Response:
    """Approve or decline one request; a refusal names the request and why."""
    user = await coordinator(request)
    await checked_form(request)
    event, request_id = request.path_params["event"], request.path_params["request_id"]
    admin = admin_of(request)
    try:
        if event == "approve":
            await requests_admin.approve(admin, actor=user.username, request_id=request_id)
        elif event == "decline":
            await requests_admin.decline(admin, actor=user.username, request_id=request_id)
        else:
            raise HTTPException(404, "no such decision")
    except Refused as refused:
        t = Translator(request_language(request))
        errors = {f"request-{request_id}": t(KEYS.get(p.code, "requests.error.not_allowed")) for p in refused.problems}
        return await _render(request, user, errors=errors, status=400)
    return redirect(f"{REQUESTS}?done={event}#done")


async def save_settings(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    await requests_admin.set_immediate_swaps(admin_of(request), actor=user.username,
                                             on=form_text(form, "immediate") == "on")
    return redirect(f"{REQUESTS}?done=settings#done")


routes = [
    Route(REQUESTS, requests_page, methods=["GET"]),
    Route(f"{REQUESTS}/settings", save_settings, methods=["POST"]),
    Route(f"{REQUESTS}/{{request_id:int}}/{{event}}", decide, methods=["POST"]),
]
