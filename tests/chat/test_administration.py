"""One administrative change is one transaction: the change, its audit entry and the raised
configuration version are stored together or not at all, whether a page or the CLI made it."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from storage import people, service
from storage.tables import AuditEntry
from tests.chat.cli_process import neuvo_beside
from tests.chat.coordinator_fixtures import COORDINATOR, coordinating, csrf_of
from tests.refusals import accept_inserts, refuse_inserts
from tests.service import Service

PEOPLE = "/coordinator/people"


async def audit_log(service_: Service) -> list[tuple[str, str, str]]:
    async with service_.db.transaction() as session:
        entries = (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars().all()  # type: ignore[arg-type]
    return [(e.actor, e.action, e.detail) for e in entries]


async def version(service_: Service) -> int:
    async with service_.db.transaction() as session:
        return await service.config_version(session)


async def lappi_exists(service_: Service) -> bool:
    async with service_.db.transaction() as session:
        return await people.organisation_by_slug(session, slug="lappi") is not None


async def test_a_page_change_and_its_audit_entry_are_stored_together_or_not_at_all(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (running, client):
        csrf = await csrf_of(client, PEOPLE)
        before, log = await version(running), await audit_log(running)
        # The database refuses every audit entry: the change that would go with it must not stay.
        await refuse_inserts(running.db, "audit_log")
        form = {"csrf": csrf, "slug": "lappi", "name": "Lappi AMK"}
        assert (await client.post(f"{PEOPLE}/organisations", data=form)).status_code == 500
        assert not await lappi_exists(running)
        assert (await version(running), await audit_log(running)) == (before, log)

        await accept_inserts(running.db, "audit_log")
        assert (await client.post(f"{PEOPLE}/organisations", data=form)).status_code == 303
        assert await lappi_exists(running)
        assert await audit_log(running) == [*log, (COORDINATOR, "organisation_add", "lappi Lappi AMK")]
        assert await version(running) == before + 1


async def test_the_clis_changes_are_audited_and_raise_the_configuration_version(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (running, _):
        csv = tmp_path / "roster.csv"
        csv.write_text("username,date,start,end\nanna,2026-12-01,09:00,13:00\n")
        before = await version(running)
        for args in (("roster", "import", str(csv)), ("hours", "set", "mon-fri 08:00-18:00")):
            done = await neuvo_beside(running.settings.database_url, *args)
            assert done.returncode == 0, done.stderr
        assert (await audit_log(running))[-2:] == [
            ("cli", "roster_import", f"1 of 1 shifts from {csv}"),
            ("cli", "hours_set", "mon 08:00-18:00; tue 08:00-18:00; wed 08:00-18:00; thu 08:00-18:00; "
                                 "fri 08:00-18:00"),
        ]
        assert await version(running) == before + 2  # what a server reloads by (chat.live)
