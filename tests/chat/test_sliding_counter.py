"""The in-memory per-address counter forgets an address once its events have left the window,
whether or not the address comes back (issue 14.16): its memory is bounded by the addresses
seen within about two windows, not by every address ever seen."""

from __future__ import annotations

from chat.base.ratelimit import SlidingCounter


def test_addresses_that_never_come_back_are_forgotten() -> None:
    counter = SlidingCounter(limit=10, window=600)
    for n in range(10_000):
        counter.add(f"198.51.{n // 256}.{n % 256}", now=1000.0 + n * 0.01)
    assert counter.tracked() == 10_000
    counter.add("203.0.113.1", now=1000.0 + 100 + 2 * 600)  # one event, long after
    assert counter.tracked() == 1


def test_memory_stays_bounded_under_a_steady_stream_of_new_addresses() -> None:
    counter = SlidingCounter(limit=10, window=60)
    most = 0
    for n in range(50_000):  # a new address every 10 ms for 500 s: 6,000 in one window
        counter.add(f"a{n}", now=n * 0.01)
        most = max(most, counter.tracked())
    assert most <= 2 * 6_000 + 1


def test_a_sweep_keeps_addresses_still_inside_the_window_and_their_counts() -> None:
    counter = SlidingCounter(limit=2, window=60)
    counter.add("kept", now=0.0)
    counter.add("kept", now=50.0)
    counter.add("gone", now=1.0)
    counter.add("other", now=100.0)  # a sweep: "gone" has nothing left in the window
    assert counter.tracked() == 2
    assert not counter.exceeded("kept", now=100.0)  # its event at 0 left the window, 50 is in it
    counter.add("kept", now=101.0)
    assert counter.exceeded("kept", now=101.0)


def test_asking_about_an_unknown_address_does_not_remember_it() -> None:
    counter = SlidingCounter(limit=2, window=60)
    for n in range(1000):
        assert not counter.exceeded(f"b{n}", now=float(n))
    assert counter.tracked() == 0
