"""Queue announcements: a waiting visitor hears only of its own place changing, however much
the queue around it moves."""

from __future__ import annotations

from chat.live.commands import StartChat, VisitorEnds
from tests.service import Service, receive, send, until


async def test_a_visitor_whose_place_does_not_change_hears_nothing_of_the_queue_moving(service: Service) -> None:
    await service.advisor("anna")  # Finnish and English; away, so everyone waits
    ahead, watcher = await service.visitor(), await service.visitor()
    for ws in (ahead, watcher):
        await send(ws, {"type": "start", "topic": "work", "language": "fi"})
    ahead_id = (await until(ahead, "queued"))["chat"]
    assert (await until(watcher, "queued"))["position"] == 2
    # Swedish chats come and go: nobody who could serve the watcher serves them.
    swedish = [StartChat(service.live.new_chat_id(), "work", "sv", f"192.0.2.{n}") for n in range(5)]
    for start in swedish:
        await service.live.run(start)
    for start in swedish:
        await service.live.run(VisitorEnds(start.chat_id))
    await send(ahead, {"type": "end"})
    await until(ahead, "ended")
    # The first thing the watcher hears is the place it moved up to, not its old one again.
    assert await receive(watcher) == {"type": "position", "position": 1, "estimated_wait_s": None}
    assert ahead_id not in {chat.id for chat in service.live.view.waiting()}
