"""Opening hours: the week as a table of inputs, edited in place and saved at once, and exception
dates (closed all day, or other hours that day), entered for one date or a range of dates in
one entry and listed as ranges. The checks and changes are chat.admin.hours' (routing's own
checks, so the page accepts exactly what routing can use); the live service reloads its
configuration after a change so routing sees it at once. A change applies from today on; past
weeks keep their hours, and past dates are refused."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.admin import hours
from chat.admin.errors import NotFound, Refused
from chat.admin.hours import KINDS, Slot
from chat.web.context import clock_of, db_of, tz_of
from chat.web.i18n import Translator, request_language
from chat.web.pages.common import checked_form, redirect
from chat.web.pages.coordinator_base import WEEKDAYS, admin_of, coordinator, form_errors, form_text, page, parse_day
from storage import service
from storage.tables import OpeningException, User, WeeklyOpeningRow

DONE = ("week_saved", "week_unchanged", "exceptions_saved", "exceptions_deleted")
# Slots for openings in each weekday's row: those in force, and one more to add.
LEAST_SLOTS, MOST_SLOTS = 2, 10


@dataclass(frozen=True)
class Range:
    """Consecutive exception dates with the same hours (None, None: closed all day)."""

    first: date
    last: date
    start: str | None
    end: str | None


def ranges(rows: Sequence[OpeningException]) -> list[Range]:
    """The exception dates as the ranges they were entered as, by date: a run of consecutive
    dates with the same hours is one range."""
    found: list[Range] = []
    for row in sorted(rows, key=lambda r: r.day):
        last = found[-1] if found else None
        if last and last.last + timedelta(days=1) == row.day and (last.start, last.end) == (row.start, row.end):
            found[-1] = Range(last.first, row.day, last.start, last.end)
        else:
            found.append(Range(row.day, row.day, row.start, row.end))
    return found


def _slots(weekly: Sequence[WeeklyOpeningRow]) -> int:
    counts = [sum(1 for row in weekly if row.weekday == day) for day in range(7)]
    return max(LEAST_SLOTS, max(counts) + 1)


def _week_values(weekly: Sequence[WeeklyOpeningRow]) -> dict[str, str]:
    """The table's inputs filled with the hours in force: "mon-1-start" -> "09:00"."""
    values: dict[str, str] = {}
    for day in range(7):
        for number, row in enumerate((r for r in weekly if r.weekday == day), start=1):
            values[f"{WEEKDAYS[day]}-{number}-start"], values[f"{WEEKDAYS[day]}-{number}-end"] = row.start, row.end
    return values


async def _render(request: Request, user: User, *, errors: Mapping[str, str] | None = None,
                  values: Mapping[str, str] | None = None, slots: int | None = None, status: int = 200) -> Response:
    today = clock_of(request).now().astimezone(tz_of(request)).date()
    async with db_of(request).transaction() as session:
        weekly = await service.weekly_opening(session)
        exceptions = [row for row in await service.opening_exceptions(session) if row.day >= today]
    query = request.query_params
    done, count = query.get("done"), query.get("count", "")
    t = Translator(request_language(request))
    context: dict[str, Any] = {
        "slots": range(1, (slots or _slots(weekly)) + 1),
        "week": values if values is not None else _week_values(weekly),
        "ranges": ranges(exceptions), "today": today, "kinds": KINDS, "errors": errors or {},
        "values": values or {},
        "done": t(f"coord.hours.done.{done}", count=int(count) if count.isdigit() else 1) if done in DONE else None,
        "focus": "error-summary" if errors else query.get("focus"),
    }
    return page(request, "coordinator/hours.html", user, context, status=status)


async def hours_page(request: Request) -> Response:
    return await _render(request, await coordinator(request))


KEYS = {"time": "coord.error.time", "end": "coord.hours.error.end", "order": "coord.hours.error.order",
        "date": "coord.error.date", "kind": "coord.hours.error.kind", "past": "coord.hours.error.past",
        "order_dates": "coord.hours.error.order_dates", "range_long": "coord.hours.error.range_long"}


def _posted_slots(form: FormData) -> tuple[list[Slot], int]:
    """The table's openings as posted, and how many slots a row had. A post that is not the
    table (no count of slots) is refused: read as a table, it would empty the week."""
    count = form_text(form, "slots")
    if not count.isdigit() or not 1 <= int(count) <= MOST_SLOTS:
        raise HTTPException(400, "not the week's table: reload the page")
    number = int(count)
    slots = [Slot(day, n, form_text(form, f"{WEEKDAYS[day]}-{n}-start"), form_text(form, f"{WEEKDAYS[day]}-{n}-end"))
             for day in range(7) for n in range(1, number + 1)]
    return slots, number


def _named(request: Request, errors: Mapping[str, str], slots: Sequence[Slot]) -> dict[str, str]:
    """Each error of the week's table says which of its 28 or more inputs it is about."""
    t = Translator(request_language(request), tz=tz_of(request))
    labels = {f"week-{slot.field}{bound}": t(f"coord.hours.bound.{bound}", day=t.weekday(slot.weekday),
                                             number=slot.number)
              for slot in slots for bound in ("start", "end")}
    return {field: f"{labels[field]}: {text}" if field in labels else text for field, text in errors.items()}


async def save_week(request: Request) -> Response:
    """The week's table, saved at once: the hours in force from today on."""
    user = await coordinator(request)
    form = await checked_form(request)
    slots, number = _posted_slots(form)
    try:
        changed = await hours.set_week(admin_of(request), actor=user.username, slots=slots)
    except Refused as refused:
        values = {f"{slot.field}{bound}": getattr(slot, bound) for slot in slots for bound in ("start", "end")}
        errors = _named(request, form_errors(request, refused, prefix="week", keys=KEYS), slots)
        return await _render(request, user, errors=errors, values=values, slots=number, status=400)
    return redirect(f"/coordinator/hours?done={'week_saved' if changed else 'week_unchanged'}&focus=done")


def _range_of(form: FormData) -> tuple[date | None, date | None]:
    """The first and last date of the form's range; no last date is the first alone."""
    first = parse_day(form.get("day"))
    return first, parse_day(form.get("until")) if form_text(form, "until") else first


async def save_exceptions(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    kind, start, end = form_text(form, "kind"), form_text(form, "start"), form_text(form, "end")
    first, last = _range_of(form)
    try:
        days = await hours.set_exceptions(admin_of(request), actor=user.username, first=first, last=last, kind=kind,
                                          start=start, end=end)
    except Refused as refused:
        values = {"day": form_text(form, "day"), "until": form_text(form, "until"), "kind": kind,
                  "exception_start": start, "exception_end": end}
        errors = form_errors(request, refused, prefix="exception", keys=KEYS)
        return await _render(request, user, errors=errors, values=values, status=400)
    return redirect(f"/coordinator/hours?done=exceptions_saved&count={days}&focus=done")


async def delete_exceptions(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    first, last = _range_of(form)
    days = 0
    with suppress(NotFound):  # deleted meanwhile, or past dates' (history, kept)
        days = await hours.delete_exceptions(admin_of(request), actor=user.username, first=first, last=last)
    return redirect(f"/coordinator/hours?done=exceptions_deleted&count={days}&focus=done")


routes = [
    Route("/coordinator/hours", hours_page, methods=["GET"]),
    Route("/coordinator/hours/week", save_week, methods=["POST"]),
    Route("/coordinator/hours/exceptions", save_exceptions, methods=["POST"]),
    Route("/coordinator/hours/exceptions/delete", delete_exceptions, methods=["POST"]),
]
