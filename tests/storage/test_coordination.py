"""Coordinator terms in storage: one running term per person, held by the database itself, so
that two hand-overs to the same person at once leave one (the second is refused), on SQLite and
on PostgreSQL; ended terms are history and any number of them may stand beside a running one."""

from __future__ import annotations

from datetime import date

import pytest

from storage import coordination, people
from storage.database import Database
from storage.errors import Duplicate
from storage.tables import CoordinatorTerm


async def test_a_person_has_one_running_term_and_any_number_of_ended_ones(seeded: Database) -> None:
    async with seeded.transaction() as session:
        anna = await people.user_by_username(session, username="anna")
        assert anna is not None and anna.id is not None
        for since, until in ((None, date(2025, 1, 1)), (date(2025, 6, 1), date(2026, 1, 1)), (date(2026, 2, 1), None)):
            await coordination.add_term(session, term=CoordinatorTerm(
                user_id=anna.id, organisation_id=anna.organisation_id, since=since, until=until))
    with pytest.raises(Duplicate):
        async with seeded.transaction() as session:
            await coordination.add_term(session, term=CoordinatorTerm(
                user_id=anna.id, organisation_id=anna.organisation_id, since=date(2026, 3, 1)))
    async with seeded.transaction() as session:
        terms = await coordination.terms(session, user_id=anna.id)
        running = await coordination.open_term_of(session, user_id=anna.id)
    assert [(t.since, t.until) for t in terms] == [
        (date(2026, 2, 1), None), (date(2025, 6, 1), date(2026, 1, 1)), (None, date(2025, 1, 1))]
    assert running is not None and running.since == date(2026, 2, 1)
    assert terms[0].overlaps(date(2026, 7, 1), date(2027, 1, 1)) and not terms[1].overlaps(date(2026, 1, 1),
                                                                                            date(2026, 7, 1))
