"""Properties of the forecast's simulation over random drafts and demand: every visitor has one
fate, the service takes them exactly when the server would, and every answer respects routing
(a speaker of the language, on shift, within capacity, topics handled)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from routing.arrivals import Demand, Exponential
from routing.forecast import Fate, Plan, Simulated, Staff, simulate
from routing.hours import OpeningHours, WeeklyOpening
from routing.roster import Roster, Shift

TZ = ZoneInfo("Europe/Helsinki")
DAY = datetime(2026, 11, 3, tzinfo=TZ)
HOURS = OpeningHours(weekly=(WeeklyOpening(1, time(9), time(15)),), tz=TZ)
LANGUAGES = ["fi", "sv", "en"]
TOPICS = ["work", "study"]


@st.composite
def drafts(draw: st.DrawFn) -> Plan:
    staff = {}
    shifts = []
    for n in range(draw(st.integers(0, 4))):
        name = f"a{n}"
        languages = frozenset(draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=3)))
        topics = draw(st.none() | st.sets(st.sampled_from(TOPICS), min_size=1).map(frozenset))
        staff[name] = Staff(name, draw(st.sampled_from(["x", "y"])), languages, topics, draw(st.integers(1, 3)))
        start = draw(st.integers(8, 14))
        end = draw(st.integers(start + 1, 16))
        shifts.append(Shift(name, DAY + timedelta(hours=start), DAY + timedelta(hours=end)))
    return Plan(tuple(shifts), staff, HOURS, closing_grace_s=draw(st.sampled_from([0.0, 900.0])))


@st.composite
def demands(draw: st.DrawFn) -> Demand:
    rates = {(1, hour): {(topic, language): draw(st.floats(0, 8))
                         for topic in TOPICS for language in LANGUAGES if draw(st.booleans())}
             for hour in range(7, 17)}
    patience = draw(st.none() | st.floats(30, 1800))
    return Demand(rates, Exponential(draw(st.floats(60, 900))), patience)


def concurrent_peak(chats: list[Simulated], advisor: str) -> int:
    """The most chats `advisor` held at once."""
    changes = sorted(
        change for chat in chats if chat.advisor == advisor and chat.wait_s is not None and chat.handled_s is not None
        for change in ((chat.arrived + chat.wait_s + chat.handled_s, -1), (chat.arrived + chat.wait_s, 1)))
    peak = held = 0
    for _, delta in changes:
        held += delta
        peak = max(peak, held)
    return peak


@given(drafts(), demands(), st.integers(0, 3))
def test_every_visitor_has_one_fate_and_every_answer_follows_routing(plan: Plan, demand: Demand, run: int) -> None:
    chats = simulate(demand, plan, DAY, DAY + timedelta(days=1), seed="p", run=run)
    roster = Roster(plan.shifts)
    assert [c.arrived for c in chats] == sorted(c.arrived for c in chats)
    for chat in chats:
        at = datetime.fromtimestamp(chat.arrived, TZ)
        taken = HOURS.is_open(at) and bool(roster.on_shift(at))
        assert (chat.fate is not Fate.REFUSED) == taken
        assert (chat.wait_s is None) == (chat.fate in (Fate.REFUSED, Fate.UNANSWERED))
        assert chat.wait_s is None or chat.wait_s >= 0
        if chat.fate is Fate.EXPIRED:
            assert chat.wait_s is not None and not HOURS.is_open(at + timedelta(seconds=chat.wait_s))
        if chat.fate is Fate.ANSWERED:
            assert chat.advisor is not None and chat.wait_s is not None
            advisor = plan.staff[chat.advisor]
            topic, language = chat.kind
            assert language in advisor.languages and (advisor.topics is None or topic in advisor.topics)
            assert chat.advisor in roster.on_shift(at + timedelta(seconds=chat.wait_s))
        else:
            assert chat.advisor is None
        if chat.fate is Fate.ABANDONED:
            assert demand.patience_mean_s is not None
    for advisor in plan.staff.values():
        assert concurrent_peak(chats, advisor.id) <= advisor.capacity
