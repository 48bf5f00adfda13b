"""A shift entered on the day the clocks go forward means the same through every entry point: the
CSV import in a CLI process, the CSV upload on the roster page, and the page's extra-shift form.

In Helsinki on 2027-03-28 the clocks go from 03:00 to 04:00, so 03:30 does not exist that day;
02:00-05:00 is two hours long. See `routing.wallclock.at` for the rule.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import httpx

from storage import people, roster
from tests.chat.cli_process import neuvo_beside
from tests.chat.coordinator_fixtures import coordinating, csrf_of
from tests.service import Service

ROSTER = "/coordinator/roster"
HEADER = "username,date,start,end\n"


async def cli_import(service: Service, csv: Path) -> subprocess.CompletedProcess[str]:
    """`neuvo roster import` in its own process, on the running server's database."""
    return await neuvo_beside(service.settings.database_url, "roster", "import", str(csv))


async def upload(client: httpx.AsyncClient, csrf: str, text: str) -> httpx.Response:
    return await client.post(f"{ROSTER}/import", data={"csrf": csrf},
                             files={"file": ("spring.csv", text.encode(), "text/csv")})


async def form(client: httpx.AsyncClient, csrf: str, advisor: str, start: str, end: str) -> httpx.Response:
    return await client.post(f"{ROSTER}/shifts", data={"csrf": csrf, "week": "2027-03-22", "advisor": advisor,
                                                        "day": "2027-03-28", "start": start, "end": end})


async def spring_shifts(service: Service, username: str) -> list[tuple[datetime, datetime]]:
    async with service.db.transaction() as session:
        user = await people.user_by_username(session, username=username)
        assert user is not None and user.id is not None
        rows = await roster.shifts_of_user(session, user_id=user.id, start=datetime(2027, 3, 27, tzinfo=UTC),
                                           end=datetime(2027, 3, 30, tzinfo=UTC))
    return [(r.start.astimezone(UTC), r.end.astimezone(UTC)) for r in rows]


async def test_a_start_in_the_spring_gap_is_refused_alike_by_the_cli_and_the_page(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, ROSTER)
        csv = tmp_path / "spring.csv"
        csv.write_text(HEADER + "anna,2027-03-28,03:30,08:00\n")

        by_cli = await cli_import(service, csv)
        assert by_cli.returncode == 1
        assert by_cli.stderr == f'{csv}:2: start time "03:30" does not exist on 2027-03-28 (clocks change)\n'
        by_upload = await upload(client, csrf, csv.read_text())
        assert by_upload.status_code == 400
        # The page writes the date in its language (here English); the CLI keeps ISO.
        assert 'spring.csv:2: start time &#34;03:30&#34; does not exist on 28 Mar 2027' in by_upload.text
        by_form = await form(client, csrf, "anna", "03:30", "08:00")
        assert by_form.status_code == 400 and 'href="#shift-start"' in by_form.text
        assert "03:30 does not exist on 28 Mar 2027" in by_form.text

        assert await spring_shifts(service, "anna") == []  # nothing stored, by any of them


async def test_a_shift_across_the_spring_change_is_stored_alike_by_the_cli_and_the_page(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, ROSTER)
        csv = tmp_path / "spring.csv"
        csv.write_text(HEADER + "anna,2027-03-28,02:00,05:00\n")
        by_cli = await cli_import(service, csv)
        assert by_cli.returncode == 0 and "imported 1 shifts" in by_cli.stdout, by_cli.stderr
        assert (await upload(client, csrf, csv.read_text().replace("anna", "bertil"))).status_code == 200
        assert (await form(client, csrf, "chloe", "02:00", "05:00")).status_code == 303

        two_hours = [(datetime(2027, 3, 28, 0, 0, tzinfo=UTC), datetime(2027, 3, 28, 2, 0, tzinfo=UTC))]
        for username in ("anna", "bertil", "chloe"):
            assert await spring_shifts(service, username) == two_hours, username
