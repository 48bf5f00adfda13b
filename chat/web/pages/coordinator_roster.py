"""The roster's pages: a week as a grid of people × days (`roster_grid`) with its gaps ahead
(`chat.web.pages.gaps`), a month's overview, each advisor's weekly shift templates, applying the
templates to a week, and CSV import. The checks and the changes are chat.admin.roster's; changes
to concrete shifts (add, cancel, move, in bulk, undo) are coordinator_shifts'.

A change's page says what was done, with the undo of it (`roster_undo`), and puts the focus
where the coordinator's attention goes next (`?focus=`: the moved shift, or the report)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.admin import roster as admin_roster
from chat.admin.csv_file import CsvFileError
from chat.admin.errors import Refused
from chat.admin.roster import Changes
from chat.admin.roster_changes import undoable
from chat.web.context import clock_of, db_of, tz_of
from chat.web.i18n import Translator, request_language
from chat.web.ical import feed_path
from chat.web.pages import roster_grid, roster_undo
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
from chat.web.pages.gaps import gaps_of, offered, shown
from routing.gaps import HORIZON
from storage import coverage, people, rostering, shift_requests
from storage.tables import User

DONE = ("applied", "added", "unchanged", "cancelled", "moved", "undone", "templates_added")


def week_of(value: object, request: Request) -> date:
    """The Monday of the week of the date `value` ("2026-11-24"), else of this week."""
    return monday_of(parse_day(value) or today_of(request))


def form_week(form: FormData, request: Request) -> date:
    return week_of(form.get("week"), request)


async def grid_of(request: Request, first: date, days: int) -> tuple[roster_grid.Grid, Sequence[User]]:
    """The grid of `days` dates from `first`, and everyone (deactivated people too)."""
    tz = tz_of(request)
    start, end = local_midnight(first, tz), local_midnight(first + timedelta(days=days), tz)
    async with db_of(request).transaction() as session:
        everyone = await people.all_users(session)
        shifts = await rostering.shifts_with_users(session, start=start, end=end)
        hours = await coverage.opening_hours(session, start=start, end=end, tz=tz)
        requested = await shift_requests.requested_shifts(session)
    t = Translator(request_language(request), tz=tz)
    grid = roster_grid.build(first=first, days=days, everyone=everyone, shifts=shifts, hours=hours,
                             now=clock_of(request).now(), t=t, tz=tz, requested=requested)
    return grid, everyone


async def render_week(request: Request, user: User, monday: date, *, errors: dict[str, str] | None = None,
                      values: dict[str, str] | None = None, report: list[str] | None = None,
                      done: str | None = None, undo: str | None = None, status: int = 200) -> Response:
    grid, everyone = await grid_of(request, monday, 7)
    async with db_of(request).transaction() as session:
        templates = await rostering.templates(session)
    week_gaps = [g for g in await gaps_of(request) if monday <= g.day < monday + timedelta(days=7)]
    gaps = shown(week_gaps, Translator(request_language(request), tz=tz_of(request)))
    advisors = [u for u in everyone if u.active]
    # Every template with its advisor, a deactivated one's too (the page marks those: not applied).
    names = {u.id: u for u in everyone}
    secret = request.app.state.secret_key
    context: dict[str, Any] = {
        "monday": monday, "previous": monday - timedelta(days=7), "next": monday + timedelta(days=7),
        "this_week": week_of(None, request), "today": today_of(request), "grid": grid, "advisors": advisors,
        "view": "week",
        "gaps": gaps, "offers": await offered(request, gaps),
        "gaps_by_day": {day.day: sum(g.day == day.day for g in week_gaps) for day in grid.days},
        "gaps_beyond": monday + timedelta(days=7) > today_of(request) + HORIZON,
        "inactive_templates": sorted({names[t.user_id].name for t in templates
                                      if t.user_id in names and not names[t.user_id].active}),
        "templates": [(t, names.get(t.user_id)) for t in templates],
        "feeds": {u.username: feed_path(secret, u) for u in advisors},
        "errors": errors or {}, "values": values or {}, "report": report, "done": done, "undo": undo,
        "picked": set((values or {}).get("picked", "").split(",")),
        "redo": request.query_params.get("done") == "undone",
        "focus": "error-summary" if errors else request.query_params.get("focus"),
    }
    return page(request, "coordinator/roster.html", user, context, status=status)


async def month_page(request: Request) -> Response:
    """A month at a glance: every date's shifts and warnings, each week linked to its grid."""
    user = await coordinator(request)
    chosen = parse_day(request.query_params.get("month")) or today_of(request)
    first = chosen.replace(day=1)
    following = (first + timedelta(days=31)).replace(day=1)
    start, end = monday_of(first), monday_of(following - timedelta(days=1)) + timedelta(days=7)
    grid, _ = await grid_of(request, start, (end - start).days)
    weeks = [grid.days[n:n + 7] for n in range(0, len(grid.days), 7)]
    today = today_of(request)
    context: dict[str, Any] = {
        "grid": grid, "weeks": weeks, "first": first, "previous": (first - timedelta(days=1)).replace(day=1),
        "next": following, "this_week": monday_of(today if first <= today < following else first),
        "view": "month", "inactive_templates": (), "here": "/coordinator/roster",
    }
    return page(request, "coordinator/roster_month.html", user, context)


def today_of(request: Request) -> date:
    return clock_of(request).now().astimezone(tz_of(request)).date()


async def roster_page(request: Request) -> Response:
    user = await coordinator(request)
    monday = week_of(request.query_params.get("week"), request)
    query = request.query_params
    done, count = query.get("done"), query.get("count", "")
    t = Translator(request_language(request))
    message = t(f"coord.roster.done.{done}", count=int(count) if count.isdigit() else 1) if done in DONE else None
    token = query.get("undo")
    changes = roster_undo.unpack(request, token) if token and message else None
    undo = token if changes and undoable(changes, clock_of(request).now()) else None
    return await render_week(request, user, monday, done=message, undo=undo)


KEYS = {"advisor": "coord.roster.error.advisor", "weekday": "coord.roster.error.weekday", "time": "coord.error.time",
        "date": "coord.error.date", "skipped": "coord.roster.error.skipped", "past": "coord.roster.error.past",
        "started": "coord.roster.error.started"}


async def add_templates(request: Request) -> Response:
    """Templates for one advisor and times on every weekday ticked, in one post."""
    user = await coordinator(request)
    form = await checked_form(request)
    monday = form_week(form, request)
    values = {k: form_text(form, k) for k in ("advisor", "start", "end")}
    weekdays = [day for day in form.getlist("weekday") if isinstance(day, str)]
    try:
        await admin_roster.add_templates(admin_of(request), actor=user.username, weekdays=weekdays, **values)
    except Refused as refused:
        errors = form_errors(request, refused, prefix="tpl", keys=KEYS)
        values["weekdays"] = ",".join(weekdays)
        return await render_week(request, user, monday, errors=errors, values=values, status=400)
    return redirect(f"/coordinator/roster?week={monday.isoformat()}&done=templates_added&count={len(weekdays)}"
                    "&focus=done")


async def delete_template(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    await admin_roster.delete_template(admin_of(request), actor=user.username,
                                       template_id=request.path_params["template_id"])
    return redirect(f"/coordinator/roster?week={form_week(form, request).isoformat()}#templates")


async def apply_templates(request: Request) -> Response:
    """Write the concrete shifts of the templates for the chosen week (identical ones skipped)."""
    user = await coordinator(request)
    form = await checked_form(request)
    monday = form_week(form, request)
    added = await admin_roster.apply_templates(admin_of(request), actor=user.username, monday=monday)
    return redirect(done_url(request, monday, "applied", added))


def done_url(request: Request, monday: date, done: str, changes: Changes, *, focus: str = "done") -> str:
    """The week's page after a change: what was done, how many shifts it touched, its undo if
    it can be undone, and where the focus goes."""
    query = {"week": monday.isoformat(), "done": done, "count": str(len(changes)), "focus": focus}
    if undoable(changes, clock_of(request).now()):
        query["undo"] = roster_undo.pack(request, changes)
    return f"/coordinator/roster?{urlencode(query)}"


async def import_shifts(request: Request) -> Response:
    """Import a CSV of shifts, or import nothing and report every bad row."""
    user = await coordinator(request)
    form = await checked_form(request)
    t = Translator(request_language(request))
    monday = form_week(form, request)
    upload = form.get("file")
    text = ""
    name = "roster.csv"
    if isinstance(upload, UploadFile):
        name = upload.filename or name
        try:
            text = (await upload.read()).decode("utf-8-sig")
        except UnicodeDecodeError:
            errors = {"file": t("coord.roster.error.encoding")}
            return await render_week(request, user, monday, errors=errors, status=400)
        finally:
            await form.close()
    if not text.strip():
        return await render_week(request, user, monday, errors={"file": t("coord.roster.error.file")}, status=400)
    try:
        imported = await admin_roster.import_csv(admin_of(request), actor=user.username, name=name, text=text)
    except CsvFileError as error:
        errors = {"file": t("coord.roster.error.rows", count=len(error.lines))}
        report = [t(f"coord.roster.row.{problem.code}", **problem.values) for problem in error.problems]
        return await render_week(request, user, monday, errors=errors, report=report, status=400)
    return await render_week(request, user, monday,
                         done=t("coord.roster.imported", count=imported.added, total=imported.total))


routes = [
    Route("/coordinator/roster", roster_page, methods=["GET"]),
    Route("/coordinator/roster/month", month_page, methods=["GET"]),
    Route("/coordinator/roster/templates", add_templates, methods=["POST"]),
    Route("/coordinator/roster/templates/{template_id:int}/delete", delete_template, methods=["POST"]),
    Route("/coordinator/roster/apply", apply_templates, methods=["POST"]),
    Route("/coordinator/roster/import", import_shifts, methods=["POST"]),
]
