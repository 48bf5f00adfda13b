"""The operator's CLI, run as a real process on a real database file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.chat.cli_process import neuvo_process

PASSWORD = "correct horse battery\n"


def neuvo(db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return neuvo_process(f"sqlite:///{db}", *args, stdin=stdin)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    assert neuvo(path, "org", "add", "kotka", "--name", "Kotka College").returncode == 0
    added = neuvo(path, "user", "add", "anna", "--org", "kotka", "--role", "advisor", "--languages", "fi,sv",
                  "--password-stdin", stdin=PASSWORD)
    assert added.returncode == 0, added.stderr
    return path


def test_scripted_service_from_an_empty_database(db: Path, tmp_path: Path) -> None:
    hours = neuvo(db, "hours", "set", "mon-fri 09:00-16:00", "sat 10:00-14:00")
    assert hours.returncode == 0, hours.stderr
    csv = tmp_path / "roster.csv"
    csv.write_text("username,date,start,end\nanna,2026-11-24,08:00,16:00\nanna,2026-11-25,20:00,02:00\n")
    first = neuvo(db, "roster", "import", str(csv))
    again = neuvo(db, "roster", "import", str(csv))
    assert first.returncode == 0 and "imported 2 shifts" in first.stdout
    assert again.returncode == 0 and "imported 0 shifts (2 already there)" in again.stdout


def test_every_bad_roster_row_is_reported_and_nothing_is_imported(db: Path, tmp_path: Path) -> None:
    csv = tmp_path / "roster.csv"
    csv.write_text(
        "username,date,start,end\n"
        "anna,2026-11-24,08:00,16:00\n"
        "nobody,2026-11-24,08:00,16:00\n"
        "anna,2026-13-01,08:00,16:00\n"
        "anna,2026-11-24,8am,16:00\n"
        "anna,2026-03-29,03:30,08:00\n"
    )
    result = neuvo(db, "roster", "import", str(csv))
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        f'{csv}:3: unknown user "nobody"',
        f'{csv}:4: bad date "2026-13-01" (use YYYY-MM-DD or DD.MM.YYYY)',
        f'{csv}:5: bad start time "8am" (use HH:MM)',
        f'{csv}:6: start time "03:30" does not exist on 2026-03-29 (clocks change)',
    ]
    fixed = tmp_path / "fixed.csv"
    fixed.write_text("username,date,start,end\nanna,2026-11-24,08:00,16:00\n")
    assert "imported 1 shifts" in neuvo(db, "roster", "import", str(fixed)).stdout


def test_a_roster_saved_by_a_finnish_excel_is_imported(db: Path, tmp_path: Path) -> None:
    """A byte order mark, semicolons between cells and CRLF line ends, as Excel's "CSV UTF-8"
    saves in a Finnish locale (the reading every import shares: chat.admin.csv_file)."""
    csv = tmp_path / "vuorot.csv"
    csv.write_bytes("\ufeffusername;date;start;end\r\nanna;2026-11-24;08:00;16:00\r\nanna;25.11.2026;9:00;16.30\r\n"
                    .encode())
    result = neuvo(db, "roster", "import", str(csv))
    assert result.returncode == 0 and "imported 2 shifts" in result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "reason"),
    [
        (("org", "add", "kotka", "--name", "Again"), "", "already exists"),
        (("user", "add", "anna", "--org", "kotka", "--role", "advisor", "--password-stdin"), PASSWORD, "taken"),
        (("user", "add", "bo", "--org", "nowhere", "--role", "advisor", "--password-stdin"), PASSWORD,
         "unknown organisation"),
        (("user", "add", "bo", "--org", "kotka", "--role", "advisor", "--languages", "de", "--password-stdin"),
         PASSWORD, "unknown language"),
        (("hours", "set", "mon-fri 09:00-25:00"), "", "25:00"),
        (("hours", "set", "someday 09:00-16:00"), "", "someday"),
    ],
)
def test_bad_commands_exit_non_zero_with_a_one_line_reason(db: Path, args: tuple[str, ...], stdin: str,
                                                           reason: str) -> None:
    result = neuvo(db, *args, stdin=stdin)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1 and reason in result.stderr


def test_purge_reports_and_audits(db: Path) -> None:
    result = neuvo(db, "purge")
    assert result.returncode == 0 and "purged 0 chats" in result.stdout


def test_every_command_has_help(db: Path) -> None:
    for args in (("--help",), ("serve", "--help"), ("roster", "import", "--help"), ("user", "add", "--help")):
        result = neuvo(db, *args)
        assert result.returncode == 0 and "usage:" in result.stdout


def test_serve_refuses_redis_with_sqlite_in_one_line(tmp_path: Path) -> None:
    result = neuvo(tmp_path / "one.db", "serve", "--redis", "redis://127.0.0.1:1/0")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "neuvo: several processes share one PostgreSQL database: set NEUVO_DATABASE_URL to postgresql://..."
    ]


def test_one_process_never_imports_redis(tmp_path: Path) -> None:
    program = (
        "import asyncio, sys\n"
        "from chat.app import create_app\n"
        "from chat.base.settings import Settings\n"
        "async def main():\n"
        f"    app = create_app(Settings.from_env({{}}, database_url='sqlite:///{tmp_path / 'r.db'}'))\n"
        "    async with app.router.lifespan_context(app):\n"
        "        pass\n"
        "asyncio.run(main())\n"
        "assert 'redis' not in sys.modules, 'redis was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
