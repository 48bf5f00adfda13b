"""`neuvo demo`: a service that is open right now, staffed by advisors in fi, sv and en."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from itertools import pairwise

from chat.admin.passwords import hash_password
from chat.base.settings import Settings
from routing.wallclock import at
from storage import handbook, people, roster, service
from storage.database import Database
from storage.tables import User, WeeklyOpeningRow

ORGANISATIONS = (
    ("kotka-college", "Kotkan ammattiopisto"),
    ("kaakko-uas", "Kaakkois-Suomen ammattikorkeakoulu"),
    ("te-office", "TE-palvelut Kymenlaakso"),
)
# username, display name, organisation, role, languages
USERS = (
    ("anna", "Anna", "kotka-college", "advisor", "fi,en"),
    ("bertil", "Bertil", "kaakko-uas", "advisor", "sv,fi"),
    ("chloe", "Chloe", "te-office", "advisor", "en,fi"),
    ("kaisa", "Kaisa", "kotka-college", "coordinator", "fi,sv,en"),
)


HANDBOOK = (
    ("fi", "Tervehdys", "Hei! Olen opinto-ohjaaja. Kerro, miten voin auttaa?"),
    ("fi", "Yhteishaku", "Kevään yhteishaku on maaliskuussa; hakuohjeet löydät Opintopolusta."),
    ("sv", "Hälsning", "Hej! Jag är studiehandledare. Berätta hur jag kan hjälpa dig?"),
    ("en", "Greeting", "Hello! I am a guidance counsellor. How can I help you?"),
)


def demo_password(username: str) -> str:
    return f"{username}-demo-2026"


async def seed(db: Database, settings: Settings, now: datetime) -> str:
    """Organisations, users, round-the-clock hours and a roster covering this week and the next;
    safe to run again. Returns what to tell the person who started the demo."""
    async with db.transaction() as session:
        orgs = {}
        for slug, name in ORGANISATIONS:
            orgs[slug] = await people.organisation_by_slug(session, slug=slug) or await people.add_organisation(
                session, slug=slug, name=name
            )
        users = []
        for username, name, org, role, languages in USERS:
            user = await people.user_by_username(session, username=username)
            if user is None:
                user = await people.add_user(session, user=User(
                    username=username, name=name, organisation_id=orgs[org].id or 0, role=role,
                    password_hash=hash_password(demo_password(username)), languages=languages,
                ))
            users.append(user)
        if not await handbook.canned_answers(session):
            for n, (language, title, text) in enumerate(HANDBOOK):
                await service.add_canned_answer(session, language=language, title=title, text=text, position=n)
        await service.replace_weekly_opening(
            session, rows=[WeeklyOpeningRow(weekday=day, start="00:00", end="24:00") for day in range(7)]
        )
        # Midnight to midnight from yesterday on, 15 days (a day over a clock change is 23 or 25 hours).
        today = now.astimezone(settings.tz).date()
        midnights = [at(today + timedelta(days=n), time(0), settings.tz, recurring=True) for n in range(-1, 15)]
        await roster.add_shifts(session, shifts=(
            (user.id or 0, start, end)
            for user in users if user.role == "advisor" for start, end in pairwise(midnights)
        ))
    base = f"http://{settings.host}:{settings.port}"
    lines = [
        "Neuvo demo: open all week, three organisations, advisors on shift now.",
        f"  demo page with the widget:  {base}/",
        f"  advisor console:            {base}/console",
        "  sign-in names and passwords:",
    ]
    lines += [
        f"    {username:<8} {demo_password(username):<20} {role}, {languages}"
        for username, _, _, role, languages in USERS
    ]
    lines += [
        "The widget takes chats once an advisor on shift is signed in: sign in to the console",
        "(e.g. as anna), choose Available, then start a chat on the demo page in another browser.",
    ]
    return "\n".join(lines)
