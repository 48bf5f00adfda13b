"""Offline messages per address are limited (issue 14.5): 429 with Retry-After, counted in the
same step as checked, so messages sent at once cannot all pass."""

from __future__ import annotations

import asyncio
from pathlib import Path

from storage import offline
from tests.service import running

MESSAGE = {"topic": "work", "language": "fi", "text": "Soittakaa minulle"}


async def test_offline_messages_sent_at_once_from_one_address_pass_only_up_to_the_limit(tmp_path: Path) -> None:
    async with running(tmp_path, offline_per_address=5) as service, await service.http() as client:
        answers = await asyncio.gather(*(client.post("/api/offline-messages", json=MESSAGE) for _ in range(60)))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses.count(201) == 5 and statuses.count(429) == 55
    refused = next(answer for answer in answers if answer.status_code == 429)
    assert refused.json()["code"] == "rate_limited" and int(refused.headers["retry-after"]) > 0


async def test_a_refused_offline_message_is_not_stored(tmp_path: Path) -> None:
    async with running(tmp_path, offline_per_address=1) as service, await service.http() as client:
        assert (await client.post("/api/offline-messages", json=MESSAGE)).status_code == 201
        assert (await client.post("/api/offline-messages", json=MESSAGE)).status_code == 429
        async with service.db.transaction() as session:
            assert len(await offline.open_offline_messages(session, user_id=0)) == 1


async def test_the_default_limit_is_on(tmp_path: Path) -> None:
    async with running(tmp_path) as service:
        assert service.settings.offline_per_address > 0
