"""Prometheus metrics for operators: counts and gauges only, never text, ids or addresses.

prometheus-client does the exposition format and the counter bookkeeping; each app gets its own
registry, so tests and several apps in one process do not share numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.chats_started = Counter("neuvo_chats_started", "Chats queued.", registry=self.registry)
        self.chats_refused = Counter(
            "neuvo_chats_refused", "Starts refused because the service was closed or unstaffed.", ["reason"],
            registry=self.registry,
        )
        self.chats_ended = Counter("neuvo_chats_ended", "Chats ended, by final state.", ["status"],
                                   registry=self.registry)
        self.messages_stored = Counter("neuvo_messages_stored", "Messages and notes stored, by sender.",
                                       ["sender"], registry=self.registry)
        self.frames_refused = Counter("neuvo_frames_refused", "Frames answered with an error, by code.", ["code"],
                                      registry=self.registry)

        self._gauges = _Gauges(lambda: {})
        self.registry.register(self._gauges)

    def watch(self, gauges: Callable[[], dict[str, tuple[str, float]]]) -> None:
        """Gauges read at scrape time: name -> (help, value). A later call replaces the source
        (the live state changed hands: several processes)."""
        self._gauges.read = gauges

    def unwatch(self) -> None:
        self._gauges.read = lambda: {}

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _Gauges(Collector):
    def __init__(self, read: Callable[[], dict[str, tuple[str, float]]]) -> None:
        self.read = read

    def collect(self) -> Iterator[Metric]:
        for name, (help_text, value) in self.read().items():
            yield GaugeMetricFamily(name, help_text, value=value)
