"""/metrics gives operators counts and gauges, and nothing a visitor wrote."""

from __future__ import annotations

from tests.service import Service, send, until


async def test_metrics_count_chats_messages_and_refusals_and_show_the_queue(service: Service) -> None:
    talk = await service.chat()
    await send(talk.visitor, {"type": "message", "id": "v1", "text": "salainen asia"})
    await until(talk.visitor, "ack")
    await talk.visitor.send("not json")
    await until(talk.visitor, "error")
    waiting = await service.visitor()
    await send(waiting, {"type": "start", "topic": "work", "language": "sv"})  # nobody for Swedish
    await until(waiting, "queued")

    async with await service.http() as client:
        response = await client.get("/metrics")
    text = response.text
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    assert "neuvo_chats_started_total 2.0" in text
    assert 'neuvo_messages_stored_total{sender="visitor"} 1.0' in text
    assert 'neuvo_frames_refused_total{code="bad_frame"} 1.0' in text
    assert "neuvo_queue_length 1.0" in text and "neuvo_active_chats 1.0" in text
    assert "neuvo_advisors_available 1.0" in text
    assert "salainen" not in text and talk.chat not in text
