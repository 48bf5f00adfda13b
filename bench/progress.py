"""One line on stderr, rewritten in place while the benchmark runs."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.width = 0

    def show(self, text: str) -> None:
        # Pad over what the previous line left instead of relying on terminal escapes, so a
        # captured stderr reads as plainly as a terminal.
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def say(self, text: str) -> None:
        """A line that stays (a run finished), the progress line goes on below it."""
        self.show(text)
        self.stream.write("\n")
        self.stream.flush()
        self.width = 0

    @asynccontextmanager
    async def phase(self, label: str, detail: Callable[[], str]) -> AsyncIterator[None]:
        """Show `label  elapsed  detail()` four times a second until the block ends."""
        began = time.monotonic()

        async def tick() -> None:
            while True:
                self.show(f"{label}  {time.monotonic() - began:5.1f} s  {detail()}")
                await asyncio.sleep(0.25)

        task = asyncio.create_task(tick())
        try:
            yield
        finally:
            task.cancel()
