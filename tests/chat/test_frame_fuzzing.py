"""Frames of any shape get errors only: never a crash of this socket or another, and afterwards
every line acked is stored once, with gap-free seqs."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from storage.tables import Message
from tests.service import receive, running, send, until

TYPES = ["start", "resume", "message", "typing", "end", "still_here", "quick_exit", "feedback", "survey", "ping",
         "status", "note", "transfer", "close", "block"]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=False),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=50),
    st.text(alphabet=st.sampled_from("\x00\x01\x1b\u202e\ufeff\ud7ff"), max_size=5),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                            max_size=4), max_leaves=12)
frames = st.one_of(
    st.fixed_dictionaries({"type": st.sampled_from(TYPES)}, optional={
        k: values for k in ("id", "text", "chat", "token", "after", "topic", "language", "rating", "comment", "to")
    }).map(json.dumps),
    values.map(json.dumps),
    st.just("[" * 8000 + "]" * 8000),
    st.text(max_size=200),
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(frames, min_size=1, max_size=10))
def test_any_frames_get_errors_only_and_lines_stay_whole(raw_frames: list[str]) -> None:
    asyncio.run(_fuzz(raw_frames))


async def _fuzz(raw_frames: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with running(Path(tmp)) as service:
            talk = await service.chat("anna")
            bystander = await service.visitor()  # another socket that must not notice anything
            for n, raw in enumerate(raw_frames):
                await talk.visitor.send(raw)
                await send(talk.visitor, {"type": "message", "id": f"probe-{n}", "text": f"probe {n}"})
                answer = await _answer_to(talk.visitor, f"probe-{n}")
                assert answer["type"] in ("ack", "error"), answer
            await send(bystander, {"type": "ping"})
            assert (await until(bystander, "pong"))["type"] == "pong"
            async with service.db.transaction() as session:
                seqs = (await session.execute(
                    select(Message.seq).where(Message.chat_id == talk.chat).order_by(Message.seq))).scalars().all()
            assert list(seqs) == list(range(1, len(seqs) + 1))


async def _answer_to(ws: Any, probe: str) -> dict[str, Any]:
    """The probe's ack (or its refusal once the fuzzed frame ended the chat)."""
    while True:
        frame = await receive(ws)
        if frame["type"] == "ack" and frame["id"] == probe:
            return frame
        if frame["type"] == "error" and frame["code"] in ("chat_ended", "not_started", "rate_limited"):
            return frame


async def test_thousands_of_nested_brackets_are_a_bad_frame_not_a_dead_socket(tmp_path: Path) -> None:
    async with running(tmp_path) as service:
        talk = await service.chat("anna")
        await talk.visitor.send("[" * 8000 + "]" * 8000)
        error = await until(talk.visitor, "error")
        assert error["code"] == "bad_frame"
        await send(talk.visitor, {"type": "message", "id": "after", "text": "still here"})
        assert (await until(talk.visitor, "ack"))["seq"] == 1
