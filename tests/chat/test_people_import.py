"""`neuvo user import FILE`: many people added or updated in one run, by the people pages' rules,
all or nothing, every bad line reported as `FILE:LINE: reason`. Run as the real CLI process on a
running service's database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
from sqlmodel import select

from storage import service
from storage.tables import AuditEntry, User
from tests.chat.cli_process import neuvo_beside
from tests.chat.coordinator_fixtures import choose_own, coordinating, set_password_as_coordinator
from tests.service import PASSWORD, Service, running

HEADER = "username,name,organisation,role,languages,topics,capacity\n"


async def import_file(running_service: Service, path: Path) -> subprocess.CompletedProcess[str]:
    return await neuvo_beside(running_service.settings.database_url, "user", "import", str(path))


async def people(running_service: Service) -> dict[str, User]:
    async with running_service.db.transaction() as session:
        return {user.username: user for user in (await session.execute(select(User))).scalars().all()}


async def audited(running_service: Service, action: str) -> list[str]:
    async with running_service.db.transaction() as session:
        found = await session.execute(select(AuditEntry.detail).where(AuditEntry.action == action))
        return list(found.scalars().all())


async def version(running_service: Service) -> int:
    async with running_service.db.transaction() as session:
        return await service.config_version(session)


async def test_two_hundred_people_are_added_in_one_change(tmp_path: Path) -> None:
    async with running(tmp_path) as running_service:
        csv = tmp_path / "people.csv"
        csv.write_text(HEADER + "".join(f'p{n:03},Person {n},kotka,advisor,"fi,sv",work,{n % 10 + 1}\n'
                                        for n in range(200)))
        before = await version(running_service)
        done = await import_file(running_service, csv)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == ["added 200, updated 0, unchanged 0"]
        added = {name: user for name, user in (await people(running_service)).items() if name.startswith("p")}
        assert len(added) == 200
        p042 = added["p042"]
        assert (p042.name, p042.role, p042.languages, p042.topics, p042.capacity) == (
            "Person 42", "advisor", "fi,sv", "work", 3)
        # One change: one audit entry naming everyone added, one raised configuration version.
        [detail] = await audited(running_service, "people_import")
        assert detail.startswith(f"{csv}: added p000, p001,") and detail.endswith("p199; updated nobody")
        assert await version(running_service) == before + 1


async def test_every_bad_line_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    async with running(tmp_path) as running_service:
        csv = tmp_path / "people.csv"
        csv.write_text(
            HEADER
            + "dora,Dora,kotka,advisor,fi,,2\n"  # good, but not imported with the others bad
            + "anna,Anna Uusi,nowhere,advisor,fi,,3\n"
            + "eero,Eero,kotka,boss,de,,11\n"
            + "Bad Name,,kotka,advisor,fi,,3\n"
            + "dora,Dora Again,kotka,advisor,fi,,3\n"
            + "fanny,Fanny,kotka\n"
            + "\n"
            + "gus,Gus,,advisor,fi,nosuch,3\n"
        )
        before, everyone = await version(running_service), await people(running_service)
        done = await import_file(running_service, csv)
        assert done.returncode == 1
        assert done.stdout == ""
        assert done.stderr.splitlines() == [
            f"{csv}:3: unknown organisation 'nowhere'",
            f"{csv}:4: unknown role 'boss' (use advisor or coordinator)",
            f"{csv}:4: unknown language 'de'",
            f"{csv}:4: the capacity must be 1 to 10 chats",
            f"{csv}:5: the username 'bad name' must be lowercase letters, digits, dots, hyphens or underscores",
            f'{csv}:6: "dora" is on line 2 already',
            f"{csv}:7: expected 7 columns, found 3",
            f"{csv}:9: choose an organisation",
            f"{csv}:9: unknown topic 'nosuch'",
        ]
        assert await people(running_service) == everyone
        assert (await version(running_service), await audited(running_service, "people_import")) == (before, [])


async def test_a_header_the_rows_cannot_be_read_by_is_refused_first(tmp_path: Path) -> None:
    async with running(tmp_path) as running_service:
        csv = tmp_path / "people.csv"
        csv.write_text("name,password,name\nDora,secret,Dora\n")
        done = await import_file(running_service, csv)
        assert done.returncode == 1
        columns = HEADER.strip()
        assert done.stderr.splitlines() == [
            f'{csv}:1: the column "name" is there twice',
            f'{csv}:1: unknown column "password" (the columns are {columns})',
            f"{csv}:1: the header must have a username column",
        ]


async def test_an_update_changes_what_its_columns_say_and_keeps_the_rest(tmp_path: Path) -> None:
    async with running(tmp_path) as running_service:
        anna_before = (await people(running_service))["anna"]
        csv = tmp_path / "people.csv"
        csv.write_text('username,name,languages\nanna,Anna Virtanen,"sv,fi"\nbertil,Bertil,"sv,fi"\n')
        done = await import_file(running_service, csv)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == ["added 0, updated 1, unchanged 1"]
        anna = (await people(running_service))["anna"]
        assert (anna.name, anna.languages) == ("Anna Virtanen", "sv,fi")
        assert (anna.organisation_id, anna.role, anna.capacity, anna.topics) == (
            anna_before.organisation_id, anna_before.role, anna_before.capacity, anna_before.topics)
        await running_service.session_cookie("anna", PASSWORD)  # her password is hers still
        assert await audited(running_service, "people_import") == [f"{csv}: added nobody; updated anna"]

        again = await import_file(running_service, csv)
        assert again.stdout.splitlines() == ["added 0, updated 0, unchanged 2"]


async def test_what_a_finnish_excel_saves_is_read(tmp_path: Path) -> None:
    """Excel's "CSV UTF-8" in a Finnish locale: a byte order mark, semicolons, CRLF line ends,
    and a list of languages needing no quotes."""
    async with running(tmp_path) as running_service:
        csv = tmp_path / "henkilöt.csv"
        csv.write_bytes("\ufeffusername;name;organisation;role;languages\r\n"
                        "sanni;Sanni Mäkelä;kotka;coordinator;fi,sv\r\n".encode())
        done = await import_file(running_service, csv)
        assert done.returncode == 0, done.stderr
        sanni = (await people(running_service))["sanni"]
        assert (sanni.name, sanni.role, sanni.languages, sanni.capacity) == ("Sanni Mäkelä", "coordinator", "fi,sv", 3)


async def test_someone_imported_has_no_password_until_a_coordinator_sets_one(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (running_service, coordinator):
        csv = tmp_path / "people.csv"
        csv.write_text("username,organisation,role\ndora,kotka,advisor\n")
        assert (await import_file(running_service, csv)).returncode == 0
        async with httpx.AsyncClient(base_url=running_service.base) as anyone:
            for guess in ("", "dora", PASSWORD):
                refused = await anyone.post("/api/session", json={"username": "dora", "password": guess})
                assert refused.status_code == 401
        await set_password_as_coordinator(coordinator, "dora", "handed over on paper")
        chosen = await choose_own(running_service, "dora", "handed over on paper", "dora's very own")
        assert chosen.status_code == 303 and chosen.headers["location"] == "/console"


def test_the_import_runs_as_many_statements_for_200_people_as_for_10(tmp_path: Path) -> None:
    """Quick by design: the import reads what it checks against once and writes everyone in one
    flush, so its statements do not grow with its people (counted, not timed)."""
    program = (
        "import sys\n"
        "from sqlalchemy import event\n"
        "from sqlalchemy.engine import Engine\n"
        "from chat.ops.cli import main\n"
        "database, *commands = sys.argv[1:]\n"
        "main(['org', 'add', 'kotka', '--name', 'Kotka', '--database', database])\n"
        "count = [0]\n"
        "event.listen(Engine, 'before_cursor_execute', lambda *_: count.__setitem__(0, count[0] + 1))\n"
        "for file in commands:\n"
        "    count[0] = 0\n"
        "    assert main(['user', 'import', file, '--database', database]) == 0\n"
        "    print(count[0])\n"
    )

    def statements(people_in_file: int) -> list[int]:
        added = tmp_path / f"added-{people_in_file}.csv"
        added.write_text(HEADER + "".join(f"p{n},P{n},kotka,advisor,fi,,3\n" for n in range(people_in_file)))
        updated = tmp_path / f"updated-{people_in_file}.csv"
        updated.write_text("username,name\n" + "".join(f"p{n},Person {n}\n" for n in range(people_in_file)))
        database = f"sqlite:///{tmp_path / f'{people_in_file}.db'}"
        done = subprocess.run([sys.executable, "-c", program, database, str(added), str(updated)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return [int(line) for line in done.stdout.splitlines() if line.isdigit()]

    assert statements(200) == statements(10)
