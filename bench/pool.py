"""The parent's side of the client processes: it starts them (spawned, so no event loop or
socket is inherited), sends each the same step and gathers their answers."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from bench import worker
from bench.worker import Step


class StepFailed(RuntimeError):
    pass


class Pool:
    def __init__(self, size: int, *, preload: Sequence[str] = ()) -> None:
        """`preload`: the modules of the steps to come, imported by each process before its first."""
        context = multiprocessing.get_context("spawn")
        self.conns: list[Connection] = []
        self.processes: list[BaseProcess] = []
        self.progress = [0] * size
        for index in range(size):
            mine, theirs = context.Pipe()
            process = context.Process(target=worker.main, args=(theirs, index, size, tuple(preload)),
                                      daemon=True)
            process.start()
            theirs.close()
            self.conns.append(mine)
            self.processes.append(process)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes if p.pid is not None]

    @property
    def done(self) -> int:
        """The sum of what the processes last reported doing in the running step."""
        return sum(self.progress)

    async def each(self, step: Step, **kwargs: Any) -> list[Any]:
        """Run one step in every client process at once; their results in process order."""
        return await self.each_with(step, [kwargs] * len(self.conns))

    async def each_with(self, step: Step, kwargs: Sequence[dict[str, Any]]) -> list[Any]:
        self.progress = [0] * len(self.conns)
        for conn, own in zip(self.conns, kwargs, strict=True):
            conn.send((step, own))
        # Every process answers before anything is raised, so the next step gets its own answers.
        answers = await asyncio.gather(*(self._answer(n) for n in range(len(self.conns))), return_exceptions=True)
        for answer in answers:
            if isinstance(answer, BaseException):
                raise answer
        return list(answers)

    async def _answer(self, n: int) -> Any:
        while True:
            kind, value = await asyncio.to_thread(self.conns[n].recv)
            if kind == "progress":
                self.progress[n] = value
            elif kind == "failed":
                raise StepFailed(f"client process {n}:\n{value}")
            else:
                return value

    def close(self) -> None:
        for conn, process in zip(self.conns, self.processes, strict=True):
            with contextlib.suppress(OSError):
                conn.send(None)
            process.join(20)
            if process.is_alive():
                process.terminate()
