"""Fan-out of frames to whichever sockets listen on a channel.

`Fanout` keeps the local subscribers of one process; a backend carries published frames to
every process's fan-out (memory: this process only; Redis: all of them). Channels are
`visitor:<chat id>` and `advisor:<username>`.
"""

from chat.broker.base import Broker, Fanout, Subscription, subscribe


def open_broker(redis_url: str | None) -> Broker:
    """The memory broker; the Redis one (several processes) is chosen by URL once it exists."""
    if redis_url:
        raise NotImplementedError("the Redis broker is not built yet; run one process without --redis")
    from chat.broker.memory import MemoryBroker

    return MemoryBroker()


__all__ = ["Broker", "Fanout", "Subscription", "open_broker", "subscribe"]
