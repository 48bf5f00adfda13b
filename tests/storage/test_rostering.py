"""The roster as stored, on SQLite and on PostgreSQL: a shift remembers the template and date it
was made from, so applying the templates again skips it whatever became of it; a cancelled shift
stays as a cancelled row that nothing but coverage of its past reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from storage import people, roster, rostering
from storage.database import Database, Session
from storage.tables import ShiftRow

MONDAY = date(2026, 12, 7)
NINE = datetime(2026, 12, 7, 7, tzinfo=UTC)  # 09:00 in Helsinki
NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)


async def _ids(seeded: Database) -> tuple[int, int, int]:
    """Anna's and Bertil's user ids and a template of Anna's."""
    async with seeded.transaction() as session:
        anna = await people.user_by_username(session, username="anna")
        bertil = await people.user_by_username(session, username="bertil")
        assert anna is not None and anna.id is not None and bertil is not None and bertil.id is not None
        await rostering.add_template(session, user_id=anna.id, weekday=0, start="09:00", end="13:00")
        [template] = await rostering.templates(session)
        assert template.id is not None
        return anna.id, bertil.id, template.id


async def _week(seeded: Database) -> list[ShiftRow]:
    async with seeded.transaction() as session:
        shifts = await rostering.shifts_with_users(session, start=NINE - timedelta(hours=9),
                                                   end=NINE + timedelta(days=7))
    return [shift for shift, _ in shifts]


async def test_a_template_is_applied_to_a_date_once_whatever_became_of_its_shift(seeded: Database) -> None:
    anna, bertil, template = await _ids(seeded)
    made = [(template, MONDAY, anna, NINE, NINE + timedelta(hours=4))]
    async with seeded.transaction() as session:
        assert len(await rostering.apply_templates(session, shifts=made)) == 1
        assert await rostering.apply_templates(session, shifts=made) == []
    [shift] = await _week(seeded)
    assert (shift.template_id, shift.template_day, shift.cancelled_at) == (template, MONDAY, None)

    async with seeded.transaction() as session:
        assert await rostering.place_shift(session, shift_id=shift.id or 0, user_id=bertil, start=shift.start,
                                           end=shift.end, now=NOW)
        assert await rostering.apply_templates(session, shifts=made) == []
    assert [s.user_id for s in await _week(seeded)] == [bertil]  # swapped stays swapped, not doubled

    async with seeded.transaction() as session:
        cancelled = await rostering.cancel_shift(session, shift_id=shift.id or 0, now=NOW)
        assert cancelled is not None and (cancelled.before.on_roster, cancelled.after.on_roster) == (True, False)
        assert await rostering.cancel_shift(session, shift_id=shift.id or 0, now=NOW) is None
        assert await rostering.apply_templates(session, shifts=made) == []
    assert await _week(seeded) == []  # the cancelled shift stays cancelled
    async with seeded.transaction() as session:
        assert await roster.shifts_between(session, start=NINE, end=NINE + timedelta(hours=4)) == []
        assert await roster.shifts_of_user(session, user_id=bertil, start=NINE, end=NINE + timedelta(hours=4)) == []
        [tombstone] = [r for r in await _all_shifts(session) if r.template_id == template]
        assert tombstone.cancelled_at == NOW


async def _all_shifts(session: Session) -> list[ShiftRow]:
    return list((await session.execute(select(ShiftRow))).scalars().all())


async def test_a_cancelled_shift_added_again_by_hand_is_on_the_roster_again(seeded: Database) -> None:
    anna, _, _ = await _ids(seeded)
    async with seeded.transaction() as session:
        assert await roster.add_shifts(session, shifts=[(anna, NINE, NINE + timedelta(hours=4))]) == 1
    [shift] = await _week(seeded)
    async with seeded.transaction() as session:
        await rostering.cancel_shift(session, shift_id=shift.id or 0, now=NOW)
        assert await roster.add_shifts(session, shifts=[(anna, NINE, NINE + timedelta(hours=4))]) == 1
        assert await roster.add_shifts(session, shifts=[(anna, NINE, NINE + timedelta(hours=4))]) == 0
    assert [(s.id, s.cancelled_at) for s in await _week(seeded)] == [(shift.id, None)]


async def test_a_shift_swapped_to_someone_whose_identical_shift_was_cancelled(seeded: Database) -> None:
    anna, bertil, _ = await _ids(seeded)
    hours = (NINE, NINE + timedelta(hours=4))
    async with seeded.transaction() as session:
        await roster.add_shifts(session, shifts=[(anna, *hours), (bertil, *hours)])
    by_user = {s.user_id: s for s in await _week(seeded)}
    async with seeded.transaction() as session:
        await rostering.cancel_shift(session, shift_id=by_user[bertil].id or 0, now=NOW)
        moved = await rostering.place_shift(session, shift_id=by_user[anna].id or 0, user_id=bertil, start=hours[0],
                                            end=hours[1], now=NOW)
    assert [s.user_id for s in await _week(seeded)] == [bertil]
    assert moved is not None and [(c.shift_id, c.after.on_roster) for c in moved] == [
        (by_user[bertil].id, True), (by_user[anna].id, False)]
    # Put back the last first, as an undo does: Anna's on the roster again, Bertil's cancelled.
    async with seeded.transaction() as session:
        for change in reversed(moved):
            assert await rostering.put_back(session, change=change, now=NOW) is not None
        assert await rostering.put_back(session, change=moved[0], now=NOW) is None  # not as the change left it
    assert [s.user_id for s in await _week(seeded)] == [anna]


async def test_deleting_a_template_keeps_the_shifts_it_made(seeded: Database) -> None:
    anna, _, template = await _ids(seeded)
    async with seeded.transaction() as session:
        await rostering.apply_templates(session, shifts=[(template, MONDAY, anna, NINE, NINE + timedelta(hours=4))])
        await rostering.delete_template(session, template_id=template)
    [shift] = await _week(seeded)
    assert (shift.user_id, shift.template_id, shift.template_day) == (anna, None, MONDAY)


async def test_shifts_ahead_are_counted_and_cancelled_from_now_and_past_ones_stay(seeded: Database) -> None:
    anna, _, _ = await _ids(seeded)  # anna: 08-17 on Tuesday 2026-11-24 (06-15 UTC), and a template
    tuesday_noon = datetime(2026, 11, 24, 10, tzinfo=UTC)
    async with seeded.transaction() as session:
        await roster.add_shifts(session, shifts=[(anna, NINE, NINE + timedelta(hours=4))])
        assert await rostering.roster_ahead(session, user_id=anna, now=tuesday_noon) == (2, 1)
        assert await rostering.roster_ahead(session, user_id=anna, now=NOW) == (1, 1)
        assert await rostering.cancel_ahead(session, user_id=anna, now=tuesday_noon) == 2
    async with seeded.transaction() as session:
        assert await rostering.roster_ahead(session, user_id=anna, now=tuesday_noon) == (0, 1)
        planned = await roster.planned_between(session, start=tuesday_noon - timedelta(days=1),
                                               end=NINE + timedelta(days=1))
    assert [(name, start.hour, end.hour) for name, start, end in planned if name == "anna"] == [("anna", 6, 10)]
