"""The live service: the one owner of live state (chats waiting and active, advisors signed in),
which takes what sockets, pages and time ask of it, makes it durable, asks `routing`, and
delivers through the broker. Imports `chat.broker`, `chat.wire`, `chat.base`, `storage`,
`routing`; never `chat.web` or `chat.admin`."""
