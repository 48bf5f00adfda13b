"""The wait a visitor is promised: from recent handling times and the advisors who could take
the chat now; none while every such advisor is away."""

from __future__ import annotations

from tests.service import Service, send, until


async def _one_handled_chat(service: Service) -> None:
    """A chat of ten minutes, so that the estimate has a handling time to go on."""
    talk = await service.chat("anna")
    service.clock.advance(600)
    await send(talk.advisor, {"type": "close", "chat": talk.chat, "outcome": "answered"})
    await until(talk.advisor, "ended")


async def test_a_wait_is_estimated_while_an_advisor_who_can_serve_is_available(service: Service) -> None:
    await _one_handled_chat(service)
    bertil = await service.available("bertil")
    for _ in range(3):  # Bertil's capacity: the fourth chat waits
        visitor = await service.visitor()
        await send(visitor, {"type": "start", "topic": "work", "language": "sv"})
        await until(bertil, "assigned")
    waiting = await service.visitor()
    await send(waiting, {"type": "start", "topic": "work", "language": "sv"})
    assert (await until(waiting, "queued"))["estimated_wait_s"] == 600


async def test_no_wait_is_promised_while_every_advisor_is_away(service: Service) -> None:
    await _one_handled_chat(service)
    anna = service.sockets[0]  # from the handled chat: still signed in, available
    await send(anna, {"type": "status", "status": "away"})
    await until(anna, "status")
    visitor = await service.visitor()
    await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
    queued = await until(visitor, "queued")
    assert queued["position"] == 1 and queued["estimated_wait_s"] is None
    await send(anna, {"type": "status", "status": "available"})
    await until(visitor, "assigned")
