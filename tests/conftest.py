"""The whole suite's one switch: NEUVO_TEST_DATABASE=postgresql runs every test that starts a
service (tests/service.py `running`) on a real PostgreSQL instead of a SQLite file."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.postgres import postgres_server
from tests.service import POSTGRES


@pytest.fixture(scope="session", autouse=True)
def database_server() -> Iterator[None]:
    if os.environ.get("NEUVO_TEST_DATABASE") != "postgresql":
        yield
        return
    with postgres_server() as base_url:
        POSTGRES["base"] = base_url
        yield
        POSTGRES.clear()
