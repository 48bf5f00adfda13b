"""The operator's CLI as a real process (`python -m chat`), on the database a URL names."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys


def neuvo_process(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chat", *args],
        input=stdin, capture_output=True, text=True, env={**os.environ, "NEUVO_DATABASE_URL": database_url},
        timeout=60,
    )


async def neuvo_beside(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI run while this event loop (a test's server, say) goes on."""
    return await asyncio.to_thread(neuvo_process, database_url, *args)
