"""Organisations, advisors and coordinators: add and rename organisations, and record what each
promised the shared service (hours a month, on the organisation's page); the coordinator's
hand-over and the coordinator terms (chat.admin.coordination's rules); create and edit
users, set a new password (which ends the user's sessions), deactivate and reactivate them. The
rules and the changes are chat.admin.people's; this module turns forms into them and refusals
into form errors.

A deactivated user keeps their history (past shifts, duty log, chats) but cannot sign in, their
open sessions end and their shifts from now on are cancelled, once the coordinator has confirmed
on a page that says how many shifts and templates that takes off the roster."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Any, TypeVar

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.admin import coordination as admin_coordination
from chat.admin import people as admin_people
from chat.admin.errors import NotFound, Refused
from chat.admin.profiles import ROLES, Profile
from chat.live.commands import EndSessions
from chat.web.context import clock_of, db_of, live_of, tz_of
from chat.web.i18n import Translator, request_language
from chat.web.pages.common import checked_form, redirect
from chat.web.pages.coordinator_base import (
    admin_of,
    coordinator,
    form_errors,
    form_text,
    half_year_name,
    page,
    parse_day,
)
from storage import coordination, people
from storage.tables import Organisation, User

# The catalog's text for each code of chat.admin.people's problems.
KEYS = {code: f"coord.people.error.{code}" for code in (
    "slug", "slug_taken", "org_name", "username", "username_taken", "name", "organisation", "role", "languages",
    "topics", "capacity", "password", "own_role", "own_account", "promise", "not_coordinator", "incoming",
    "incoming_self", "incoming_has_term", "handover_date")}
DONE = ("organisation_added", "organisation_renamed", "promise_set", "handed_over", "user_added", "user_saved",
        "password_set", "deactivated", "reactivated", "calendar_renewed")
USER_FIELDS = ("username", "name", "organisation", "role", "capacity")
Found = TypeVar("Found")


def _done(request: Request) -> str | None:
    done = request.query_params.get("done")
    return Translator(request_language(request))(f"coord.people.done.{done}") if done in DONE else None


async def _choices(request: Request) -> dict[str, Any]:
    """The (value, text) options of the user forms' selects and checkboxes."""
    language = request_language(request)
    t = Translator(language)
    config = live_of(request).config
    async with db_of(request).transaction() as session:
        organisations = await people.organisations(session)
    return {
        "organisation_options": [(str(o.id), o.name) for o in organisations],
        "role_options": [(role, t(f"coord.people.role.{role}")) for role in ROLES],
        "language_options": [(code, t(f"coord.language.{code}")) for code in config.languages],
        "topic_options": [(topic.id, getattr(topic, f"label_{language}")) for topic in config.topics.values()],
    }


async def _render(request: Request, user: User, *, errors: dict[str, str] | None = None,
                  values: dict[str, Any] | None = None, status: int = 200) -> Response:
    async with db_of(request).transaction() as session:
        organisations = await people.organisations(session)
        users = await people.all_users(session)
        terms = await coordination.terms(session)
    names = {o.id: o.name for o in organisations}
    context: dict[str, Any] = {
        "organisations": organisations, "users": users, "org_names": names, "terms": terms,
        "errors": errors or {}, "done": _done(request), **await _choices(request),
        "values": values or {"capacity": "3", "role": "advisor", "handover_date": _today(request).isoformat()},
        "handover_options": [("", "")] + [(u.username, f"{u.name} ({names.get(u.organisation_id, '')})")
                                          for u in users if u.active and u.id != user.id],
    }
    return page(request, "coordinator/people.html", user, context, status=status)


async def people_page(request: Request) -> Response:
    return await _render(request, await coordinator(request))


# -- organisations --------------------------------------------------------------------------


async def add_organisation(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    slug, name = form_text(form, "slug").lower(), form_text(form, "name")
    try:
        await admin_people.add_organisation(admin_of(request), actor=user.username, slug=slug, name=name)
    except Refused as refused:
        errors = form_errors(request, refused, prefix="org", keys=KEYS)
        return await _render(request, user, errors=errors, values={"org_slug": slug, "org_name": name}, status=400)
    return redirect("/coordinator/people?done=organisation_added#organisations")


async def rename_organisation(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    organisation_id = request.path_params["organisation_id"]
    name = form_text(form, "name")
    try:
        await admin_people.rename_organisation(admin_of(request), actor=user.username,
                                               organisation_id=organisation_id, name=name)
    except NotFound:
        raise HTTPException(404, "no such organisation") from None
    except Refused as refused:
        prefix = f"org-{organisation_id}"
        return await _render(request, user, errors=form_errors(request, refused, prefix=prefix, keys=KEYS),
                             values={f"{prefix}-name": name}, status=400)
    return redirect("/coordinator/people?done=organisation_renamed#organisations")


def _found(found: Found | None, what: str) -> Found:
    """What a page's address names, else 404."""
    if found is None:
        raise HTTPException(404, f"no such {what}")
    return found


async def _organisation(request: Request) -> Organisation:
    async with db_of(request).transaction() as session:
        found = await people.organisation_by_id(session, organisation_id=request.path_params["organisation_id"])
    return _found(found, "organisation")


async def _render_organisation(request: Request, user: User, organisation: Organisation, *,
                               errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
                               status: int = 200) -> Response:
    t = Translator(request_language(request))
    promised = "" if organisation.promised_hours is None else t.number(organisation.promised_hours)
    async with db_of(request).transaction() as session:
        terms = await coordination.terms(session, organisation_id=organisation.id)
    context: dict[str, Any] = {
        "organisation": organisation, "terms": terms, "errors": errors or {}, "values": values or {"promise": promised},
        "done": _done(request), "half": half_year_name(clock_of(request).now().astimezone(tz_of(request)).date()),
    }
    return page(request, "coordinator/organisation.html", user, context, status=status)


async def organisation_page(request: Request) -> Response:
    user = await coordinator(request)
    return await _render_organisation(request, user, await _organisation(request))


async def set_promise(request: Request) -> Response:
    """What the organisation promised the shared service, in advisors' hours a month."""
    user = await coordinator(request)
    form = await checked_form(request)
    organisation = await _organisation(request)
    hours = form_text(form, "promise")
    try:
        await admin_people.set_promise(admin_of(request), actor=user.username,
                                       organisation_id=organisation.id or 0, hours=hours)
    except NotFound:
        raise HTTPException(404, "no such organisation") from None
    except Refused as refused:
        errors = form_errors(request, refused, prefix="org", keys=KEYS)
        return await _render_organisation(request, user, organisation, errors=errors, values={"promise": hours},
                                          status=400)
    return redirect(f"/coordinator/people/organisations/{organisation.id}?done=promise_set#promise")


# -- the coordinator's hand-over ------------------------------------------------------------


def _today(request: Request) -> date:
    return clock_of(request).now().astimezone(tz_of(request)).date()


async def hand_over(request: Request) -> Response:
    """The signed-in coordinator hands the coordinator's term over to the person named, from the
    date given; unless they keep the role, they are an advisor from now, and go to the console."""
    user = await coordinator(request)
    form = await checked_form(request)
    incoming, on, keep = form_text(form, "incoming"), form_text(form, "date"), form_text(form, "keep") == "1"
    try:
        await admin_coordination.hand_over(admin_of(request), actor=user.username, incoming=incoming,
                                           on=parse_day(on), keep_role=keep)
    except Refused as refused:
        errors = form_errors(request, refused, prefix="handover", keys=KEYS)
        values = {"handover_incoming": incoming, "handover_date": on, "handover_keep": keep}
        return await _render(request, user, errors=errors, values=values, status=400)
    return redirect("/coordinator/people?done=handed_over#terms" if keep else "/console")


# -- users ----------------------------------------------------------------------------------


def _user_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {name: form_text(form, name) for name in USER_FIELDS}
    values["languages"] = [v for v in form.getlist("languages") if isinstance(v, str)]
    values["topics"] = [v for v in form.getlist("topics") if isinstance(v, str)]
    return values


def _profile(values: dict[str, Any]) -> Profile:
    organisation, capacity = values["organisation"], values["capacity"]
    return Profile(name=values["name"], organisation=int(organisation) if organisation.isdigit() else None,
                   role=values["role"], languages=values["languages"], topics=values["topics"],
                   capacity=int(capacity) if capacity.isdigit() else None)


def _password(form: FormData) -> str:
    password = form.get("password")
    return password if isinstance(password, str) else ""


async def add_user(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    values = _user_values(form)
    values["username"] = values["username"].lower()
    try:
        await admin_people.add_user(admin_of(request), actor=user.username, username=values["username"],
                                    profile=_profile(values), password=_password(form), one_time=True)
    except Refused as refused:
        errors = form_errors(request, refused, prefix="user", keys=KEYS)
        return await _render(request, user, errors=errors, values=values, status=400)
    return redirect("/coordinator/people?done=user_added#users")


async def _user(request: Request) -> User:
    async with db_of(request).transaction() as session:
        found = await people.user_by_username(session, username=request.path_params["username"])
    return _found(found, "user")


def _stored_values(user: User) -> dict[str, Any]:
    return {"username": user.username, "name": user.name, "organisation": str(user.organisation_id),
            "role": user.role, "capacity": str(user.capacity), "languages": user.languages.split(","),
            "topics": user.topics.split(",") if user.topics else []}


async def _render_user(request: Request, actor: User, subject: User, *, errors: dict[str, str] | None = None,
                       values: dict[str, Any] | None = None, status: int = 200) -> Response:
    organisations = live_of(request).config.organisations
    async with db_of(request).transaction() as session:
        terms = await coordination.terms(session, user_id=subject.id)
    context: dict[str, Any] = {
        "subject": subject, "terms": terms, "organisation": organisations.get(subject.organisation_id),
        "errors": errors or {}, "values": values or _stored_values(subject), "done": _done(request),
        **await _choices(request),
    }
    return page(request, "coordinator/person.html", actor, context, status=status)


async def user_page(request: Request) -> Response:
    actor = await coordinator(request)
    return await _render_user(request, actor, await _user(request))


async def _user_change(request: Request, actor: User, subject: User, change: Awaitable[object], *, prefix: str,
                       values: dict[str, Any] | None = None, fields: dict[str, str] | None = None) -> Response | None:
    """Make a change to the subject's account: None once made, else their page with the form's
    errors (404 when they are gone)."""
    try:
        await change
    except NotFound:
        raise HTTPException(404, "no such user") from None
    except Refused as refused:
        errors = form_errors(request, refused, prefix=prefix, keys=KEYS, fields=fields)
        return await _render_user(request, actor, subject, errors=errors, values=values, status=400)
    return None


async def save_user(request: Request) -> Response:
    actor = await coordinator(request)
    form = await checked_form(request)
    subject = await _user(request)
    values = {**_user_values(form), "username": subject.username}
    change = admin_people.edit_user(admin_of(request), actor=actor.username, username=subject.username,
                                    profile=_profile(values))
    return await _user_change(request, actor, subject, change, prefix="edit", values=values) or redirect(
        f"/coordinator/people/users/{subject.username}?done=user_saved")


async def set_password(request: Request) -> Response:
    actor = await coordinator(request)
    form = await checked_form(request)
    subject = await _user(request)
    change = admin_people.set_password(admin_of(request), actor=actor.username, username=subject.username,
                                       password=_password(form), one_time=subject.id != actor.id)
    if refused := await _user_change(request, actor, subject, change, prefix="new"):
        return refused
    await live_of(request).run(EndSessions(subject.username))
    if subject.id == actor.id:
        return redirect("/sign-in")
    return redirect(f"/coordinator/people/users/{subject.username}?done=password_set#password")


async def set_active(request: Request) -> Response:
    """Reactivate, or deactivate once confirmed: the first press shows what a deactivation would
    cancel (shifts from now on, templates no longer applied) and asks again."""
    actor = await coordinator(request)
    form = await checked_form(request)
    subject = await _user(request)
    active = form_text(form, "active") == "1"
    # Deactivating oneself is refused at once, with no question first (chat.admin.people's rule).
    if not active and form_text(form, "confirm") != "1" and subject.id != actor.id:
        ahead = await admin_people.roster_ahead(admin_of(request), username=subject.username)
        return page(request, "coordinator/deactivate.html", actor, {"subject": subject, "ahead": ahead})
    change = admin_people.set_active(admin_of(request), actor=actor.username, username=subject.username,
                                     active=active)
    if refused := await _user_change(request, actor, subject, change, prefix="", fields={"active": "deactivate"}):
        return refused
    if not active:
        await live_of(request).run(EndSessions(subject.username))
    return redirect(f"/coordinator/people/users/{subject.username}?done={'reactivated' if active else 'deactivated'}")


async def renew_calendar(request: Request) -> Response:
    """A new address for the person's calendar feed (a leaked one stops answering)."""
    actor = await coordinator(request)
    await checked_form(request)
    subject = await _user(request)
    change = admin_people.renew_calendar(admin_of(request), actor=actor.username, username=subject.username)
    return await _user_change(request, actor, subject, change, prefix="calendar") or redirect(
        f"/coordinator/people/users/{subject.username}?done=calendar_renewed#calendar")


routes = [
    Route("/coordinator/people", people_page, methods=["GET"]),
    Route("/coordinator/people/organisations", add_organisation, methods=["POST"]),
    Route("/coordinator/people/organisations/{organisation_id:int}", organisation_page, methods=["GET"]),
    Route("/coordinator/people/organisations/{organisation_id:int}", rename_organisation, methods=["POST"]),
    Route("/coordinator/people/organisations/{organisation_id:int}/promise", set_promise, methods=["POST"]),
    Route("/coordinator/people/handover", hand_over, methods=["POST"]),
    Route("/coordinator/people/users", add_user, methods=["POST"]),
    Route("/coordinator/people/users/{username}", user_page, methods=["GET"]),
    Route("/coordinator/people/users/{username}", save_user, methods=["POST"]),
    Route("/coordinator/people/users/{username}/password", set_password, methods=["POST"]),
    Route("/coordinator/people/users/{username}/active", set_active, methods=["POST"]),
    Route("/coordinator/people/users/{username}/calendar", renew_calendar, methods=["POST"]),
]
