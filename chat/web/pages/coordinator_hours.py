"""Opening hours: the weekly intervals, and exception dates (closed all day, or other hours that
day). The checks and changes are chat.admin.hours' (routing's own checks, so the page accepts
exactly what routing can use); the live service reloads its configuration after a change so routing sees
it at once. A change applies from today on; past weeks keep their hours."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.admin import hours
from chat.admin.errors import NotFound, Refused
from chat.admin.hours import KINDS
from chat.web.context import clock_of, db_of, tz_of
from chat.web.i18n import Translator, request_language
from chat.web.pages.common import checked_form, redirect
from chat.web.pages.coordinator_base import WEEKDAYS, admin_of, coordinator, form_errors, form_text, page, parse_day
from storage import service
from storage.tables import User

DONE = ("weekly_added", "weekly_deleted", "exception_saved", "exception_deleted")


async def _render(request: Request, user: User, *, errors: dict[str, str] | None = None,
                  values: dict[str, str] | None = None, status: int = 200) -> Response:
    today = clock_of(request).now().astimezone(tz_of(request)).date()
    async with db_of(request).transaction() as session:
        weekly = await service.weekly_opening(session)
        exceptions = [row for row in await service.opening_exceptions(session) if row.day >= today]
    done = request.query_params.get("done")
    t = Translator(request_language(request))
    context: dict[str, Any] = {
        "weekly": weekly, "exceptions": exceptions, "today": today, "kinds": KINDS,
        "weekday_options": [(day, t(f"coord.weekday.{day}")) for day in WEEKDAYS],
        "errors": errors or {}, "values": values or {},
        "done": t(f"coord.hours.done.{done}") if done in DONE else None,
    }
    return page(request, "coordinator/hours.html", user, context, status=status)


async def hours_page(request: Request) -> Response:
    return await _render(request, await coordinator(request))


KEYS = {"weekday": "coord.roster.error.weekday", "time": "coord.error.time", "end": "coord.hours.error.end",
        "order": "coord.hours.error.order", "date": "coord.error.date", "kind": "coord.hours.error.kind",
        "past": "coord.hours.error.past"}


async def add_weekly(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    weekday, start, end = form_text(form, "weekday"), form_text(form, "start"), form_text(form, "end")
    try:
        await hours.add_weekly(admin_of(request), actor=user.username, weekday=weekday, start=start, end=end)
    except Refused as refused:
        values = {"weekday": weekday, "weekly_start": start, "weekly_end": end}
        errors = form_errors(request, refused, prefix="weekly", keys=KEYS)
        return await _render(request, user, errors=errors, values=values, status=400)
    return redirect("/coordinator/hours?done=weekly_added#weekly")


async def delete_weekly(request: Request) -> Response:
    user = await coordinator(request)
    await checked_form(request)
    with suppress(NotFound):  # ended meanwhile: what the coordinator wanted
        await hours.delete_weekly(admin_of(request), actor=user.username, row_id=request.path_params["row_id"])
    return redirect("/coordinator/hours?done=weekly_deleted#weekly")


async def save_exception(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    day, kind = form_text(form, "day"), form_text(form, "kind")
    start, end = form_text(form, "start"), form_text(form, "end")
    try:
        await hours.set_exception(admin_of(request), actor=user.username, day=parse_day(day), kind=kind,
                                  start=start, end=end)
    except Refused as refused:
        values = {"day": day, "kind": kind, "exception_start": start, "exception_end": end}
        errors = form_errors(request, refused, prefix="exception", keys=KEYS)
        return await _render(request, user, errors=errors, values=values, status=400)
    return redirect("/coordinator/hours?done=exception_saved#exceptions")


async def delete_exception(request: Request) -> Response:
    user = await coordinator(request)
    await checked_form(request)
    with suppress(NotFound):  # deleted meanwhile, or a past date's (history, kept)
        await hours.delete_exception(admin_of(request), actor=user.username, row_id=request.path_params["row_id"])
    return redirect("/coordinator/hours?done=exception_deleted#exceptions")


routes = [
    Route("/coordinator/hours", hours_page, methods=["GET"]),
    Route("/coordinator/hours/weekly", add_weekly, methods=["POST"]),
    Route("/coordinator/hours/weekly/{row_id:int}/delete", delete_weekly, methods=["POST"]),
    Route("/coordinator/hours/exceptions", save_exception, methods=["POST"]),
    Route("/coordinator/hours/exceptions/{row_id:int}/delete", delete_exception, methods=["POST"]),
]
