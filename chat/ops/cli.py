"""`neuvo`: the operator's command line. Every command acts on the database that
NEUVO_DATABASE_URL or --database names, migrating it first; each exits 0 on success and non-zero
with a one-line reason on stderr otherwise."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

# Each command imports what it needs when it runs: parsing the command line, and so `--help`,
# imports argparse and the settings alone, not SQLAlchemy, Alembic, Argon2 or Starlette
# (tests/chat/test_cli_imports.py; the figures are in docs/benchmarks.md).
from chat.base.settings import Settings

if TYPE_CHECKING:
    from chat.admin.changes import Administration
    from storage.database import Database

# Who the audit log says made a change from the command line.
ACTOR = "cli"


class CommandError(Exception):
    """A reason for the operator, printed on one line."""


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(database_url=getattr(args, "database", None), redis_url=getattr(args, "redis", None))


async def _with_database(settings: Settings, work: Callable[[Database], Awaitable[str | None]]) -> str | None:
    from storage.database import Database
    from storage.setup import prepare

    db = Database(settings.database_url, busy_timeout_s=settings.sqlite_busy_timeout_s)
    try:
        await prepare(db)
        return await work(db)
    finally:
        await db.close()


def serve(settings: Settings) -> None:
    import gc

    import uvicorn

    from chat.app import create_app
    from chat.base import logs
    from chat.ops.serving import uvicorn_options

    if settings.redis_url and not settings.database_url.startswith(("postgresql", "postgres")):
        raise CommandError("several processes share one PostgreSQL database: set NEUVO_DATABASE_URL to postgresql://...")
    if settings.smtp_host and not settings.smtp_from:
        raise CommandError("NEUVO_SMTP_HOST is set: set NEUVO_SMTP_FROM too, the address answers are sent from")
    logs.configure()
    app = create_app(settings)
    # What is loaded by now (modules, classes, the app) lives as long as the process: moved out
    # of the cycle collector's reach, a full collection while thousands of sockets are open
    # scans only theirs (its pause grows with the objects it scans).
    gc.freeze()
    # The young generation collected every 20,000 allocations, not every 700: every frame makes
    # short-lived objects, and at the default the collector took about a tenth of the server's
    # CPU at 1,000 active chats (issue 15's benchmark: 62% of a core before, 52% after).
    gc.set_threshold(20_000, 50, 100)
    uvicorn.run(app, host=settings.host, port=settings.port, **uvicorn_options(settings))


def cmd_serve(args: argparse.Namespace) -> str | None:
    serve(_settings(args).with_(host=args.host or "127.0.0.1", port=args.port or 8000))
    return None


def cmd_demo(args: argparse.Namespace) -> str | None:
    import asyncio

    from chat.base.clock import SystemClock
    from chat.ops import demo

    settings = Settings.from_env(database_url=args.database or "sqlite:///neuvo-demo.db")
    settings = settings.with_(host=args.host or settings.host, port=args.port or settings.port, demo=True)
    print(asyncio.run(_with_database(settings, lambda db: demo.seed(db, settings, SystemClock().now()))))
    serve(settings)
    return None


def _administer(args: argparse.Namespace, work: Callable[[Administration], Awaitable[str]]) -> str | None:
    """Run one administrative change on the database, as the actor "cli". No live service runs in
    this process: the servers notice the raised configuration version on their next tick."""
    import asyncio

    from chat.admin.changes import Administration
    from chat.base.clock import SystemClock

    settings = _settings(args)
    return asyncio.run(_with_database(
        settings, lambda db: work(Administration(db=db, clock=SystemClock(), tz=settings.tz))))


def _import(args: argparse.Namespace, work: Callable[[Administration, str], Awaitable[str]]) -> str | None:
    """Import the file `args.file`, read as UTF-8 before the database is opened, as one
    administrative change."""
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {args.file}: {error}") from None
    return _administer(args, lambda admin: work(admin, text))


def cmd_org_add(args: argparse.Namespace) -> str | None:
    from chat.admin import people

    async def work(admin: Administration) -> str:
        organisation = await people.add_organisation(admin, actor=ACTOR, slug=args.slug, name=args.name)
        return f"added organisation {organisation.slug}"

    return _administer(args, work)


def cmd_user_add(args: argparse.Namespace) -> str | None:
    from chat.admin import people
    from chat.admin.profiles import DEFAULT_LANGUAGES, Profile, items

    password = sys.stdin.readline().rstrip("\n")
    profile = Profile(name=args.name or args.username, organisation=args.org, role=args.role,
                      languages=items(args.languages) or list(DEFAULT_LANGUAGES), topics=items(args.topics),
                      capacity=args.capacity)

    async def work(admin: Administration) -> str:
        user = await people.add_user(admin, actor=ACTOR, username=args.username, profile=profile, password=password,
                                      one_time=False)  # the operator's own setup
        return f"added {user.role} {user.username}"

    return _administer(args, work)


def cmd_user_import(args: argparse.Namespace) -> str | None:
    from chat.admin import people_csv

    async def work(admin: Administration, text: str) -> str:
        imported = await people_csv.import_csv(admin, actor=ACTOR, name=args.file, text=text)
        return f"added {imported.added}, updated {imported.updated}, unchanged {imported.unchanged}"

    return _import(args, work)


def cmd_hours_set(args: argparse.Namespace) -> str | None:
    from chat.admin import hours

    async def work(admin: Administration) -> str:
        return "opening hours: " + await hours.set_weekly(admin, actor=ACTOR, specs=list(args.specs))

    return _administer(args, work)


def cmd_roster_import(args: argparse.Namespace) -> str | None:
    from chat.admin import roster

    async def work(admin: Administration, text: str) -> str:
        imported = await roster.import_csv(admin, actor=ACTOR, name=args.file, text=text)
        return f"imported {imported.added} shifts ({imported.total - imported.added} already there)"

    return _import(args, work)


def cmd_purge(args: argparse.Namespace) -> str | None:
    import asyncio

    from chat.base.clock import SystemClock
    from storage import retention

    settings = _settings(args)

    async def work(db: Database) -> str:
        days, report = await retention.purge(
            db, now=SystemClock().now(), default_days=settings.retention_days, actor=ACTOR
        )
        return f"purged {report.chats} chats, {report.offline_messages} offline messages older than {days} days"

    return asyncio.run(_with_database(settings, work))


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="neuvo", description="Neuvo guidance chat service.")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Callable[[argparse.Namespace], str | None], help: str,
                target: argparse._SubParsersAction[argparse.ArgumentParser] = commands) -> argparse.ArgumentParser:
        sub = target.add_parser(name, help=help, description=help)
        sub.add_argument("--database", help="database URL (default: NEUVO_DATABASE_URL or sqlite:///neuvo.db)")
        sub.set_defaults(handler=handler)
        return sub

    for name, handler, help in (("serve", cmd_serve, "run the service"),
                                ("demo", cmd_demo, "seed a demo service that is open now, and run it")):
        sub = command(name, handler, help)
        sub.add_argument("--host", help="address to listen on (default 127.0.0.1)")
        sub.add_argument("--port", type=int, help="port to listen on (default 8000)")
        sub.add_argument("--redis", help="Redis URL for running several processes")

    org = commands.add_parser("org", help="organisations").add_subparsers(dest="org_command", required=True)
    sub = command("add", cmd_org_add, "add an organisation", org)
    sub.add_argument("slug", help="short id, e.g. kotka-college")
    sub.add_argument("--name", required=True, help="display name")

    user = commands.add_parser("user", help="advisors and coordinators").add_subparsers(
        dest="user_command", required=True
    )
    sub = command("add", cmd_user_add, "add a user; the password is read from stdin", user)
    sub.add_argument("username")
    sub.add_argument("--org", required=True, help="organisation slug")
    sub.add_argument("--role", required=True, choices=("advisor", "coordinator"))
    sub.add_argument("--name", help="display name shown to visitors (default: the username)")
    sub.add_argument("--languages", help="comma-separated, e.g. fi,sv (default fi)")
    sub.add_argument("--topics", help="comma-separated topic ids (default: all topics)")
    sub.add_argument("--capacity", type=int, default=3, help="simultaneous chats (default 3)")
    sub.add_argument("--password-stdin", action="store_true", required=True, help="read the password from stdin")
    sub = command("import", cmd_user_import, "add new people and update known ones from a CSV file whose header "
                  "has username and any of name, organisation, role, languages, topics, capacity; all or nothing; "
                  "no passwords (see README)", user)
    sub.add_argument("file")

    hours = commands.add_parser("hours", help="opening hours").add_subparsers(dest="hours_command", required=True)
    sub = command("set", cmd_hours_set, 'replace the weekly opening hours, e.g. "mon-fri 09:00-16:00"', hours)
    sub.add_argument("specs", nargs="+", metavar="SPEC")

    rost = commands.add_parser("roster", help="the shift roster").add_subparsers(dest="roster_command", required=True)
    sub = command("import", cmd_roster_import, "add shifts from a CSV file: username,date,start,end", rost)
    sub.add_argument("file")

    command("purge", cmd_purge, "delete transcripts older than the retention period now")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)  # `--help` and a usage error end here, before any heavy import
    from chat.admin.csv_file import CsvFileError
    from chat.admin.errors import AdminError
    from storage.errors import Duplicate

    try:
        result = args.handler(args)
    except CsvFileError as error:
        print("\n".join(error.lines), file=sys.stderr)
        return 1
    except (CommandError, AdminError, ValueError, Duplicate) as error:
        print(f"neuvo: {error}".splitlines()[0], file=sys.stderr)
        return 1
    if result:
        print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
