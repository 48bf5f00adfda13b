"""Several processes of one service, on PostgreSQL and Redis.

Exactly one process at a time owns the live state (the queue, assignments, presence): the one
holding the dispatcher lease in Redis (`lease.py`). It runs the one-process engine,
`chat.live.service.LiveService`, rebuilt from the database when it takes the lease. Every
process holds sockets and pages; what they ask of the live service travels to the owner as a
packed command over a Redis list and its answer comes back the same way (`commands.py`), so the
sockets and pages do not know which process owns it (`live.py`, `ClusterLive`). Frames reach
sockets through the Redis broker. The database stays the record: a lost owner, a lost Redis or
a lost reply costs a retry and a resume from storage, never an acknowledged line.

Imports `chat.live`, `chat.broker`, `chat.wire`, `chat.base`, `storage`; imported only when
NEUVO_REDIS_URL is set.
"""
