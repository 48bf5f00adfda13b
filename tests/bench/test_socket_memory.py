"""`python -m bench.socket_memory` on a few sockets: it attributes what they hold to the libraries
of the stack. No size is asserted (an allocator's figures on a shared machine say little)."""

from __future__ import annotations

import pytest

from bench.socket_memory import measure


async def test_open_sockets_are_attributed_to_each_library_of_the_stack() -> None:
    found = await measure(20)
    by_library = found["by_library_kib"]
    for library in ("uvicorn", "websockets", "starlette", "asyncio"):
        assert by_library[library] > 0, library
    assert found["python_kib_per_socket"] == pytest.approx(sum(by_library.values()), abs=0.1)
