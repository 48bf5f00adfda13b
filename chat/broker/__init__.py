"""Fan-out of frames to whichever sockets listen on a channel.

`Fanout` keeps the local subscribers of one process; a backend carries published frames to
every process's fan-out (memory: this process only; Redis: all of them). Channels are
`visitor:<chat id>` and `advisor:<username>`.
"""

from chat.broker.base import Broker, Fanout, Subscriber, follow, unfollow


def open_broker(redis_url: str | None) -> Broker:
    """The Redis broker when a Redis URL is given (several processes), else the memory broker.
    Each is imported only when chosen: one process never imports redis."""
    if redis_url:
        from chat.broker.redis import RedisBroker

        return RedisBroker(redis_url)
    from chat.broker.memory import MemoryBroker

    return MemoryBroker()


__all__ = ["Broker", "Fanout", "Subscriber", "follow", "open_broker", "unfollow"]
