"""The roster: each advisor's weekly shift template, one week's concrete shifts with one-off
changes (cancel, swap, extra shift), applying the templates to a week, and CSV import."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.admin.roster_csv import RosterFileError, read_roster
from chat.live.config import clock_time
from chat.web.i18n import Translator, request_language
from chat.web.ical import feed_path
from chat.web.pages.common import checked_form, hub_of, redirect
from chat.web.pages.coordinator_base import (
    WEEKDAYS,
    changed,
    clock_value,
    coordinator,
    form_text,
    local_midnight,
    monday_of,
    page,
    parse_day,
)
from routing.roster import ShiftTemplate, expand_week
from storage import people, roster, rostering
from storage.tables import User

DONE = ("applied", "added", "cancelled", "swapped")


def _week(value: object, today: date) -> date:
    return monday_of(parse_day(value) or today)


def _form_week(form: FormData, request: Request) -> date:
    hub = hub_of(request)
    return _week(form.get("week"), hub.clock.now().astimezone(hub.tz).date())


async def _render(request: Request, user: User, monday: date, *, errors: dict[str, str] | None = None,
                  values: dict[str, str] | None = None, report: list[str] | None = None,
                  done: str | None = None, status: int = 200) -> Response:
    hub = hub_of(request)
    tz = hub.tz
    async with hub.transaction() as session:
        advisors = [u for u in await people.active_users(session)]
        templates = await rostering.templates(session)
        shifts = await rostering.shifts_with_users(
            session, start=local_midnight(monday, tz), end=local_midnight(monday + timedelta(days=7), tz))
    names = {u.id: u for u in advisors}
    secret = request.app.state.secret_key
    context: dict[str, Any] = {
        "monday": monday, "previous": monday - timedelta(days=7), "next": monday + timedelta(days=7),
        "advisors": advisors,
        "templates": [(t, names.get(t.user_id)) for t in templates],
        "shifts": [(s, u, s.start.astimezone(tz), s.end.astimezone(tz)) for s, u in shifts],
        "feeds": {u.username: feed_path(secret, u.username) for u in advisors},
        "errors": errors or {}, "values": values or {}, "report": report, "done": done,
    }
    return page(request, "coordinator/roster.html", user, context, status=status)


async def roster_page(request: Request) -> Response:
    user = await coordinator(request)
    hub = hub_of(request)
    monday = _week(request.query_params.get("week"), hub.clock.now().astimezone(hub.tz).date())
    done = request.query_params.get("done")
    message = Translator(request_language(request))(f"coord.roster.done.{done}") if done in DONE else None
    return await _render(request, user, monday, done=message)


async def _advisor(form: FormData, request: Request, field: str) -> User | None:
    async with hub_of(request).transaction() as session:
        found = await people.user_by_username(session, username=form_text(form, field))
    return found if found is not None and found.active else None


async def add_template(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    t = Translator(request_language(request))
    monday = _form_week(form, request)
    advisor = await _advisor(form, request, "advisor")
    weekday = form_text(form, "weekday")
    start, end = clock_value(form.get("start")), clock_value(form.get("end"), end=True)
    errors = {}
    if advisor is None:
        errors["tpl-advisor"] = t("coord.roster.error.advisor")
    if weekday not in WEEKDAYS:
        errors["tpl-weekday"] = t("coord.roster.error.weekday")
    if start is None:
        errors["tpl-start"] = t("coord.error.time")
    if end is None:
        errors["tpl-end"] = t("coord.error.time")
    if errors or advisor is None or advisor.id is None or start is None or end is None:
        values = {k: form_text(form, k) for k in ("advisor", "weekday", "start", "end")}
        return await _render(request, user, monday, errors=errors, values=values, status=400)
    async with hub_of(request).transaction() as session:
        await rostering.add_template(session, user_id=advisor.id, weekday=WEEKDAYS.index(weekday), start=start, end=end)
    await changed(request, user, "template_add", f"{advisor.username} {weekday} {start}-{end}")
    return redirect(f"/coordinator/roster?week={monday.isoformat()}#templates")


async def delete_template(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    async with hub_of(request).transaction() as session:
        await rostering.delete_template(session, template_id=request.path_params["template_id"])
    await changed(request, user, "template_delete", str(request.path_params["template_id"]))
    return redirect(f"/coordinator/roster?week={_form_week(form, request).isoformat()}#templates")


async def apply_templates(request: Request) -> Response:
    """Write the concrete shifts of the templates for the chosen week (identical ones skipped)."""
    user = await coordinator(request)
    form = await checked_form(request)
    hub = hub_of(request)
    monday = _week(form.get("week"), hub.clock.now().astimezone(hub.tz).date())
    async with hub.transaction() as session:
        users = {u.id: u for u in await people.active_users(session)}
        templates = [
            ShiftTemplate(advisor=str(row.user_id), weekday=row.weekday, start=clock_time(row.start) or time(0),
                          end=clock_time(row.end))
            for row in await rostering.templates(session) if row.user_id in users
        ]
        shifts = expand_week(templates, (), monday, hub.tz)
        added = await roster.add_shifts(
            session, shifts=((int(s.advisor), s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in shifts))
    await changed(request, user, "roster_apply", f"week {monday.isoformat()}: {added} shifts")
    return redirect(f"/coordinator/roster?week={monday.isoformat()}&done=applied#shifts")


async def add_shift(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    hub = hub_of(request)
    t = Translator(request_language(request))
    monday = _week(form.get("week"), hub.clock.now().astimezone(hub.tz).date())
    advisor = await _advisor(form, request, "advisor")
    day = parse_day(form.get("day"))
    start, end = clock_value(form.get("start")), clock_value(form.get("end"), end=True)
    errors = {}
    if advisor is None:
        errors["shift-advisor"] = t("coord.roster.error.advisor")
    if day is None:
        errors["shift-day"] = t("coord.error.date")
    if start is None:
        errors["shift-start"] = t("coord.error.time")
    if end is None:
        errors["shift-end"] = t("coord.error.time")
    if errors or advisor is None or advisor.id is None or day is None or start is None or end is None:
        values = {f"shift_{k}": form_text(form, k) for k in ("advisor", "day", "start", "end")}
        return await _render(request, user, monday, errors=errors, values=values, status=400)
    begins = datetime.combine(day, time.fromisoformat(start), hub.tz)
    end_clock = clock_time(end)
    ends_day = day if end_clock is not None and end_clock > begins.time() else day + timedelta(days=1)
    ends = datetime.combine(ends_day, end_clock or time(0), hub.tz)
    async with hub.transaction() as session:
        await roster.add_shifts(session, shifts=[(advisor.id, begins.astimezone(UTC), ends.astimezone(UTC))])
    await changed(request, user, "shift_add", f"{advisor.username} {begins.isoformat()}-{ends.isoformat()}")
    return redirect(f"/coordinator/roster?week={monday_of(day).isoformat()}&done=added#shifts")


async def cancel_shift(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    async with hub_of(request).transaction() as session:
        shift = await rostering.cancel_shift(session, shift_id=request.path_params["shift_id"])
    if shift is not None:
        await changed(request, user, "shift_cancel", f"{shift.user_id} {shift.start.isoformat()}")
    week = _form_week(form, request).isoformat()
    return redirect(f"/coordinator/roster?week={week}&done=cancelled#shifts")


async def swap_shift(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    replacement = await _advisor(form, request, "advisor")
    week = _form_week(form, request).isoformat()
    if replacement is None or replacement.id is None:
        return redirect(f"/coordinator/roster?week={week}#shifts")
    async with hub_of(request).transaction() as session:
        shift = await rostering.swap_shift(session, shift_id=request.path_params["shift_id"], user_id=replacement.id)
    if shift is not None:
        await changed(request, user, "shift_swap", f"{shift.start.isoformat()} to {replacement.username}")
    return redirect(f"/coordinator/roster?week={week}&done=swapped#shifts")


async def import_shifts(request: Request) -> Response:
    """Import a CSV of shifts, or import nothing and report every bad row."""
    user = await coordinator(request)
    form = await checked_form(request)
    hub = hub_of(request)
    t = Translator(request_language(request))
    monday = _week(form.get("week"), hub.clock.now().astimezone(hub.tz).date())
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
    async with hub.transaction() as session:
        users = {u.username: u for u in await people.active_users(session)}
        try:
            shifts = read_roster(name, text, users=set(users), tz=hub.tz)
        except RosterFileError as error:
            report = error.lines
        else:
            report = []
            added = await roster.add_shifts(
                session, shifts=((users[s.username].id or 0, s.start, s.end) for s in shifts))
    if report:
        return await _render(request, user, monday, errors={"file": t("coord.roster.error.rows", count=len(report))},
                             report=report, status=400)
    await changed(request, user, "roster_import", f"{added} of {len(shifts)} shifts from {name}")
    return await _render(request, user, monday, done=t("coord.roster.imported", added=added, total=len(shifts)))


routes = [
    Route("/coordinator/roster", roster_page, methods=["GET"]),
    Route("/coordinator/roster/templates", add_template, methods=["POST"]),
    Route("/coordinator/roster/templates/{template_id:int}/delete", delete_template, methods=["POST"]),
    Route("/coordinator/roster/apply", apply_templates, methods=["POST"]),
    Route("/coordinator/roster/shifts", add_shift, methods=["POST"]),
    Route("/coordinator/roster/shifts/{shift_id:int}/cancel", cancel_shift, methods=["POST"]),
    Route("/coordinator/roster/shifts/{shift_id:int}/swap", swap_shift, methods=["POST"]),
    Route("/coordinator/roster/import", import_shifts, methods=["POST"]),
]
