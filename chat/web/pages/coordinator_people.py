"""Organisations, advisors and coordinators: add and rename organisations; create and edit
users, set a new password (which ends the user's sessions), deactivate and reactivate them.

A deactivated user keeps their history (shifts, duty log, chats) but cannot sign in, and their
open sessions end."""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chat.admin.passwords import hash_password
from chat.web.i18n import Translator, request_language
from chat.web.pages.common import checked_form, hub_of, redirect
from chat.web.pages.coordinator_base import changed, coordinator, form_text, page
from storage import people
from storage.tables import User

ROLES = ("advisor", "coordinator")
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
MIN_PASSWORD = 8
CAPACITY = range(1, 11)
DONE = ("organisation_added", "organisation_renamed", "user_added", "user_saved", "password_set",
        "deactivated", "reactivated")
USER_FIELDS = ("username", "name", "organisation", "role", "capacity")


def _done(request: Request) -> str | None:
    done = request.query_params.get("done")
    return Translator(request_language(request))(f"coord.people.done.{done}") if done in DONE else None


async def _choices(request: Request) -> dict[str, Any]:
    """The (value, text) options of the user forms' selects and checkboxes."""
    hub = hub_of(request)
    language = request_language(request)
    t = Translator(language)
    async with hub.transaction() as session:
        organisations = await people.organisations(session)
    return {
        "organisation_options": [(str(o.id), o.name) for o in organisations],
        "role_options": [(role, t(f"coord.people.role.{role}")) for role in ROLES],
        "language_options": [(code, t(f"coord.language.{code}")) for code in hub.config.languages],
        "topic_options": [(topic.id, getattr(topic, f"label_{language}")) for topic in hub.config.topics.values()],
    }


async def _render(request: Request, user: User, *, errors: dict[str, str] | None = None,
                  values: dict[str, Any] | None = None, status: int = 200) -> Response:
    async with hub_of(request).transaction() as session:
        organisations = await people.organisations(session)
        users = await people.all_users(session)
    context: dict[str, Any] = {
        "organisations": organisations, "users": users, "org_names": {o.id: o.name for o in organisations},
        "errors": errors or {}, "values": values or {"capacity": "3", "role": "advisor"},
        "done": _done(request), **await _choices(request),
    }
    return page(request, "coordinator/people.html", user, context, status=status)


async def people_page(request: Request) -> Response:
    return await _render(request, await coordinator(request))


# -- organisations --------------------------------------------------------------------------


async def add_organisation(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    t = Translator(request_language(request))
    slug, name = form_text(form, "slug").lower(), form_text(form, "name")
    errors = {}
    if not SLUG.fullmatch(slug):
        errors["org-slug"] = t("coord.people.error.slug")
    if not name or len(name) > 200:
        errors["org-name"] = t("coord.people.error.org_name")
    async with hub_of(request).transaction() as session:
        if "org-slug" not in errors and await people.organisation_by_slug(session, slug=slug) is not None:
            errors["org-slug"] = t("coord.people.error.slug_taken", slug=slug)
        if not errors:
            await people.add_organisation(session, slug=slug, name=name)
    if errors:
        return await _render(request, user, errors=errors, values={"org_slug": slug, "org_name": name}, status=400)
    await changed(request, user, "organisation_add", f"{slug} {name}")
    return redirect("/coordinator/people?done=organisation_added#organisations")


async def rename_organisation(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    t = Translator(request_language(request))
    organisation_id = request.path_params["organisation_id"]
    name = form_text(form, "name")
    field = f"org-{organisation_id}-name"
    if not name or len(name) > 200:
        return await _render(request, user, errors={field: t("coord.people.error.org_name")},
                             values={field: name}, status=400)
    async with hub_of(request).transaction() as session:
        organisation = await people.organisation_by_id(session, organisation_id=organisation_id)
        if organisation is None:
            raise HTTPException(404, "no such organisation")
        old, organisation.name = organisation.name, name
        session.add(organisation)
    await changed(request, user, "organisation_rename", f"{organisation.slug}: {old} to {name}")
    return redirect("/coordinator/people?done=organisation_renamed#organisations")


# -- users ----------------------------------------------------------------------------------


def _user_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {name: form_text(form, name) for name in USER_FIELDS}
    values["languages"] = [v for v in form.getlist("languages") if isinstance(v, str)]
    values["topics"] = [v for v in form.getlist("topics") if isinstance(v, str)]
    return values


async def _check_user(request: Request, values: dict[str, Any], prefix: str) -> dict[str, str]:
    """Errors of the fields every user form has, keyed by the field's id."""
    t = Translator(request_language(request))
    config = hub_of(request).config
    errors = {}
    if not values["name"] or len(values["name"]) > 200:
        errors[f"{prefix}-name"] = t("coord.people.error.name")
    async with hub_of(request).transaction() as session:
        organisations = {str(o.id) for o in await people.organisations(session)}
    if values["organisation"] not in organisations:
        errors[f"{prefix}-organisation"] = t("coord.people.error.organisation")
    if values["role"] not in ROLES:
        errors[f"{prefix}-role"] = t("coord.people.error.role")
    if not values["languages"] or not set(values["languages"]) <= set(config.languages):
        errors[f"{prefix}-languages"] = t("coord.people.error.languages")
    if not set(values["topics"]) <= set(config.topics):
        errors[f"{prefix}-topics"] = t("coord.people.error.topics")
    if not values["capacity"].isdigit() or int(values["capacity"]) not in CAPACITY:
        errors[f"{prefix}-capacity"] = t("coord.people.error.capacity")
    return errors


def _apply(user: User, values: dict[str, Any], topic_ids: list[str]) -> None:
    user.name = values["name"]
    user.organisation_id = int(values["organisation"])
    user.role = values["role"]
    user.languages = ",".join(code for code in values["languages"])
    chosen = [topic for topic in topic_ids if topic in values["topics"]]
    user.topics = ",".join(chosen) if chosen else None  # none ticked: every topic
    user.capacity = int(values["capacity"])


async def _taken(request: Request, username: str) -> bool:
    async with hub_of(request).transaction() as session:
        return await people.user_by_username(session, username=username) is not None


async def add_user(request: Request) -> Response:
    user = await coordinator(request)
    form = await checked_form(request)
    t = Translator(request_language(request))
    values = _user_values(form)
    values["username"] = values["username"].lower()
    password = form.get("password")
    errors = {}
    if not USERNAME.fullmatch(values["username"]):
        errors["user-username"] = t("coord.people.error.username")
    elif await _taken(request, values["username"]):
        errors["user-username"] = t("coord.people.error.username_taken", username=values["username"])
    errors.update(await _check_user(request, values, "user"))
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        errors["user-password"] = t("coord.people.error.password", count=MIN_PASSWORD)
    if not errors and isinstance(password, str):
        new = User(username=values["username"], organisation_id=0, role="advisor", name="",
                   password_hash=hash_password(password))
        _apply(new, values, list(hub_of(request).config.topics))
        async with hub_of(request).transaction() as session:
            # Checked again in the writing transaction: someone may have taken it meanwhile.
            if await people.user_by_username(session, username=new.username) is not None:
                errors["user-username"] = t("coord.people.error.username_taken", username=new.username)
            else:
                await people.add_user(session, user=new)
    if errors:
        return await _render(request, user, errors=errors, values=values, status=400)
    await changed(request, user, "user_add", f"{values['username']} {values['role']}")
    return redirect("/coordinator/people?done=user_added#users")


async def _user(request: Request) -> User:
    async with hub_of(request).transaction() as session:
        found = await people.user_by_username(session, username=request.path_params["username"])
    if found is None:
        raise HTTPException(404, "no such user")
    return found


def _stored_values(user: User) -> dict[str, Any]:
    return {"username": user.username, "name": user.name, "organisation": str(user.organisation_id),
            "role": user.role, "capacity": str(user.capacity), "languages": user.languages.split(","),
            "topics": user.topics.split(",") if user.topics else []}


async def _render_user(request: Request, actor: User, subject: User, *, errors: dict[str, str] | None = None,
                       values: dict[str, Any] | None = None, status: int = 200) -> Response:
    organisations = hub_of(request).config.organisations
    context: dict[str, Any] = {
        "subject": subject, "organisation": organisations.get(subject.organisation_id), "errors": errors or {},
        "values": values or _stored_values(subject), "done": _done(request), **await _choices(request),
    }
    return page(request, "coordinator/person.html", actor, context, status=status)


async def user_page(request: Request) -> Response:
    actor = await coordinator(request)
    return await _render_user(request, actor, await _user(request))


async def save_user(request: Request) -> Response:
    actor = await coordinator(request)
    form = await checked_form(request)
    subject = await _user(request)
    values = {**_user_values(form), "username": subject.username}
    errors = await _check_user(request, values, "edit")
    if subject.id == actor.id and values["role"] != actor.role:
        errors["edit-role"] = Translator(request_language(request))("coord.people.error.own_role")
    if errors:
        return await _render_user(request, actor, subject, errors=errors, values=values, status=400)
    _apply(subject, values, list(hub_of(request).config.topics))
    async with hub_of(request).transaction() as session:
        await people.update_user(session, user=subject)
    await changed(request, actor, "user_edit", subject.username)
    return redirect(f"/coordinator/people/users/{subject.username}?done=user_saved")


async def set_password(request: Request) -> Response:
    actor = await coordinator(request)
    form = await checked_form(request)
    subject = await _user(request)
    password = form.get("password")
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        t = Translator(request_language(request))
        return await _render_user(request, actor, subject, status=400,
                                  errors={"new-password": t("coord.people.error.password", count=MIN_PASSWORD)})
    subject.password_hash = hash_password(password)
    async with hub_of(request).transaction() as session:
        await people.update_user(session, user=subject)
        await people.delete_sessions_of(session, user_id=subject.id or 0)
    await hub_of(request).sessions_ended(subject.username)
    await changed(request, actor, "password_set", subject.username)
    if subject.id == actor.id:
        return redirect("/sign-in")
    return redirect(f"/coordinator/people/users/{subject.username}?done=password_set#password")


async def set_active(request: Request) -> Response:
    actor = await coordinator(request)
    form = await checked_form(request)
    subject = await _user(request)
    active = form_text(form, "active") == "1"
    if subject.id == actor.id and not active:
        t = Translator(request_language(request))
        return await _render_user(request, actor, subject, status=400,
                                  errors={"deactivate": t("coord.people.error.own_account")})
    subject.active = active
    async with hub_of(request).transaction() as session:
        await people.update_user(session, user=subject)
        if not active:
            await people.delete_sessions_of(session, user_id=subject.id or 0)
    if not active:
        await hub_of(request).sessions_ended(subject.username)
    done = "reactivated" if active else "deactivated"
    await changed(request, actor, "user_reactivate" if active else "user_deactivate", subject.username)
    return redirect(f"/coordinator/people/users/{subject.username}?done={done}")


routes = [
    Route("/coordinator/people", people_page, methods=["GET"]),
    Route("/coordinator/people/organisations", add_organisation, methods=["POST"]),
    Route("/coordinator/people/organisations/{organisation_id:int}", rename_organisation, methods=["POST"]),
    Route("/coordinator/people/users", add_user, methods=["POST"]),
    Route("/coordinator/people/users/{username}", user_page, methods=["GET"]),
    Route("/coordinator/people/users/{username}", save_user, methods=["POST"]),
    Route("/coordinator/people/users/{username}/password", set_password, methods=["POST"]),
    Route("/coordinator/people/users/{username}/active", set_active, methods=["POST"]),
]
