"""Changes to the roster's concrete shifts from its pages: a page to add a shift for a person
and day, a page per shift (move it, give it to someone else, cancel it), the grid's bulk
actions on the ticked shifts (cancel them, move them by days and hours; the page's script moves
one shift so by the keyboard, and drags one to another cell), and the undo of the last change.
The rules and the changes are chat.admin.roster_changes'.

Every change answers with the week's page (coordinator_roster.done_url): what was done, its
undo, and the focus on the moved shift or on that report. A refusal shows the form again with
its errors, each linked to the field, or to the ticked shift, it is about."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.admin import roster_changes
from chat.admin.errors import Refused
from chat.admin.roster import Changes
from chat.web.context import db_of, tz_of
from chat.web.i18n import Translator, request_language
from chat.web.pages import roster_undo
from chat.web.pages.common import checked_form, redirect
from chat.web.pages.coordinator_base import admin_of, coordinator, form_errors, form_text, monday_of, page, parse_day
from chat.web.pages.coordinator_roster import KEYS, done_url, form_week, grid_of, render_week, today_of
from chat.web.pages.roster_grid import Block
from storage import people, rostering
from storage.tables import User

ROSTER = "/coordinator/roster"
SHIFT_KEYS = {**KEYS, **{code: f"coord.roster.error.{code}" for code in (
    "gone", "taken", "none", "offset", "undo_past", "undo_changed")}}
SHIFT_FIELDS = ("advisor", "day", "start", "end")


def _focus(changes: Changes) -> str:
    """The one shift the change left on the roster, else the report of what was done."""
    placed = [c.shift_id for c in changes if c.after.on_roster]
    return f"shift-{placed[0]}" if len(placed) == 1 else "done"


def _week_of_focus(changes: Changes, form: FormData, request: Request) -> date:
    """The week to show after the change: the moved shift's, so the focus can follow it."""
    placed = [c.after for c in changes if c.after.on_roster]
    if len(placed) == 1:
        return monday_of(placed[0].start.astimezone(tz_of(request)).date())
    return form_week(form, request)


def _after(request: Request, form: FormData, done: str, changes: Changes) -> Response:
    return redirect(done_url(request, _week_of_focus(changes, form, request), done, changes, focus=_focus(changes)))


async def _advisors(request: Request) -> list[User]:
    async with db_of(request).transaction() as session:
        return [u for u in await people.all_users(session) if u.active]


async def new_shift_page(request: Request, *, errors: Mapping[str, str] | None = None,
                         values: Mapping[str, str] | None = None, status: int = 200) -> Response:
    """One task: a shift for the person and day the grid's "+" named (or any, chosen here)."""
    user = await coordinator(request)
    query = request.query_params
    # A gap's "add a shift" link names its times too.
    values = values or {"advisor": query.get("advisor", ""), "day": query.get("day", today_of(request).isoformat()),
                        "start": query.get("start", ""), "end": query.get("end", "")}
    day = parse_day(values["day"]) or today_of(request)
    t = Translator(request_language(request))
    advisors = await _advisors(request)
    context: dict[str, Any] = {
        "values": values, "errors": errors or {}, "monday": monday_of(day), "here": ROSTER,
        "advisor_options": [(u.username, u.name) for u in advisors],
        "chosen": next((u.name for u in advisors if u.username == values["advisor"]), None),
        "day_label": t.weekday_date(day),
        "focus": "error-summary" if errors else "shift-start",
    }
    return page(request, "coordinator/shift_new.html", user, context, status=status)


async def add_shift(request: Request) -> Response:
    """An extra shift, from the roster page's form or the add page's; a refusal shows that form
    again (`form` says which)."""
    user = await coordinator(request)
    form = await checked_form(request)
    values = {k: form_text(form, k) for k in SHIFT_FIELDS}
    try:
        changes = await roster_changes.add_shift(admin_of(request), actor=user.username, advisor=values["advisor"],
                                                 day=parse_day(values["day"]), start=values["start"], end=values["end"])
    except Refused as refused:
        errors = form_errors(request, refused, prefix="shift", keys=SHIFT_KEYS)
        if form_text(form, "form") == "new":
            return await new_shift_page(request, errors=errors, values=values, status=400)
        shown = {f"shift_{k}": v for k, v in values.items()}
        return await render_week(request, user, form_week(form, request), errors=errors, values=shown, status=400)
    if not changes:
        return redirect(done_url(request, form_week(form, request), "unchanged", changes))
    return _after(request, form, "added", changes)


async def shift_page(request: Request, *, errors: Mapping[str, str] | None = None,
                     values: Mapping[str, str] | None = None, status: int = 200) -> Response:
    """One shift: when and whose it is, and what may still be done with it."""
    user = await coordinator(request)
    block = await _block(request, request.path_params["shift_id"])
    start, end = block.clock
    context: dict[str, Any] = {
        "block": block, "monday": block.week, "here": ROSTER, "errors": errors or {},
        "values": values or {"advisor": block.advisor.username, "day": block.start.date().isoformat(),
                             "start": start, "end": end},
        "advisor_options": [(u.username, u.name) for u in await _advisors(request)],
        "focus": "error-summary" if errors else None,
    }
    return page(request, "coordinator/shift.html", user, context, status=status)


async def _block(request: Request, shift_id: int) -> Block:
    async with db_of(request).transaction() as session:
        shift = await rostering.shift_by_id(session, shift_id=shift_id)
    if shift is None or shift.cancelled_at is not None:
        raise HTTPException(404, "no such shift on the roster")
    grid, _ = await grid_of(request, shift.start.astimezone(tz_of(request)).date(), 1)
    [block] = [b for b in grid.blocks if b.id == shift_id]
    return block


async def move_shift(request: Request) -> Response:
    """A shift to another advisor, day or times: the shift's page, or a block dragged on the grid
    (`form` "week": a refusal shows the week)."""
    user = await coordinator(request)
    form = await checked_form(request)
    values = {k: form_text(form, k) for k in SHIFT_FIELDS}
    try:
        changes = await roster_changes.move_shift(
            admin_of(request), actor=user.username, shift_id=request.path_params["shift_id"],
            advisor=values["advisor"], day=parse_day(values["day"]), start=values["start"], end=values["end"])
    except Refused as refused:
        if form_text(form, "form") == "week":
            return await _refused_on_week(request, user, form, refused)
        errors = form_errors(request, refused, prefix="move", keys=SHIFT_KEYS, fields={"shift": "move-advisor"})
        return await shift_page(request, errors=errors, values=values, status=400)
    return _after(request, form, "moved", changes)


async def cancel_shift(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    changes = await roster_changes.cancel_shifts(admin_of(request), actor=user.username,
                                                 shift_ids=[request.path_params["shift_id"]])
    return redirect(done_url(request, form_week(form, request), "cancelled", changes))


def _ids(form: FormData) -> list[int]:
    return [int(value) for value in form.getlist("shift") if isinstance(value, str) and value.isdigit()]


def _offset(form: FormData, name: str) -> int | None:
    """A whole number of days or hours ("" is 0); None for anything else."""
    text = form_text(form, name) or "0"
    return int(text) if text.removeprefix("-").removeprefix("+").isdigit() else None


async def bulk(request: Request) -> Response:
    """The ticked shifts cancelled, or moved by days and hours: all of them, or none."""
    user = await coordinator(request)
    form = await checked_form(request)
    action, ids = form_text(form, "action"), _ids(form)
    try:
        if action == "cancel":
            changes = await roster_changes.cancel_shifts(admin_of(request), actor=user.username, shift_ids=ids)
            return redirect(done_url(request, form_week(form, request), "cancelled", changes))
        changes = await roster_changes.move_shifts(admin_of(request), actor=user.username, shift_ids=ids,
                                                   days=_offset(form, "days"), hours=_offset(form, "hours"))
    except Refused as refused:
        return await _refused_on_week(request, user, form, refused)
    return _after(request, form, "moved", changes)


async def _refused_on_week(request: Request, user: User, form: FormData, refused: Refused) -> Response:
    """The week again with the refusal's errors: one about a shift names it and links its tick,
    or the shift itself when the keyboard moved it (`form` "keys": nothing was ticked or typed)."""
    monday = form_week(form, request)
    grid, _ = await grid_of(request, monday, 7)
    names = {block.id: block.name for block in grid.blocks}
    keys = form_text(form, "form") == "keys"
    t = Translator(request_language(request))
    errors: dict[str, str] = {}
    for problem in refused.problems:
        shift = problem.values.get("shift")
        text = t(SHIFT_KEYS[problem.code], **problem.values)
        if isinstance(shift, int) and shift in names:
            errors.setdefault(f"{'shift' if keys else 'pick'}-{shift}", f"{names[shift]}: {text}")
        else:
            errors.setdefault("bulk-days" if problem.field == "by" else "grid", text)
    values = {} if keys else {"days": form_text(form, "days"), "hours": form_text(form, "hours"),
                              "picked": ",".join(map(str, _ids(form)))}
    return await render_week(request, user, monday, errors=errors, values=values, status=400)


async def undo(request: Request) -> Response:
    """Undo the change the page reported: the same administration, audited, or refused."""
    user = await coordinator(request)
    form = await checked_form(request)
    changes = roster_undo.unpack(request, form_text(form, "undo"))
    if changes is None:
        raise HTTPException(400, "this undo was not made for this session")
    try:
        undone = await roster_changes.undo(admin_of(request), actor=user.username, changes=changes)
    except Refused as refused:
        return await _refused_on_week(request, user, form, refused)
    return _after(request, form, "undone", undone)


routes = [
    Route(f"{ROSTER}/shifts/new", new_shift_page, methods=["GET"]),
    Route(f"{ROSTER}/shifts", add_shift, methods=["POST"]),
    Route(f"{ROSTER}/shifts/bulk", bulk, methods=["POST"]),
    Route(f"{ROSTER}/shifts/{{shift_id:int}}", shift_page, methods=["GET"]),
    Route(f"{ROSTER}/shifts/{{shift_id:int}}/move", move_shift, methods=["POST"]),
    Route(f"{ROSTER}/shifts/{{shift_id:int}}/cancel", cancel_shift, methods=["POST"]),
    Route(f"{ROSTER}/undo", undo, methods=["POST"]),
]
