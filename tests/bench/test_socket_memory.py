"""`python -m bench.socket_memory` on a few sockets: it attributes what they hold to the libraries
of the stack, on the bare relay and on Neuvo. No size is asserted (an allocator's figures on a
shared machine say little)."""

from __future__ import annotations

import pytest

from bench.socket_memory import measure


@pytest.mark.parametrize(("target", "libraries"), [
    ("relay", ("uvicorn", "websockets", "starlette", "asyncio")),
    ("neuvo", ("uvicorn", "websockets", "starlette", "asyncio", "chat")),
])
async def test_open_sockets_are_attributed_to_each_library(target: str, libraries: tuple[str, ...]) -> None:
    found = await measure(20, target)
    by_library = found["by_library_kib"]
    for library in libraries:
        assert by_library[library] > 0, library
    assert found["python_kib_per_socket"] == pytest.approx(sum(by_library.values()), abs=0.1)
