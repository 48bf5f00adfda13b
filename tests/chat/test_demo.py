"""`neuvo demo` seeds a service that is open and staffed right now, and can be run again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from chat.base.settings import Settings
from chat.live.config import load_config
from chat.ops.demo import seed
from storage import handbook
from storage.database import Database
from storage.setup import prepare


async def test_demo_is_open_and_staffed_now_in_three_languages_and_seeding_twice_adds_nothing(tmp_path: Path) -> None:
    settings = Settings.from_env({}, database_url=f"sqlite:///{tmp_path / 'demo.db'}")
    db = Database(settings.database_url)
    now = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)  # a Sunday night in Helsinki
    await prepare(db)
    printed = await seed(db, settings, now)
    await seed(db, settings, now)
    async with db.transaction() as session:
        config = await load_config(session, now=now, tz=settings.tz)
        answers = await handbook.canned_answers(session)
    await db.close()

    assert config.hours.is_open(now)
    on_shift = config.roster.on_shift(now)
    assert on_shift == {"anna", "bertil", "chloe"}
    assert {lang for name in on_shift for lang in config.users[name].languages.split(",")} == {"fi", "sv", "en"}
    assert len(config.roster.shifts_of("anna", now, now.replace(minute=31))) == 1  # not doubled
    assert {answer.language for answer in answers} == {"fi", "sv", "en"} and len(answers) == 4
    assert "http://127.0.0.1:8000/console" in printed and "anna-demo-2026" in printed
