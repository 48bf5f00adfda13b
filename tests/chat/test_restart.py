"""kill -9 of the real `neuvo serve` process keeps the queue order, every assignment and every
acknowledged message; visitors and advisors resume and carry on."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.processes import Server
from tests.service import PASSWORD, receive, send, until


def cli(db: Path, *args: str, stdin: str = "") -> None:
    env = {**os.environ, "NEUVO_DATABASE_URL": f"sqlite:///{db}"}
    result = subprocess.run([sys.executable, "-m", "chat", *args], input=stdin, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def sqlite_server(db: Path) -> Server:
    """`neuvo serve` on the database file, its log beside it."""
    port_log = db.with_name(f"{db.stem}.{len(list(db.parent.glob('*.log')))}.log")
    return Server({"NEUVO_DATABASE_URL": f"sqlite:///{db}"}, port_log)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "restart.db"
    cli(path, "org", "add", "kotka", "--name", "Kotka College")
    cli(path, "user", "add", "anna", "--org", "kotka", "--role", "advisor", "--capacity", "1", "--password-stdin",
        stdin=PASSWORD)
    cli(path, "hours", "set", "mon-sun 00:00-24:00")
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()
    roster = tmp_path / "roster.csv"
    roster.write_text(f"username,date,start,end\nanna,{today},00:00,24:00\n")
    cli(path, "roster", "import", str(roster))
    yield path


async def test_kill_9_keeps_queue_assignments_and_acked_messages(db: Path) -> None:
    server = sqlite_server(db)
    try:
        await server.ready()
        anna, _ = await server.advisor("anna", PASSWORD.strip())
        await send(anna, {"type": "status", "status": "available"})
        await until(anna, "status")

        chats = []
        for _ in range(3):
            visitor = await server.visitor()
            await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
            queued = await until(visitor, "queued")
            chats.append((visitor, queued["chat"], queued["token"]))
        active_visitor, active_id, active_token = chats[0]
        await until(active_visitor, "assigned")
        for n in range(5):
            await send(active_visitor, {"type": "message", "id": f"v{n}", "text": f"line {n}"})
            await until(active_visitor, "ack", id=f"v{n}")
        server.kill()
    finally:
        if server.process.poll() is None:
            server.kill()

    restarted = sqlite_server(db)
    try:
        await restarted.ready()
        anna, welcome = await restarted.advisor("anna", PASSWORD.strip())
        assert [c["id"] for c in welcome["chats"]] == [active_id]  # type: ignore[index]
        assert [m["text"] for m in welcome["chats"][0]["messages"]] == [f"line {n}" for n in range(5)]  # type: ignore[index]

        visitor = await restarted.visitor()
        await send(visitor, {"type": "resume", "chat": active_id, "token": active_token, "after": 3})
        replay = [await receive(visitor) for _ in range(2)]
        assert [f["text"] for f in replay] == ["line 3", "line 4"]
        assert (await receive(visitor))["type"] == "assigned"

        positions = []
        for _, chat_id, token in chats[1:]:
            ws = await restarted.visitor()
            await send(ws, {"type": "resume", "chat": chat_id, "token": token, "after": 0})
            positions.append((await until(ws, "position"))["position"])
        assert positions == [1, 2]

        await send(visitor, {"type": "message", "id": "v5", "text": "after restart"})
        assert (await until(visitor, "ack"))["seq"] == 6
        await visitor.send("not json: a visitor's private words")
        assert (await until(visitor, "error"))["code"] == "bad_frame"
    finally:
        restarted.kill()
    for log in (server.log.read_text(), restarted.log.read_text()):
        assert "WebSocket /ws/visitor" in log  # the handshakes are logged ...
        assert not re.search(r"\d+\.\d+\.\d+\.\d+:\d+ - ", log)  # ... without the client's address
        assert "line 3" not in log and "private words" not in log and active_token not in log
