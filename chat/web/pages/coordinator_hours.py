"""Opening hours: the weekly intervals, and exception dates (closed all day, or other hours that
day). The checks are routing's own (`routing.hours`), so the page accepts exactly what routing
can use; the hub reloads its configuration after a change so routing sees it at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.live.config import clock_time
from chat.web.i18n import Translator, request_language
from chat.web.pages.common import checked_form, hub_of, redirect
from chat.web.pages.coordinator_base import WEEKDAYS, changed, clock_value, coordinator, form_text, page, parse_day
from routing.errors import BadSpec
from routing.hours import DateException, WeeklyOpening
from storage import service
from storage.tables import User

KINDS = ("closed", "hours")
DONE = ("weekly_added", "weekly_deleted", "exception_saved", "exception_deleted")


async def _render(request: Request, user: User, *, errors: dict[str, str] | None = None,
                  values: dict[str, str] | None = None, status: int = 200) -> Response:
    hub = hub_of(request)
    today = hub.clock.now().astimezone(hub.tz).date()
    async with hub.transaction() as session:
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


def _span(form: FormData, prefix: str, t: Translator, errors: dict[str, str],
          check: Callable[[time, time | None], object]) -> tuple[str, str] | None:
    """The form's start and end as "HH:MM" (24:00 only as the end), the end after the start by
    routing's own check (`check` builds the routing value); None with the errors filled in."""
    start, end = clock_value(form.get("start")), clock_value(form.get("end"), end=True)
    if start is None:
        errors[f"{prefix}-start"] = t("coord.error.time")
    if end is None:
        errors[f"{prefix}-end"] = t("coord.hours.error.end")
    if start is None or end is None:
        return None
    try:
        check(time.fromisoformat(start), clock_time(end))
    except BadSpec:
        errors[f"{prefix}-end"] = t("coord.hours.error.order")
        return None
    return start, end


async def add_weekly(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    t = Translator(request_language(request))
    weekday = form_text(form, "weekday")
    errors: dict[str, str] = {}
    if weekday not in WEEKDAYS:
        errors["weekly-weekday"] = t("coord.roster.error.weekday")
    number = WEEKDAYS.index(weekday) if weekday in WEEKDAYS else 0
    span = _span(form, "weekly", t, errors, lambda a, b: WeeklyOpening(weekday=number, start=a, end=b))
    if errors or span is None:
        values = {"weekday": weekday, "weekly_start": form_text(form, "start"), "weekly_end": form_text(form, "end")}
        return await _render(request, user, errors=errors, values=values, status=400)
    start, end = span
    async with hub_of(request).transaction() as session:
        await service.add_weekly_opening(session, weekday=number, start=start, end=end)
    await changed(request, user, "hours_add", f"{weekday} {start}-{end}")
    return redirect("/coordinator/hours?done=weekly_added#weekly")


async def delete_weekly(request: Request) -> Response:
    user = await coordinator(request)
    await checked_form(request)
    row_id = request.path_params["row_id"]
    async with hub_of(request).transaction() as session:
        await service.delete_weekly_opening(session, row_id=row_id)
    await changed(request, user, "hours_delete", str(row_id))
    return redirect("/coordinator/hours?done=weekly_deleted#weekly")


async def save_exception(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    t = Translator(request_language(request))
    day = parse_day(form.get("day"))
    kind = form_text(form, "kind")
    errors: dict[str, str] = {}
    if day is None:
        errors["exception-day"] = t("coord.error.date")
    if kind not in KINDS:
        errors["exception-kind"] = t("coord.hours.error.kind")
    span = None
    if kind == "hours":
        span = _span(form, "exception", t, errors,
                     lambda a, b: DateException(day=day or date.min, intervals=((a, b),)))
    if errors or day is None:
        values = {"day": form_text(form, "day"), "kind": kind, "exception_start": form_text(form, "start"),
                  "exception_end": form_text(form, "end")}
        return await _render(request, user, errors=errors, values=values, status=400)
    start, end = span if span is not None else (None, None)
    async with hub_of(request).transaction() as session:
        await service.set_opening_exception(session, day=day, start=start, end=end)
    await changed(request, user, "exception_set", f"{day.isoformat()} {f'{start}-{end}' if start else 'closed'}")
    return redirect("/coordinator/hours?done=exception_saved#exceptions")


async def delete_exception(request: Request) -> Response:
    user = await coordinator(request)
    await checked_form(request)
    row_id = request.path_params["row_id"]
    async with hub_of(request).transaction() as session:
        await service.delete_opening_exception(session, row_id=row_id)
    await changed(request, user, "exception_delete", str(row_id))
    return redirect("/coordinator/hours?done=exception_deleted#exceptions")


routes = [
    Route("/coordinator/hours", hours_page, methods=["GET"]),
    Route("/coordinator/hours/weekly", add_weekly, methods=["POST"]),
    Route("/coordinator/hours/weekly/{row_id:int}/delete", delete_weekly, methods=["POST"]),
    Route("/coordinator/hours/exceptions", save_exception, methods=["POST"]),
    Route("/coordinator/hours/exceptions/{row_id:int}/delete", delete_exception, methods=["POST"]),
]
