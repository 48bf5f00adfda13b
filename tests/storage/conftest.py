from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from storage.database import Database
from tests.postgres import new_database, postgres_server
from tests.service import seed


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    with postgres_server() as base_url:
        yield base_url


@pytest.fixture(params=["sqlite", "postgresql"])
async def seeded(request: pytest.FixtureRequest, tmp_path: Path, postgres: str) -> AsyncIterator[Database]:
    """The tests' service (`tests.service.seed`) on SQLite, and again on PostgreSQL."""
    database = Database(f"sqlite:///{tmp_path / 'seeded.db'}" if request.param == "sqlite" else new_database(postgres))
    await seed(database)
    yield database
    await database.close()
