"""A change the administration makes elsewhere (the CLI, another process) reaches a running
server on its next tick: every change raises the stored configuration version."""

from __future__ import annotations

from chat.admin import hours
from chat.admin.changes import Administration
from tests.service import Service


async def test_a_change_made_without_the_live_service_applies_on_the_next_tick(service: Service) -> None:
    assert service.live.status().open  # Tuesday 10:00, open mon-fri 09-16
    elsewhere = Administration(db=service.db, clock=service.clock, tz=service.settings.tz)  # as the CLI does
    await hours.set_weekly(elsewhere, actor="cli", specs=["sat-sun 10:00-14:00"])
    assert service.live.status().open  # nobody told the server yet
    await service.tick(1)
    assert not service.live.status().open
