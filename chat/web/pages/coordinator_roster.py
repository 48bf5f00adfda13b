"""The roster: each advisor's weekly shift template, one week's concrete shifts with one-off
changes (cancel, swap, extra shift), applying the templates to a week, and CSV import. The
checks and the changes are chat.admin.roster's."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from datetime import date, timedelta
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.admin import roster as admin_roster
from chat.admin.csv_file import CsvFileError
from chat.admin.errors import NotFound, Refused
from chat.web.context import clock_of, db_of, tz_of
from chat.web.i18n import Translator, request_language
from chat.web.ical import feed_path
from chat.web.pages import roster_grid
from chat.web.pages.common import checked_form, redirect
from chat.web.pages.coordinator_base import (
    admin_of,
    coordinator,
    form_errors,
    form_text,
    local_midnight,
    monday_of,
    page,
    parse_day,
)
from storage import coverage, people, rostering
from storage.tables import User

DONE = ("applied", "added", "cancelled", "swapped")


def _week(value: object, today: date) -> date:
    return monday_of(parse_day(value) or today)


def _form_week(form: FormData, request: Request) -> date:
    return _week(form.get("week"), _today(request))


async def _grid(request: Request, first: date, days: int) -> tuple[roster_grid.Grid, Sequence[User]]:
    """The grid of `days` dates from `first`, and everyone (deactivated people too)."""
    tz = tz_of(request)
    start, end = local_midnight(first, tz), local_midnight(first + timedelta(days=days), tz)
    async with db_of(request).transaction() as session:
        everyone = await people.all_users(session)
        shifts = await rostering.shifts_with_users(session, start=start, end=end)
        hours = await coverage.opening_hours(session, start=start, end=end, tz=tz)
    t = Translator(request_language(request), tz=tz)
    grid = roster_grid.build(first=first, days=days, everyone=everyone, shifts=shifts, hours=hours,
                             now=clock_of(request).now(), t=t, tz=tz)
    return grid, everyone


async def _render(request: Request, user: User, monday: date, *, errors: dict[str, str] | None = None,
                  values: dict[str, str] | None = None, report: list[str] | None = None,
                  done: str | None = None, status: int = 200) -> Response:
    grid, everyone = await _grid(request, monday, 7)
    async with db_of(request).transaction() as session:
        templates = await rostering.templates(session)
    advisors = [u for u in everyone if u.active]
    # Every template with its advisor, a deactivated one's too (the page marks those: not applied).
    names = {u.id: u for u in everyone}
    secret = request.app.state.secret_key
    context: dict[str, Any] = {
        "monday": monday, "previous": monday - timedelta(days=7), "next": monday + timedelta(days=7),
        "this_week": _week(None, _today(request)), "today": _today(request), "grid": grid, "advisors": advisors,
        "view": "week", "focus": request.query_params.get("focus"),
        "inactive_templates": sorted({names[t.user_id].name for t in templates
                                      if t.user_id in names and not names[t.user_id].active}),
        "templates": [(t, names.get(t.user_id)) for t in templates],
        "feeds": {u.username: feed_path(secret, u) for u in advisors},
        "errors": errors or {}, "values": values or {}, "report": report, "done": done,
    }
    return page(request, "coordinator/roster.html", user, context, status=status)


async def month_page(request: Request) -> Response:
    """A month at a glance: every date's shifts and warnings, each week linked to its grid."""
    user = await coordinator(request)
    chosen = parse_day(request.query_params.get("month")) or _today(request)
    first = chosen.replace(day=1)
    following = (first + timedelta(days=31)).replace(day=1)
    start, end = monday_of(first), monday_of(following - timedelta(days=1)) + timedelta(days=7)
    grid, _ = await _grid(request, start, (end - start).days)
    weeks = [grid.days[n:n + 7] for n in range(0, len(grid.days), 7)]
    today = _today(request)
    context: dict[str, Any] = {
        "grid": grid, "weeks": weeks, "first": first, "previous": (first - timedelta(days=1)).replace(day=1),
        "next": following, "this_week": monday_of(today if first <= today < following else first),
        "view": "month", "inactive_templates": (), "here": "/coordinator/roster",
    }
    return page(request, "coordinator/roster_month.html", user, context)


def _today(request: Request) -> date:
    return clock_of(request).now().astimezone(tz_of(request)).date()


async def shift_page(request: Request) -> Response:
    """One shift: when and whose it is, and what may still be done with it."""
    user = await coordinator(request)
    async with db_of(request).transaction() as session:
        shift = await rostering.shift_by_id(session, shift_id=request.path_params["shift_id"])
    if shift is None or shift.cancelled_at is not None:
        raise HTTPException(404, "no such shift on the roster")
    tz = tz_of(request)
    day = shift.start.astimezone(tz).date()
    grid, everyone = await _grid(request, day, 1)
    [block] = [b for b in grid.blocks if b.id == shift.id]
    context: dict[str, Any] = {
        "block": block, "monday": monday_of(day), "errors": {}, "values": {}, "here": "/coordinator/roster",
        "advisor_options": [(u.username, u.name) for u in everyone if u.active]}
    return page(request, "coordinator/shift.html", user, context)


async def roster_page(request: Request) -> Response:
    user = await coordinator(request)
    monday = _week(request.query_params.get("week"), _today(request))
    done = request.query_params.get("done")
    message = Translator(request_language(request))(f"coord.roster.done.{done}") if done in DONE else None
    return await _render(request, user, monday, done=message)


KEYS = {"advisor": "coord.roster.error.advisor", "weekday": "coord.roster.error.weekday", "time": "coord.error.time",
        "date": "coord.error.date", "skipped": "coord.roster.error.skipped", "past": "coord.roster.error.past",
        "started": "coord.roster.error.started"}


async def add_template(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    monday = _form_week(form, request)
    values = {k: form_text(form, k) for k in ("advisor", "weekday", "start", "end")}
    try:
        await admin_roster.add_template(admin_of(request), actor=user.username, **values)
    except Refused as refused:
        errors = form_errors(request, refused, prefix="tpl", keys=KEYS)
        return await _render(request, user, monday, errors=errors, values=values, status=400)
    return redirect(f"/coordinator/roster?week={monday.isoformat()}#templates")


async def delete_template(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    await admin_roster.delete_template(admin_of(request), actor=user.username,
                                       template_id=request.path_params["template_id"])
    return redirect(f"/coordinator/roster?week={_form_week(form, request).isoformat()}#templates")


async def apply_templates(request: Request) -> Response:
    """Write the concrete shifts of the templates for the chosen week (identical ones skipped)."""
    user = await coordinator(request)
    form = await checked_form(request)
    monday = _form_week(form, request)
    await admin_roster.apply_templates(admin_of(request), actor=user.username, monday=monday)
    return redirect(f"/coordinator/roster?week={monday.isoformat()}&done=applied#shifts")


async def add_shift(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    monday = _form_week(form, request)
    day = parse_day(form.get("day"))
    try:
        await admin_roster.add_shift(admin_of(request), actor=user.username, advisor=form_text(form, "advisor"),
                                     day=day, start=form_text(form, "start"), end=form_text(form, "end"))
    except Refused as refused:
        values = {f"shift_{k}": form_text(form, k) for k in ("advisor", "day", "start", "end")}
        errors = form_errors(request, refused, prefix="shift", keys=KEYS)
        return await _render(request, user, monday, errors=errors, values=values, status=400)
    assert day is not None
    return redirect(f"/coordinator/roster?week={monday_of(day).isoformat()}&done=added#shifts")


async def cancel_shift(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    with suppress(NotFound):  # cancelled meanwhile: what the coordinator wanted
        await admin_roster.cancel_shift(admin_of(request), actor=user.username,
                                        shift_id=request.path_params["shift_id"])
    week = _form_week(form, request).isoformat()
    return redirect(f"/coordinator/roster?week={week}&done=cancelled#shifts")


async def swap_shift(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    week = _form_week(form, request).isoformat()
    try:
        await admin_roster.swap_shift(admin_of(request), actor=user.username,
                                      shift_id=request.path_params["shift_id"], advisor=form_text(form, "advisor"))
    except Refused as refused:
        if not any(problem.code == "started" for problem in refused.problems):
            return redirect(f"/coordinator/roster?week={week}#shifts")
        errors = form_errors(request, refused, prefix="", keys=KEYS, fields={"advisor": "shifts"})
        return await _render(request, user, _form_week(form, request), errors=errors, status=400)
    except NotFound:
        pass  # the shift is gone, or the other advisor has the same one already
    return redirect(f"/coordinator/roster?week={week}&done=swapped#shifts")


async def import_shifts(request: Request) -> Response:
    """Import a CSV of shifts, or import nothing and report every bad row."""
    user = await coordinator(request)
    form = await checked_form(request)
    t = Translator(request_language(request))
    monday = _form_week(form, request)
    upload = form.get("file")
    text = ""
    name = "roster.csv"
    if isinstance(upload, UploadFile):
        name = upload.filename or name
        try:
            text = (await upload.read()).decode("utf-8-sig")
        except UnicodeDecodeError:
            return await _render(request, user, monday, errors={"file": t("coord.roster.error.encoding")}, status=400)
        finally:
            await form.close()
    if not text.strip():
        return await _render(request, user, monday, errors={"file": t("coord.roster.error.file")}, status=400)
    try:
        imported = await admin_roster.import_csv(admin_of(request), actor=user.username, name=name, text=text)
    except CsvFileError as error:
        errors = {"file": t("coord.roster.error.rows", count=len(error.lines))}
        report = [t(f"coord.roster.row.{problem.code}", **problem.values) for problem in error.problems]
        return await _render(request, user, monday, errors=errors, report=report, status=400)
    return await _render(request, user, monday,
                         done=t("coord.roster.imported", count=imported.added, total=imported.total))


routes = [
    Route("/coordinator/roster", roster_page, methods=["GET"]),
    Route("/coordinator/roster/month", month_page, methods=["GET"]),
    Route("/coordinator/roster/shifts/{shift_id:int}", shift_page, methods=["GET"]),
    Route("/coordinator/roster/templates", add_template, methods=["POST"]),
    Route("/coordinator/roster/templates/{template_id:int}/delete", delete_template, methods=["POST"]),
    Route("/coordinator/roster/apply", apply_templates, methods=["POST"]),
    Route("/coordinator/roster/shifts", add_shift, methods=["POST"]),
    Route("/coordinator/roster/shifts/{shift_id:int}/cancel", cancel_shift, methods=["POST"]),
    Route("/coordinator/roster/shifts/{shift_id:int}/swap", swap_shift, methods=["POST"]),
    Route("/coordinator/roster/import", import_shifts, methods=["POST"]),
]
