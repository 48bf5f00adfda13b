"""Adding and updating many people from one CSV file (`neuvo user import`), all or nothing, by the
rules every entry point checks a profile by (chat.admin.profiles).

The header names the columns, in any order: `username` and any of name, organisation (its
slug), role, languages, topics, capacity. A row with a new username adds that person; a known
one updates them. A column the file lacks keeps what is stored (an update) or is `neuvo user
add`'s default (someone new: the username as the name, Finnish, every topic, 3 chats); an empty
cell is that default too. Someone new needs an organisation and a role. Languages and topics are
comma-separated ids ("fi,sv", in quotes in a comma-separated file).

Passwords are not in the file (a spreadsheet is no place for them, and hashing hundreds with
Argon2 would take a minute or more): someone added here has none that opens a session until a
coordinator sets them a one-time password on their page; someone updated keeps theirs.
Deactivating is not here either: it cancels the person's shifts and closes their open console,
which their page confirms and does.

The file is read as every import file is (chat.admin.csv_file): each problem of each row is
reported as `FILE:LINE: reason`, and nothing is written unless every row is right; then all of
it is one change (one transaction, one audit entry naming who was added and who updated).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from chat.admin.changes import Administration
from chat.admin.csv_file import CsvFile
from chat.admin.errors import Problems
from chat.admin.passwords import NO_PASSWORD
from chat.admin.profiles import (
    DEFAULT_CAPACITY,
    DEFAULT_LANGUAGES,
    Known,
    Profile,
    apply_profile,
    check_edit,
    check_profile,
    check_username,
    items,
    known,
    new_user,
    profile_of,
)
from storage import people
from storage.tables import User

COLUMNS = ("username", "name", "organisation", "role", "languages", "topics", "capacity")


def _capacity(cell: str, _: str) -> int | None:
    if not cell:
        return DEFAULT_CAPACITY
    return int(cell) if cell.isdigit() else None  # None: the rules say what a capacity must be


# How each cell (stripped) becomes a field of the profile, given the row's username; an empty
# cell is `neuvo user add`'s default. The organisation and the role have none: the rules refuse "".
CELLS: Mapping[str, Callable[[str, str], Any]] = {
    "name": lambda cell, username: cell or username,
    "organisation": lambda cell, _: cell,
    "role": lambda cell, _: cell,
    "languages": lambda cell, _: items(cell) or list(DEFAULT_LANGUAGES),
    "topics": lambda cell, _: items(cell),
    "capacity": _capacity,
}


@dataclass(frozen=True)
class Imported:
    added: int
    updated: int
    unchanged: int


@dataclass
class _Plan:
    """What the rows make of the people, before anything is stored."""

    added: list[User] = field(default_factory=list)
    updated: list[User] = field(default_factory=list)
    unchanged: int = 0
    lines: dict[str, int] = field(default_factory=dict)  # username: the line that names them first


def _check_header(file: CsvFile) -> None:
    columns = ",".join(COLUMNS)
    for column in dict.fromkeys(file.header):
        if column not in COLUMNS:
            file.bad(1, "header_unknown", f'unknown column "{column}" (the columns are {columns})', value=column,
                     columns=columns)
        elif file.header.count(column) > 1:
            file.bad(1, "header_twice", f'the column "{column}" is there twice', value=column)
    if "username" not in file.header:
        file.bad(1, "header_username", "the header must have a username column")
    file.raise_any()  # the rows cannot be read by this header


def _profile(fields: Mapping[str, str], username: str, base: Profile) -> Profile:
    """`base` with what the row's cells say."""
    return replace(base, **{column: CELLS[column](cell.strip(), username) for column, cell in fields.items()
                            if column in CELLS})


def _stored(user: User) -> tuple[object, ...]:
    return user.name, user.organisation_id, user.role, user.languages, user.topics, user.capacity


def _newcomer(username: str) -> Profile:
    """What someone new has before their row's cells are read: `neuvo user add`'s defaults."""
    return Profile(name=username, organisation=None, role="", languages=DEFAULT_LANGUAGES, topics=(),
                   capacity=DEFAULT_CAPACITY)


def _plan_row(plan: _Plan, line: int, fields: Mapping[str, str], *, actor: str, known_now: Known,
              users: Mapping[str, User], problems: Problems) -> None:
    """Add what the row makes to the plan, or its problems to `problems`."""
    username = fields["username"].strip().lower()
    first = plan.lines.setdefault(username, line)
    if first != line:
        problems.add("username", "username_repeated", f'"{username}" is on line {first} already', username=username,
                     first=str(first))
    user = users.get(username)
    if user is None:
        check_username(username, taken=False, problems=problems)
        profile = _profile(fields, username, _newcomer(username))
    else:
        profile = _profile(fields, username, profile_of(user))
        check_edit(actor, user, profile, problems)
    stored = check_profile(known_now, profile, problems)
    if problems.found:
        return
    if user is None:
        plan.added.append(new_user(username, profile, stored, password_hash=NO_PASSWORD, one_time=False))
        return
    before = _stored(user)
    apply_profile(user, profile, stored)  # in the change's transaction: undone if any row is bad
    if _stored(user) == before:
        plan.unchanged += 1
    else:
        plan.updated.append(user)


def _names(users: list[User]) -> str:
    return ", ".join(user.username for user in users) or "nobody"


async def import_csv(admin: Administration, *, actor: str, name: str, text: str) -> Imported:
    """Add and update the people of the file, or nothing and CsvFileError naming every problem
    of every row as `FILE:LINE: reason`."""
    file = CsvFile(name, text)
    _check_header(file)
    async with admin.change(actor=actor, action="people_import") as change:
        known_now = await known(change.session)
        users = {user.username: user for user in await people.all_users(change.session)}
        plan = _Plan()
        for line, fields in file.rows():
            problems = Problems()
            _plan_row(plan, line, fields, actor=actor, known_now=known_now, users=users, problems=problems)
            for found in problems.found:
                file.bad(line, found.code, found.reason, **found.values)
        file.raise_any()
        await people.add_users(change.session, users=plan.added)
        await people.update_users(change.session, users=plan.updated)
        change.detail = f"{name}: added {_names(plan.added)}; updated {_names(plan.updated)}"
    return Imported(added=len(plan.added), updated=len(plan.updated), unchanged=plan.unchanged)
