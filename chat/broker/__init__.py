"""Fan-out of frames to whichever sockets listen on a channel.

`Fanout` keeps the local subscribers of one process; a backend carries published frames to
every process's fan-out (memory: this process only; Redis: all of them). Channels are
`visitor:<chat id>` and `advisor:<username>`.
"""

from chat.broker.base import Broker, Fanout, Subscription, open_broker, subscribe

__all__ = ["Broker", "Fanout", "Subscription", "open_broker", "subscribe"]
