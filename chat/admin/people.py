"""Organisations and people: add and rename organisations; add and edit users, set a password
(which ends the user's sessions), deactivate and reactivate them. One set of rules for the CLI
and the people pages; those of a profile are chat.admin.profiles'.

A deactivated user keeps their history (past shifts, duty log, chats) but cannot sign in, their
sessions end (so do they with a new password) and their shifts from now on are cancelled.
Telling the user's open sockets is the live service's part: the page does it after the change."""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass

from chat.admin.changes import Administration
from chat.admin.errors import NotFound, Problems
from chat.admin.passwords import hash_password
from chat.admin.profiles import (
    MAX_NAME,
    Profile,
    apply_profile,
    check_edit,
    check_profile,
    check_username,
    known,
    new_user,
)
from storage import people, rostering
from storage.database import Session
from storage.tables import Organisation, User

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
MIN_PASSWORD = 8
# A month has at most 744 hours; ten thousand leaves room for many advisors' hours together.
MAX_PROMISE = 10_000


# -- organisations --------------------------------------------------------------------------


def _check_org_name(name: str, problems: Problems) -> None:
    if not name or len(name) > MAX_NAME:
        problems.add("name", "org_name", f"the organisation's name must have 1 to {MAX_NAME} characters")


async def add_organisation(admin: Administration, *, actor: str, slug: str, name: str) -> Organisation:
    slug, name = slug.strip().lower(), name.strip()
    async with admin.change(actor=actor, action="organisation_add", detail=f"{slug} {name}") as change:
        problems = Problems()
        if not SLUG.fullmatch(slug):
            problems.add("slug", "slug", f"the short name {slug!r} must be lowercase letters, digits and hyphens")
        elif await people.organisation_by_slug(change.session, slug=slug) is not None:
            problems.add("slug", "slug_taken", f"organisation {slug!r} already exists", slug=slug)
        _check_org_name(name, problems)
        problems.raise_any()
        return await people.add_organisation(change.session, slug=slug, name=name)


async def _organisation(session: Session, organisation_id: int) -> Organisation:
    organisation = await people.organisation_by_id(session, organisation_id=organisation_id)
    if organisation is None:
        raise NotFound(f"no organisation {organisation_id}")
    return organisation


async def rename_organisation(admin: Administration, *, actor: str, organisation_id: int, name: str) -> Organisation:
    name = name.strip()
    async with admin.change(actor=actor, action="organisation_rename") as change:
        problems = Problems()
        _check_org_name(name, problems)
        problems.raise_any()
        organisation = await _organisation(change.session, organisation_id)
        change.detail = f"{organisation.slug}: {organisation.name} to {name}"
        await people.rename_organisation(change.session, organisation=organisation, name=name)
        return organisation


def _promise(text: str, problems: Problems) -> float | None:
    """The hours a month written "40", "37,5" or "37.5"; "" is no promise."""
    if not text:
        return None
    try:
        hours = float(text.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        hours = -1.0
    if not 0 <= hours <= MAX_PROMISE:  # NaN too
        problems.add("promise", "promise", f"the promised hours a month must be a number from 0 to {MAX_PROMISE}",
                     most=MAX_PROMISE)
        return None
    return hours


async def set_promise(admin: Administration, *, actor: str, organisation_id: int, hours: str) -> Organisation:
    """What the organisation promised the shared service: advisors' hours a month ("" for none)."""
    async with admin.change(actor=actor, action="organisation_promise") as change:
        problems = Problems()
        promised = _promise(hours.strip(), problems)
        problems.raise_any()
        organisation = await _organisation(change.session, organisation_id)
        change.detail = f"{organisation.slug}: {organisation.promised_hours} to {promised} hours a month"
        await people.set_promise(change.session, organisation=organisation, hours=promised)
        return organisation


# -- users ----------------------------------------------------------------------------------


def _check_password(password: str, problems: Problems) -> None:
    if len(password) < MIN_PASSWORD:
        problems.add("password", "password", f"the password must have at least {MIN_PASSWORD} characters",
                     count=MIN_PASSWORD)


async def _hashed(password: str) -> str:
    """The password's hash, made before the change's transaction (Argon2 takes a while, and the
    transaction may hold SQLite's one write lock); "" for a password the checks will refuse."""
    return await asyncio.to_thread(hash_password, password) if len(password) >= MIN_PASSWORD else ""


async def add_user(admin: Administration, *, actor: str, username: str, profile: Profile, password: str,
                   one_time: bool) -> User:
    """A new user; every problem of the input at once when it is refused. `one_time`: the
    password was chosen by someone else (a coordinator), and opens no session until its holder
    has chosen their own (`choose_password`)."""
    username = username.strip().lower()
    password_hash = await _hashed(password)
    async with admin.change(actor=actor, action="user_add", detail=f"{username} {profile.role}") as change:
        problems = Problems()
        taken = await people.user_by_username(change.session, username=username) is not None
        check_username(username, taken=taken, problems=problems)
        stored = check_profile(await known(change.session), profile, problems)
        _check_password(password, problems)
        problems.raise_any()
        return await people.add_user(change.session, user=new_user(username, profile, stored,
                                                                    password_hash=password_hash, one_time=one_time))


async def _user(session: Session, username: str) -> User:
    user = await people.user_by_username(session, username=username)
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


async def edit_user(admin: Administration, *, actor: str, username: str, profile: Profile) -> User:
    """A user's new profile; nobody changes their own role."""
    async with admin.change(actor=actor, action="user_edit", detail=username) as change:
        user = await _user(change.session, username)
        problems = Problems()
        stored = check_profile(await known(change.session), profile, problems)
        check_edit(actor, user, profile, problems)
        problems.raise_any()
        apply_profile(user, profile, stored)
        await people.update_user(change.session, user=user)
        return user


async def set_password(admin: Administration, *, actor: str, username: str, password: str,
                       one_time: bool) -> User:
    """A new password; the user's sessions end. `one_time` as for `add_user`: a coordinator who
    sets someone's password cannot sign in with it as them."""
    password_hash = await _hashed(password)
    async with admin.change(actor=actor, action="password_set", detail=username) as change:
        problems = Problems()
        _check_password(password, problems)
        problems.raise_any()
        user = await _user(change.session, username)
        user.password_hash = password_hash
        user.password_one_time = one_time
        await people.update_user(change.session, user=user)
        await people.delete_sessions_of(change.session, user_id=user.id or 0)
        return user


async def choose_password(admin: Administration, *, username: str, current: str, password: str,
                          again: str) -> User:
    """The holder of a one-time password replaces it with their own (the caller has checked
    `current`): a new one, typed twice, not the one-time one. Their sessions end, if any."""
    password_hash = await _hashed(password)
    async with admin.change(actor=username, action="password_chosen", detail=username) as change:
        problems = Problems()
        _check_password(password, problems)
        if password == current:
            problems.add("password", "password_same", "choose a password of your own, not the one you were given")
        if again != password:
            problems.add("again", "password_again", "the two passwords differ")
        problems.raise_any()
        user = await _user(change.session, username)
        user.password_hash, user.password_one_time = password_hash, False
        await people.update_user(change.session, user=user)
        await people.delete_sessions_of(change.session, user_id=user.id or 0)
        return user


async def renew_calendar(admin: Administration, *, actor: str, username: str) -> User:
    """A new calendar secret for the user: their feed gets a new address, the old one is 404."""
    async with admin.change(actor=actor, action="calendar_renew", detail=username) as change:
        user = await _user(change.session, username)
        user.calendar_secret = secrets.token_hex(16)
        await people.update_user(change.session, user=user)
        return user


@dataclass(frozen=True)
class RosterAhead:
    """What a deactivation would take off the roster: the shifts from now on (a running one
    counted), and the weekly templates that would no longer be applied."""

    shifts: int
    templates: int


async def roster_ahead(admin: Administration, *, username: str) -> RosterAhead:
    """What deactivating the user would cancel, for the coordinator to confirm."""
    async with admin.db.transaction() as session:
        user = await _user(session, username)
        shifts, templates = await rostering.roster_ahead(session, user_id=user.id or 0, now=admin.clock.now())
    return RosterAhead(shifts=shifts, templates=templates)


async def set_active(admin: Administration, *, actor: str, username: str, active: bool) -> User:
    """Deactivate or reactivate a user; nobody deactivates themselves. A deactivation ends the
    user's sessions and cancels their shifts from now on (a running one from now: its past stays
    planned; past shifts are history); their templates stay, not applied while they are
    deactivated. A reactivation brings no cancelled shift back."""
    action = "user_reactivate" if active else "user_deactivate"
    async with admin.change(actor=actor, action=action, detail=username) as change:
        user = await _user(change.session, username)
        problems = Problems()
        if user.username == actor and not active:
            problems.add("active", "own_account", "you cannot deactivate your own account")
        problems.raise_any()
        user.active = active
        await people.update_user(change.session, user=user)
        if not active:
            await people.delete_sessions_of(change.session, user_id=user.id or 0)
            cancelled = await rostering.cancel_ahead(change.session, user_id=user.id or 0, now=admin.clock.now())
            change.detail = f"{username}: {cancelled} shifts from now on cancelled"
        return user
