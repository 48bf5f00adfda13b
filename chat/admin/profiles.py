"""What a person's profile may be: the rules every entry point checks a profile by (the people
pages, `neuvo user add`, `neuvo user import`), and how a checked profile is stored.

A profile is checked against what the service has (`Known`: its organisations, languages and
topics), read once per change, so an import of hundreds of people asks the database three
questions, not three per person."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chat.admin.errors import Problems
from storage import people, service
from storage.database import Session
from storage.tables import Organisation, User

ROLES = ("advisor", "coordinator")
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
MAX_NAME = 200
CAPACITY = range(1, 11)
DEFAULT_LANGUAGES = ("fi",)
DEFAULT_CAPACITY = 3


@dataclass(frozen=True)
class Profile:
    """What every user has besides the username and the password.

    `organisation` is the organisation's id (the pages' select) or its slug (the CLI's --org);
    `topics` empty means every topic; `capacity` None is what was not a number."""

    name: str
    organisation: int | str | None
    role: str
    languages: Sequence[str]
    topics: Sequence[str]
    capacity: int | None


def items(text: str | None) -> list[str]:
    """A comma-separated list, as the CLI's --languages and --topics and an import file's cells
    take it: "fi, sv" is ["fi", "sv"]."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@dataclass(frozen=True)
class Known:
    """What a profile is checked against: the service's organisations, languages and topics,
    read once per change (an import checks hundreds of profiles against them)."""

    organisations: Sequence[Organisation]
    languages: Sequence[str]
    topic_ids: Sequence[str]

    def organisation(self, ref: int | str | None) -> Organisation | None:
        """By id (the pages' select) or by slug (the CLI, an import file)."""
        if isinstance(ref, int):
            return next((o for o in self.organisations if o.id == ref), None)
        return next((o for o in self.organisations if o.slug == ref), None)


async def known(session: Session) -> Known:
    return Known(organisations=await people.organisations(session), languages=await service.languages(session),
                 topic_ids=[topic.id for topic in await service.topics(session)])


@dataclass(frozen=True)
class Stored:
    """A checked profile's values as the user's row keeps them."""

    organisation_id: int
    languages: str
    topics: str | None


def check_profile(known: Known, profile: Profile, problems: Problems) -> Stored:
    """What to store for the profile, with its problems added to `problems`."""
    if not profile.name or len(profile.name) > MAX_NAME:
        problems.add("name", "name", f"the display name must have 1 to {MAX_NAME} characters")
    organisation = known.organisation(profile.organisation)
    if organisation is None:
        reason = "choose an organisation" if profile.organisation in (None, "") else \
            f"unknown organisation {profile.organisation!r}"
        problems.add("organisation", "organisation", reason)
    if profile.role not in ROLES:
        said = f"unknown role {profile.role!r}" if profile.role else "choose a role"
        problems.add("role", "role", f"{said} (use {' or '.join(ROLES)})")
    unknown = [code for code in profile.languages if code not in known.languages]
    if not profile.languages or unknown:
        reason = f"unknown language {unknown[0]!r}" if unknown else "choose at least one language"
        problems.add("languages", "languages", reason)
    unknown = [topic for topic in profile.topics if topic not in known.topic_ids]
    if unknown:
        problems.add("topics", "topics", f"unknown topic {unknown[0]!r}")
    if profile.capacity not in CAPACITY:
        problems.add("capacity", "capacity", f"the capacity must be {CAPACITY.start} to {CAPACITY.stop - 1} chats")
    chosen = [topic for topic in known.topic_ids if topic in profile.topics]  # in the service's order
    return Stored(organisation_id=(organisation.id or 0) if organisation else 0, languages=",".join(profile.languages),
                  topics=",".join(chosen) or None)


def check_username(username: str, *, taken: bool, problems: Problems) -> None:
    """The rules for a new user's name (already stripped and lowercased)."""
    if not USERNAME.fullmatch(username):
        problems.add("username", "username",
                     f"the username {username!r} must be lowercase letters, digits, dots, hyphens or underscores")
    elif taken:
        problems.add("username", "username_taken", f"username {username!r} is taken", username=username)


def check_edit(actor: str, user: User, profile: Profile, problems: Problems) -> None:
    """The rule an edit adds to the profile's: nobody changes their own role."""
    if user.username == actor and profile.role != user.role:
        problems.add("role", "own_role", "you cannot change your own role")


def profile_of(user: User) -> Profile:
    """The profile a user has now (an import changes only the columns its file has)."""
    return Profile(name=user.name, organisation=user.organisation_id, role=user.role,
                   languages=items(user.languages), topics=items(user.topics), capacity=user.capacity)


def apply_profile(user: User, profile: Profile, stored: Stored) -> None:
    user.name, user.organisation_id, user.role = profile.name, stored.organisation_id, profile.role
    user.languages, user.topics, user.capacity = stored.languages, stored.topics, profile.capacity or DEFAULT_CAPACITY


def new_user(username: str, profile: Profile, stored: Stored, *, password_hash: str, one_time: bool) -> User:
    user = User(username=username, organisation_id=0, role=profile.role, name=profile.name,
                password_hash=password_hash, password_one_time=one_time)
    apply_profile(user, profile, stored)
    return user
