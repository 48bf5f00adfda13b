"""What a restart rebuilds from storage."""

from __future__ import annotations

from pathlib import Path

from storage import people
from tests.service import running, send, until


async def test_an_active_chat_whose_advisor_was_deactivated_meanwhile_waits_again_after_a_restart(
    tmp_path: Path,
) -> None:
    async with running(tmp_path) as service:
        talk = await service.chat("anna")
        async with service.db.transaction() as session:
            anna = await people.user_by_username(session, username="anna")
            assert anna is not None
            anna.active = False
    async with running(tmp_path, seeded=False) as service:
        assert [chat.id for chat in service.live.view.waiting()] == [talk.chat]
        visitor = await service.visitor()
        await send(visitor, {"type": "resume", "chat": talk.chat, "token": talk.token, "after": 0})
        assert (await until(visitor, "position"))["position"] == 1
